using Microsoft.Extensions.AI;

namespace Switchyard.Embedding;

/// <summary>
/// The answer of an embedding model carried through the chat pipeline: one vector per input, in input order.
/// </summary>
/// <remarks>
/// Embedding requests ride the same pipeline as chat (ledger, key authorization, privacy guard, rate limits, router
/// with budgets, failover and breakers), each input one user message; <see cref="EmbeddingChatClient"/> turns the
/// generator's result into a response whose only content is this.
/// </remarks>
public sealed class EmbeddingsContent : AIContent
{
    /// <summary>Wraps the vectors.</summary>
    public EmbeddingsContent(IReadOnlyList<ReadOnlyMemory<float>> vectors)
    {
        ArgumentNullException.ThrowIfNull(vectors);
        Vectors = vectors;
    }

    /// <summary>The vectors, one per input, in input order.</summary>
    public IReadOnlyList<ReadOnlyMemory<float>> Vectors { get; }
}
