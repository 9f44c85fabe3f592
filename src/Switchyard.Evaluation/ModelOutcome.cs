using System.Text.Json.Serialization;

namespace Switchyard.Evaluation;

/// <summary>How one model did on one prompt: a quality score and, when known, what the answer cost.</summary>
/// <param name="Score">Quality on a 0–1 scale (1 = fully correct or best possible). Scales like 1–10 are mapped here.</param>
public sealed record ModelOutcome([property: JsonPropertyName("score")] double Score)
{
    /// <summary>The score on the source's own scale (e.g. an MT-Bench judge's 1–10), when it differs from <see cref="Score"/>.</summary>
    [JsonPropertyName("raw_score")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? RawScore { get; init; }

    /// <summary>Prompt tokens, when known.</summary>
    [JsonPropertyName("input_tokens")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? InputTokens { get; init; }

    /// <summary>Completion tokens, when known.</summary>
    [JsonPropertyName("output_tokens")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? OutputTokens { get; init; }

    /// <summary>Cost in US dollars, when known.</summary>
    [JsonPropertyName("cost")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public decimal? Cost { get; init; }

    /// <summary>Wall-clock latency of the answer in milliseconds, when measured.</summary>
    [JsonPropertyName("latency_ms")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? LatencyMs { get; init; }

    /// <summary>The answer text, when kept.</summary>
    [JsonPropertyName("response")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Response { get; init; }

    /// <summary>Why the model produced no gradable answer (the call failed), when it did not; <see cref="Score"/> is then 0.</summary>
    [JsonPropertyName("error")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Error { get; init; }
}
