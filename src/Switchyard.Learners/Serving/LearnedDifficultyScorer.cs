using Microsoft.Extensions.AI;
using Switchyard.Routing.Difficulty;

namespace Switchyard.Routing.Learners;

/// <summary>
/// Puts any fitted learner behind Core's <see cref="IDifficultyScorer"/>: P(weak good enough) is the learner's
/// prediction of the pair's good-enough target (<see cref="LearnerTarget.GoodEnough"/>), the same quantity the linear
/// difficulty router predicts, so thresholds calibrate and plug into <see cref="DifficultyStrategy"/> the same way.
/// </summary>
/// <remarks>Thread-safe: the learner is immutable; each call embeds the last user message (wrap the embedder in a <c>CachingEmbedder</c> to reuse embeddings).</remarks>
public sealed class LearnedDifficultyScorer : IDifficultyScorer
{
    private readonly FittedLearner _learner;
    private readonly PromptEncoder _encoder;
    private readonly int _index;

    /// <summary>Creates the scorer for the pair (<paramref name="weak"/>, <paramref name="strong"/>).</summary>
    /// <exception cref="ArgumentException">
    /// The learner was not fitted with a good-enough target for this pair, or the encoder's embeddings do not fit it.
    /// </exception>
    public LearnedDifficultyScorer(FittedLearner learner, PromptEncoder encoder, string weak, string strong, double margin = 0)
    {
        ArgumentNullException.ThrowIfNull(learner);
        ArgumentNullException.ThrowIfNull(encoder);
        _index = learner.IndexOf(LearnerTarget.GoodEnough(weak, strong, margin));
        if (_index < 0)
        {
            throw new ArgumentException($"The learner predicts no good-enough target for '{weak}' against '{strong}' (margin {margin}); it predicts {string.Join(", ", learner.Targets)}.", nameof(learner));
        }

        LearnedScorePredictor.RequireCompatible(learner, encoder);
        _learner = learner;
        _encoder = encoder;
        Weak = weak;
        Strong = strong;
    }

    /// <inheritdoc />
    public string Weak { get; }

    /// <inheritdoc />
    public string Strong { get; }

    /// <inheritdoc />
    public double PredictGoodEnough(IReadOnlyList<ChatMessage> messages)
    {
        Span<double> predictions = stackalloc double[_learner.Targets.Count];
        _learner.Predict(_encoder.Encode(messages, embed: _learner.EmbeddingDimensions > 0), predictions);
        return predictions[_index];
    }
}
