using System.Diagnostics.CodeAnalysis;

namespace Switchyard.Cli.BenchBackend;

/// <summary>The <c>--json</c> document of <c>switchyard bench-backend</c> (written snake_case).</summary>
[SuppressMessage("Performance", "CA1515:Consider making public types internal", Justification = "Public so tests can use it (the CLI grants no InternalsVisibleTo).")]
public sealed record BackendBenchmarkReport
{
    /// <summary>Gets the chat completions endpoint that was measured.</summary>
    public required string Url { get; init; }

    /// <summary>Gets the model.</summary>
    public required string Model { get; init; }

    /// <summary>Gets the requested prompt length in tokens.</summary>
    public required int InputTokens { get; init; }

    /// <summary>Gets the requested output length in tokens.</summary>
    public required int OutputTokens { get; init; }

    /// <summary>Gets the requests run at each level.</summary>
    public required int RequestsPerLevel { get; init; }

    /// <summary>Gets the words of every prompt.</summary>
    public required int PromptWords { get; init; }

    /// <summary>Gets how the prompt was sized: <c>calibrated</c> (from the server's prompt token counts) or <c>estimated</c>.</summary>
    public required string PromptSizing { get; init; }

    /// <summary>Gets a value indicating whether <c>ignore_eos</c> and <c>min_tokens</c> were sent.</summary>
    public required bool Extensions { get; init; }

    /// <summary>Gets the <c>--ttft-slo-ms</c> the recommendation honoured, if any.</summary>
    public double? TtftSloMs { get; init; }

    /// <summary>Gets the measurements, one per concurrency level, in the order run.</summary>
    public required IReadOnlyList<BackendLevelResult> Levels { get; init; }

    /// <summary>Gets the recommended profile values, or null when no level qualified.</summary>
    public SelfHostedProfileSnippet? SelfHosted { get; init; }

    /// <summary>Gets why <see cref="SelfHosted"/> is what it is.</summary>
    public required string SelfHostedBasis { get; init; }
}
