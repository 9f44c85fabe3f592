using Microsoft.Extensions.AI;

namespace Switchyard.Routing.Learners;

/// <summary>An <see cref="ICandidateScorePredictor"/> over a fitted learner's score targets (<see cref="LearnerTarget.Score"/>).</summary>
public sealed class LearnedScorePredictor : ICandidateScorePredictor
{
    private readonly FittedLearner _learner;
    private readonly PromptEncoder _encoder;
    private readonly int[] _indices;

    /// <summary>Creates the predictor for every model the learner has a score target for, in its target order.</summary>
    /// <exception cref="ArgumentException">The learner has no score target, or the encoder's embeddings do not fit it.</exception>
    public LearnedScorePredictor(FittedLearner learner, PromptEncoder encoder)
    {
        ArgumentNullException.ThrowIfNull(learner);
        ArgumentNullException.ThrowIfNull(encoder);
        RequireCompatible(learner, encoder);
        _indices = [.. Enumerable.Range(0, learner.Targets.Count).Where(t => !learner.Targets[t].IsGoodEnough)];
        if (_indices.Length == 0)
        {
            throw new ArgumentException("The learner predicts no model's score.", nameof(learner));
        }

        _learner = learner;
        _encoder = encoder;
        Models = [.. _indices.Select(t => learner.Targets[t].Model)];
    }

    /// <inheritdoc />
    public IReadOnlyList<string> Models { get; }

    /// <inheritdoc />
    public double[] PredictScores(IReadOnlyList<ChatMessage> messages)
    {
        var all = _learner.Predict(_encoder.Encode(messages, embed: _learner.EmbeddingDimensions > 0));
        return [.. _indices.Select(t => all[t])];
    }

    /// <summary>Throws unless the encoder produces the embeddings the learner reads.</summary>
    internal static void RequireCompatible(FittedLearner learner, PromptEncoder encoder)
    {
        if (learner.EmbeddingDimensions > 0 && encoder.EmbeddingDimensions != learner.EmbeddingDimensions)
        {
            throw new ArgumentException($"The learner reads {learner.EmbeddingDimensions}-dimensional embeddings; the encoder's embedder produces {encoder.EmbeddingDimensions}.", nameof(encoder));
        }
    }
}
