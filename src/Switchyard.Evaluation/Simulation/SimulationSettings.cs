using Switchyard.Routing.Difficulty;

namespace Switchyard.Evaluation.Simulation;

/// <summary>What <see cref="RoutingSimulation"/> compares.</summary>
/// <param name="Weak">The cheaper model (name in the outcome data).</param>
/// <param name="Strong">The stronger model.</param>
/// <param name="Seed">Seed for training and the random router.</param>
public sealed record SimulationSettings(string Weak, string Strong, int Seed = 1)
{
    /// <summary>Featurizer for the learned router.</summary>
    public FeaturizerSettings Featurizer { get; init; } = new();

    /// <summary>Training settings for the learned router (its seed is replaced by <see cref="Seed"/>).</summary>
    public TrainingSettings Training { get; init; } = new();

    /// <summary>
    /// Trains the <c>learned</c> router (e.g. the cross-validated embedding learners); null makes the hashed n-gram
    /// router the learned one. With a trainer, the n-gram router is reported as <c>ngram</c>.
    /// </summary>
    public ILearnedRouterTrainer? Learner { get; init; }

    /// <summary>Random-router runs averaged (RouteLLM's default 10).</summary>
    public int RandomIterations { get; init; } = Metrics.RoutingEvaluator.DefaultRandomIterations;
}
