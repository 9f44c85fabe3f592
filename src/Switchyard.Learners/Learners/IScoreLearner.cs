namespace Switchyard.Routing.Learners;

/// <summary>
/// A way of learning, from recorded outcomes, to predict every <see cref="LearnerTarget"/> of a prompt: each
/// candidate model's expected score and, for weak/strong pairs, P(weak good enough). Hyperparameters are chosen
/// inside <see cref="Fit"/> by cross-validation on the data it is given, so fitting it inside an outer fold never
/// looks at that fold.
/// </summary>
public interface IScoreLearner
{
    /// <summary>A short name for tables (<c>length</c>, <c>knn</c>, …).</summary>
    string Name { get; }

    /// <summary>Fits on <paramref name="data"/>; deterministic for the same data and settings.</summary>
    FittedLearner Fit(TrainingSet data);
}
