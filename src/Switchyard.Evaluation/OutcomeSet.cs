namespace Switchyard.Evaluation;

/// <summary>A table of per-prompt outcomes for several models, read from one source.</summary>
/// <param name="Name">Where it came from (a file or benchmark name).</param>
/// <param name="Records">The rows, in source order.</param>
public sealed record OutcomeSet(string Name, IReadOnlyList<OutcomeRecord> Records)
{
    /// <summary>Every model that has an outcome on at least one row, in first-seen order.</summary>
    public IReadOnlyList<string> Models { get; } = Records.SelectMany(r => r.Outcomes.Keys).Distinct(StringComparer.Ordinal).ToList();
}
