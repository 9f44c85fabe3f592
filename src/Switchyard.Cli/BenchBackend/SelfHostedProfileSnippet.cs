using System.Diagnostics.CodeAnalysis;

namespace Switchyard.Cli.BenchBackend;

/// <summary>The measured serving throughput, shaped to paste into a self-hosted profile as <c>self_hosted</c>.</summary>
/// <param name="OutputTokensPerSecond">The aggregate output tokens per second of the chosen level.</param>
/// <param name="BenchmarkInputTokens">Prompt tokens per request at that level (the server's count when reported, else the requested length).</param>
/// <param name="BenchmarkOutputTokens">Output tokens per request at that level (measured).</param>
/// <param name="Concurrency">The level's requests in flight.</param>
[SuppressMessage("Performance", "CA1515:Consider making public types internal", Justification = "Public so tests can use it (the CLI grants no InternalsVisibleTo).")]
public sealed record SelfHostedProfileSnippet(double OutputTokensPerSecond, int BenchmarkInputTokens, int BenchmarkOutputTokens, int Concurrency);
