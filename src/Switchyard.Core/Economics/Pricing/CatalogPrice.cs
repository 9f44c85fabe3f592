using System.Text.Json.Serialization;

namespace Switchyard.Economics.Pricing;

/// <summary>
/// The published prices of one hosted model, in US dollars per million tokens, with the date they were observed and
/// the public page they were read from. Optional prices left <see langword="null"/> fall back as documented on each one.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record CatalogPrice
{
    // The JSON source generator sets every init-only member, passing null for absent ones: keep the non-null defaults.
    private readonly string _id = "";
    private readonly IReadOnlyList<string> _aliases = [];
    private readonly string _provider = "";
    private readonly string _source = "";

    /// <summary>The API model id the price applies to, for example <c>gpt-4o-2024-08-06</c> or <c>claude-sonnet-4-5-20250929</c>.</summary>
    [JsonPropertyName("id")]
    public string Id { get => _id; init => _id = value ?? ""; }

    /// <summary>
    /// Other names the same model is called by in the API (its undated alias, other snapshots billed at the same price).
    /// Lookup matches only names listed here or in <see cref="Id"/>; no suffix is stripped.
    /// </summary>
    [JsonPropertyName("aliases")]
    public IReadOnlyList<string> Aliases
    {
        get => _aliases;
        init => _aliases = value is null ? [] : value.Contains(null!) ? [.. value.Select(alias => alias ?? "")] : value;
    }

    /// <summary>Who sells it: <c>openai</c>, <c>anthropic</c>, <c>google</c>, <c>mistral</c>, <c>deepseek</c>, …</summary>
    [JsonPropertyName("provider")]
    public string Provider { get => _provider; init => _provider = value ?? ""; }

    /// <summary>Uncached input tokens.</summary>
    [JsonPropertyName("input")]
    public decimal Input { get; init; }

    /// <summary>Output tokens (reasoning tokens included, as the providers bill them).</summary>
    [JsonPropertyName("output")]
    public decimal Output { get; init; }

    /// <summary>Input tokens read from the provider's prompt cache; <see langword="null"/> = billed as <see cref="Input"/>.</summary>
    [JsonPropertyName("cached_input_read")]
    public decimal? CachedInputRead { get; init; }

    /// <summary>
    /// Input tokens written to the prompt cache (Anthropic's 5-minute cache write); <see langword="null"/> = billed as
    /// <see cref="Input"/>, as for providers that cache implicitly.
    /// </summary>
    [JsonPropertyName("cached_input_write")]
    public decimal? CachedInputWrite { get; init; }

    /// <summary>
    /// Uncached input tokens through the provider's batch API; <see langword="null"/> = no batch price known (no batch API,
    /// or none verified), so batch costs cannot be computed.
    /// </summary>
    [JsonPropertyName("batch_input")]
    public decimal? BatchInput { get; init; }

    /// <summary>Output tokens through the provider's batch API; <see langword="null"/> together with <see cref="BatchInput"/>.</summary>
    [JsonPropertyName("batch_output")]
    public decimal? BatchOutput { get; init; }

    /// <summary>
    /// Prompt size in tokens above which the whole request is billed at <see cref="LongContextInput"/> and
    /// <see cref="LongContextOutput"/>; <see langword="null"/> = one price at every length.
    /// </summary>
    [JsonPropertyName("long_context_threshold")]
    public long? LongContextThreshold { get; init; }

    /// <summary>Uncached input tokens of a request whose prompt exceeds <see cref="LongContextThreshold"/>.</summary>
    [JsonPropertyName("long_context_input")]
    public decimal? LongContextInput { get; init; }

    /// <summary>Output tokens of a request whose prompt exceeds <see cref="LongContextThreshold"/>.</summary>
    [JsonPropertyName("long_context_output")]
    public decimal? LongContextOutput { get; init; }

    /// <summary>What the model is for, as the source names it (litellm's <c>mode</c>: <c>chat</c>, <c>embedding</c>, <c>responses</c>, <c>completion</c>), when known.</summary>
    [JsonPropertyName("mode")]
    public string? Mode { get; init; }

    /// <summary>The date the provider retires the model (litellm's <c>deprecation_date</c>), when announced.</summary>
    [JsonPropertyName("retires")]
    public DateOnly? Retires { get; init; }

    /// <summary>The model's context window in tokens (prompt and reply together), as the provider documents it.</summary>
    [JsonPropertyName("context_window")]
    public long? ContextWindow { get; init; }

    /// <summary>The date the prices were observed on <see cref="Source"/>; <c>default</c> = missing.</summary>
    [JsonPropertyName("observed")]
    public DateOnly Observed { get; init; }

    /// <summary>The public page the prices were read from.</summary>
    [JsonPropertyName("source")]
    public string Source { get => _source; init => _source = value ?? ""; }

    /// <summary>Remarks: the reason for a zero price (required then), how a price was derived, lifecycle caveats.</summary>
    [JsonPropertyName("notes")]
    public string? Notes { get; init; }

    /// <summary>The id and every alias.</summary>
    [JsonIgnore]
    public IEnumerable<string> Names => Aliases.Prepend(Id);
}
