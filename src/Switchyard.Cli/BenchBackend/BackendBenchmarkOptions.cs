using System.Diagnostics.CodeAnalysis;

namespace Switchyard.Cli.BenchBackend;

/// <summary>What <see cref="BackendBenchmark"/> measures and against which server.</summary>
[SuppressMessage("Performance", "CA1515:Consider making public types internal", Justification = "Public so tests can use it (the CLI grants no InternalsVisibleTo).")]
public sealed record BackendBenchmarkOptions
{
    /// <summary>Gets the server's OpenAI base, for example <c>http://127.0.0.1:8080/v1</c> (see <see cref="BackendBenchmark.ParseBaseUrl"/>).</summary>
    public required Uri BaseUrl { get; init; }

    /// <summary>Gets the <c>model</c> sent in every request.</summary>
    public required string Model { get; init; }

    /// <summary>Gets the prompt length to aim for, in tokens as the server counts them (chat template included).</summary>
    public int InputTokens { get; init; } = 512;

    /// <summary>Gets the output length of every measured request (<c>max_tokens</c>, and <c>min_tokens</c> with <see cref="Extensions"/>).</summary>
    public int OutputTokens { get; init; } = 256;

    /// <summary>Gets how many requests each concurrency level runs.</summary>
    public int Requests { get; init; } = 32;

    /// <summary>Gets the limit on one request, from sending it to the end of its stream.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(300);

    /// <summary>Gets the bearer token to send, or <see langword="null"/> for none.</summary>
    public string? ApiKey { get; init; }

    /// <summary>
    /// Gets a value indicating whether requests carry the vLLM and llama.cpp extensions <c>"ignore_eos": true</c> and
    /// <c>"min_tokens"</c>, which make the server generate exactly <see cref="OutputTokens"/> tokens.
    /// </summary>
    public bool Extensions { get; init; } = true;
}
