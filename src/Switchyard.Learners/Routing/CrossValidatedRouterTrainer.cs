using Switchyard.Embeddings;
using Switchyard.Evaluation;
using Switchyard.Evaluation.Simulation;

namespace Switchyard.Routing.Learners;

/// <summary>
/// The <c>learned</c> router of <c>switchyard simulate</c>: on the training prompts only, cross-validates the length
/// baseline and the embedding learners (<see cref="LearnerSelection"/>), fits the chosen one on all of them and
/// predicts the test prompts — exactly what <c>train-router</c> ships, evaluated on prompts it never saw.
/// </summary>
/// <param name="embedder">Embeds prompts (share one <see cref="CachingEmbedder"/> across seeds); null: the length baseline only.</param>
/// <param name="folds">Cross-validation folds inside the training prompts.</param>
/// <param name="margin">Good enough = weak score ≥ strong score − margin.</param>
public sealed class CrossValidatedRouterTrainer(ITextEmbedder? embedder, int folds = 5, double margin = 0) : ILearnedRouterTrainer
{
    /// <inheritdoc />
    public (double[] PGood, string Description) TrainAndPredict(IReadOnlyList<OutcomeRecord> train, IReadOnlyList<OutcomeRecord> test, string weak, string strong, int seed)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        var settings = new LearnerSelectionSettings(folds, seed, margin);
        var encoder = new PromptEncoder(embedder);
        var embed = embedder is not null;
        var data = TrainingSet.Build(train, LearnerTarget.ForPair(weak, strong, margin), encoder, embed);
        var learners = embed ? LearnerSelection.DefaultLearners(seed) : [];
        var selection = LearnerSelection.Run(data, weak, strong, learners, settings);
        IScoreLearner chosen = selection.Chosen == LengthBaseline.LearnerName ? new LengthBaseline() : learners.First(l => l.Name == selection.Chosen);
        var fitted = chosen.Fit(data);
        var index = fitted.IndexOf(LearnerTarget.GoodEnough(weak, strong, margin));
        var features = encoder.EncodeMany([.. test.Select(r => r.Messages)], embed);
        var predictions = new double[features.Count];
        Parallel.For(0, features.Count, i => predictions[i] = fitted.Predict(features[i])[index]);
        return (predictions, $"{selection.Chosen}: {selection.Reason}");
    }
}
