using Microsoft.Extensions.AI;

namespace Switchyard.Routing.Difficulty;

/// <summary>The built-in scorer: a <see cref="LogisticModel"/> over <see cref="ConversationFeaturizer"/> features.</summary>
/// <remarks>Stateless and allocation-free per call, so one instance serves every request concurrently.</remarks>
public sealed class LinearDifficultyScorer : IDifficultyScorer
{
    private readonly ConversationFeaturizer _featurizer;
    private readonly LogisticModel _model;

    /// <summary>Creates the scorer for one pair.</summary>
    public LinearDifficultyScorer(ConversationFeaturizer featurizer, DifficultyPairModel pair)
    {
        ArgumentNullException.ThrowIfNull(featurizer);
        ArgumentNullException.ThrowIfNull(pair);
        if (pair.Model.Weights.Length != featurizer.Dimension)
        {
            throw new ArgumentException($"The model has {pair.Model.Weights.Length} weights but the featurizer produces {featurizer.Dimension} features.", nameof(pair));
        }

        _featurizer = featurizer;
        _model = pair.Model;
        Weak = pair.Weak;
        Strong = pair.Strong;
    }

    /// <inheritdoc />
    public string Weak { get; }

    /// <inheritdoc />
    public string Strong { get; }

    /// <inheritdoc />
    public double PredictGoodEnough(IReadOnlyList<ChatMessage> messages) => _model.Predict(_featurizer, messages);
}
