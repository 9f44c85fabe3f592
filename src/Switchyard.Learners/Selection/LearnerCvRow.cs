namespace Switchyard.Routing.Learners;

/// <summary>One learner's cross-validated routing quality for a weak/strong pair (a row of <see cref="LearnerSelectionResult.Table"/>).</summary>
/// <param name="Learner">The learner's name.</param>
/// <param name="Apgr">APGR of the pooled out-of-fold predictions (routing score 1 − P(good enough)), as <c>RoutingEvaluator</c> computes it; what selection compares.</param>
/// <param name="Cpt50">CPT(50%) of the same curve.</param>
/// <param name="Aiq">AIQ of the same curve (cost = share of strong calls).</param>
/// <param name="FoldApgrMean">Mean of the per-fold APGRs (folds where the strong model is on average better).</param>
/// <param name="FoldApgrSd">Their standard deviation: how much the figure moves with the split.</param>
/// <param name="Brier">Mean squared error of the out-of-fold P(good enough) against the 0/1 target.</param>
/// <param name="Fitted">Per fold, what the fit chose (<see cref="FittedLearner.Description"/>).</param>
public sealed record LearnerCvRow(
    string Learner,
    double Apgr,
    double Cpt50,
    double Aiq,
    double FoldApgrMean,
    double FoldApgrSd,
    double Brier,
    IReadOnlyList<string> Fitted);
