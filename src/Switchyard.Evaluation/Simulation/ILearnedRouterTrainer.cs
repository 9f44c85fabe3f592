namespace Switchyard.Evaluation.Simulation;

/// <summary>
/// Trains a learned router on a simulation's training prompts and scores its test prompts, for
/// <see cref="RoutingSimulation"/> to evaluate beside the baselines (the embedding learners live outside Core).
/// </summary>
public interface ILearnedRouterTrainer
{
    /// <summary>
    /// Trains on <paramref name="train"/> (never containing a test prompt) for the pair and returns, per test prompt
    /// in order, P(the weak model's answer is good enough), with a one-line account of what was chosen.
    /// </summary>
    (double[] PGood, string Description) TrainAndPredict(IReadOnlyList<OutcomeRecord> train, IReadOnlyList<OutcomeRecord> test, string weak, string strong, int seed);
}
