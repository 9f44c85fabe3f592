using System.Diagnostics.CodeAnalysis;

namespace Switchyard.Cli.BenchBackend;

/// <summary>What the warm-up requests of <see cref="BackendBenchmark.ProbeAsync"/> found.</summary>
/// <param name="PromptWords">The words of every measured prompt from now on.</param>
/// <param name="Calibrated">
/// True when <paramref name="PromptWords"/> was sized from the <c>usage.prompt_tokens</c> the server reported for two
/// warm-up prompts of different lengths; false when it is the estimate (one token a word, 20 tokens of overhead).
/// </param>
/// <param name="UsageReported">True when the server sent <c>usage</c> in the stream (<c>stream_options.include_usage</c>).</param>
/// <param name="WarmupPromptTokens">The server's <c>prompt_tokens</c> for the first warm-up prompt, when reported.</param>
[SuppressMessage("Performance", "CA1515:Consider making public types internal", Justification = "Public so tests can use it (the CLI grants no InternalsVisibleTo).")]
public sealed record BackendProbe(int PromptWords, bool Calibrated, bool UsageReported, int? WarmupPromptTokens);
