namespace Switchyard.Routing.Learners;

/// <summary>What the learners read of one conversation: its sentence embedding, its text-shape features and its length.</summary>
/// <param name="Embedding">The embedding of the last user message (unit length; empty when the learner needs none).</param>
/// <param name="Shape">The <see cref="Difficulty.ConversationFeaturizer.DenseCount"/> text-shape features of <see cref="Difficulty.ConversationFeaturizer"/>.</param>
/// <param name="Length">The length in characters of the last user message.</param>
public sealed record PromptFeatures(float[] Embedding, float[] Shape, int Length)
{
    /// <summary>Throws unless the shape has the featurizer's dense count and the length is not negative.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Embedding);
        ArgumentNullException.ThrowIfNull(Shape);
        if (Shape.Length != Difficulty.ConversationFeaturizer.DenseCount)
        {
            throw new ArgumentException($"Expected {Difficulty.ConversationFeaturizer.DenseCount} shape features but got {Shape.Length}.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(Length);
    }
}
