using Microsoft.Extensions.AI;

namespace Switchyard.Routing.Difficulty;

/// <summary>
/// Predicts, for one conversation, the probability that a cheaper model's answer is good enough (at least as good as
/// the stronger model it is compared with). Implementations run in process with no hosted API and must be safe to
/// call concurrently: the router calls them on the request path.
/// </summary>
/// <remarks>
/// The built-in <see cref="LinearDifficultyScorer"/> reads hashed n-grams and text-shape features; an embedding-based
/// scorer (embedding from the embedded engine, a linear or nearest-neighbour head) implements this same interface and
/// plugs into <see cref="DifficultyStrategy"/> unchanged.
/// </remarks>
public interface IDifficultyScorer
{
    /// <summary>The cheaper model this scorer speaks for (its name in the outcome data it was trained on).</summary>
    string Weak { get; }

    /// <summary>The stronger model it was compared with.</summary>
    string Strong { get; }

    /// <summary>P(the weak model's answer is good enough) for <paramref name="messages"/>, in [0, 1].</summary>
    double PredictGoodEnough(IReadOnlyList<ChatMessage> messages);
}
