using Switchyard.Routing.Difficulty;

namespace Switchyard.Routing.Learners;

/// <summary>The cross-validation table of every learner for one weak/strong pair, and the one chosen.</summary>
/// <param name="Weak">The cheaper model.</param>
/// <param name="Strong">The stronger model.</param>
/// <param name="Prompts">Prompts with outcomes for both (the rows cross-validated).</param>
/// <param name="Folds">Outer folds.</param>
/// <param name="Table">One row per learner, the length baseline first.</param>
/// <param name="Chosen">The chosen learner's name.</param>
/// <param name="FellBackToBaseline">True when the baseline was chosen because no learner's APGR was above it (or APGR is undefined).</param>
/// <param name="Reason">Why <paramref name="Chosen"/> was chosen, in a sentence.</param>
public sealed record LearnerSelectionResult(
    string Weak,
    string Strong,
    int Prompts,
    int Folds,
    IReadOnlyList<LearnerCvRow> Table,
    string Chosen,
    bool FellBackToBaseline,
    string Reason)
{
    /// <summary>APGR of the random router on the same prompts (about 0.5).</summary>
    public double RandomApgr { get; init; } = double.NaN;

    /// <summary>APGR of the oracle on the same prompts (the ceiling).</summary>
    public double OracleApgr { get; init; } = double.NaN;

    /// <summary>Each learner's out-of-fold P(good enough), in the order of the prompts cross-validated.</summary>
    public IReadOnlyDictionary<string, double[]> OutOfFold { get; init; } = new Dictionary<string, double[]>();

    /// <summary>The weak model's score on each prompt cross-validated (the order of <see cref="OutOfFold"/>).</summary>
    public IReadOnlyList<double> WeakScores { get; init; } = [];

    /// <summary>The strong model's score on each prompt cross-validated.</summary>
    public IReadOnlyList<double> StrongScores { get; init; } = [];

    /// <summary>The chosen learner's row.</summary>
    public LearnerCvRow ChosenRow => Table.First(r => r.Learner == Chosen);

    /// <summary>
    /// A learner's out-of-fold predictions with both models' scores, as Core's <see cref="CalibrationSet"/>: what
    /// <see cref="ThresholdCalibrator"/> needs to set a <see cref="LearnedDifficultyScorer"/>'s threshold for a target.
    /// </summary>
    /// <exception cref="KeyNotFoundException">No learner of that name was cross-validated.</exception>
    public CalibrationSet Calibration(string learner) =>
        new([.. OutOfFold[learner]], [.. WeakScores.Select(v => Math.Clamp(v, 0, 1))], [.. StrongScores.Select(v => Math.Clamp(v, 0, 1))]);

    /// <summary>The table as aligned plain text (for logs and test output).</summary>
    public string FormatTable() => LearnerTable.Format(this);
}
