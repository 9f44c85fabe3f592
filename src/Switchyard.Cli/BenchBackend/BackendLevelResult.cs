using System.Diagnostics.CodeAnalysis;

namespace Switchyard.Cli.BenchBackend;

/// <summary>The measurements of one concurrency level. Times are in milliseconds; null when no request succeeded.</summary>
[SuppressMessage("Performance", "CA1515:Consider making public types internal", Justification = "Public so tests can use it (the CLI grants no InternalsVisibleTo).")]
public sealed record BackendLevelResult
{
    /// <summary>Gets the requests kept in flight.</summary>
    public required int Concurrency { get; init; }

    /// <summary>Gets the requests run.</summary>
    public required int Requests { get; init; }

    /// <summary>Gets the requests that streamed their tokens to the end.</summary>
    public required int Succeeded { get; init; }

    /// <summary>Gets the requests that failed (HTTP error, connection, timeout, broken stream).</summary>
    public required int Errors { get; init; }

    /// <summary>Gets the most requests that were in flight at once (it should equal <see cref="Concurrency"/>).</summary>
    public required int MaxInFlight { get; init; }

    /// <summary>Gets the time from the level's first request to its last answer, in seconds.</summary>
    public required double WallSeconds { get; init; }

    /// <summary>Gets the output tokens of the successful requests.</summary>
    public required long OutputTokens { get; init; }

    /// <summary>Gets the aggregate serving throughput: <see cref="OutputTokens"/> ÷ <see cref="WallSeconds"/>.</summary>
    public required double OutputTokensPerSecond { get; init; }

    /// <summary>Gets the successful requests per second.</summary>
    public required double RequestsPerSecond { get; init; }

    /// <summary>Gets the mean <c>usage.prompt_tokens</c> of the successful requests, when the server reported it.</summary>
    public double? MeanInputTokens { get; init; }

    /// <summary>Gets the mean output tokens of the successful requests.</summary>
    public double? MeanOutputTokens { get; init; }

    /// <summary>Gets the median time to first token: from sending the request to the first output event.</summary>
    public double? TtftP50Ms { get; init; }

    /// <summary>Gets the 95th percentile of the time to first token.</summary>
    public double? TtftP95Ms { get; init; }

    /// <summary>
    /// Gets the median over requests of the inter-token latency: (last output event − first output event) ÷ (output tokens − 1).
    /// </summary>
    public double? InterTokenLatencyP50Ms { get; init; }

    /// <summary>Gets the median request latency: from sending the request to the end of its stream.</summary>
    public double? LatencyP50Ms { get; init; }

    /// <summary>Gets the 95th percentile of the request latency.</summary>
    public double? LatencyP95Ms { get; init; }

    /// <summary>
    /// Gets where output token counts came from: <c>usage</c> (exact, the server's <c>completion_tokens</c>),
    /// <c>chunks</c> (the server sent no usage: output events were counted, one taken as one token), <c>mixed</c>, or
    /// <c>none</c> (no request succeeded).
    /// </summary>
    public required string TokenCountSource { get; init; }

    /// <summary>Gets up to five distinct error messages, each with how many requests it ended.</summary>
    public required IReadOnlyList<string> ErrorSamples { get; init; }
}
