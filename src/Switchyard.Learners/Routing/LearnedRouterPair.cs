namespace Switchyard.Routing.Learners;

/// <summary>One cheaper model of a <see cref="LearnedRouterModel"/>: the learner cross-validation chose for it against the strongest model, and the whole table it chose from.</summary>
/// <param name="Weak">The cheaper model.</param>
/// <param name="Strong">The strongest model of the router.</param>
/// <param name="Learner">The chosen learner, fitted on every training prompt; it predicts <see cref="LearnerTarget.GoodEnough"/> of the pair.</param>
/// <param name="Selection">The cross-validation table and the choice (its out-of-fold predictions are not kept; the router's calibration holds the chosen ones).</param>
public sealed record LearnedRouterPair(string Weak, string Strong, FittedLearner Learner, LearnerSelectionResult Selection);
