using System.Diagnostics.CodeAnalysis;

namespace Switchyard.Cli.BenchBackend;

/// <summary>Where a concurrency level stands; reported when it starts and after every request.</summary>
/// <param name="Concurrency">The level: requests kept in flight.</param>
/// <param name="Completed">Requests finished, successfully or not.</param>
/// <param name="Total">Requests the level runs.</param>
/// <param name="Errors">Requests that failed.</param>
/// <param name="OutputTokens">Output tokens of the successful requests so far.</param>
/// <param name="Elapsed">Time since the level started.</param>
[SuppressMessage("Performance", "CA1515:Consider making public types internal", Justification = "Public so tests can use it (the CLI grants no InternalsVisibleTo).")]
public sealed record BackendBenchmarkProgress(int Concurrency, int Completed, int Total, int Errors, long OutputTokens, TimeSpan Elapsed)
{
    /// <summary>Gets the output tokens per second so far.</summary>
    public double OutputTokensPerSecond => Elapsed > TimeSpan.Zero ? OutputTokens / Elapsed.TotalSeconds : 0;
}
