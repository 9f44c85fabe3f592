using Microsoft.Extensions.AI;

namespace Switchyard.Providers;

/// <summary>Creates clients for the models of one provider; owns the provider's SDK client.</summary>
public interface IProviderClientFactory : IDisposable
{
    /// <summary>A client bound to one upstream model, with failures translated to <c>ProviderException</c>.</summary>
    IChatClient CreateChatClient(string upstreamModel);

    /// <summary>
    /// A client for one upstream embedding model: each message's text is an input, the answer one
    /// <see cref="Embedding.EmbeddingsContent"/> (see <see cref="Embedding.EmbeddingChatClient"/>).
    /// </summary>
    /// <exception cref="NotSupportedException">The provider serves no embeddings (the configuration validator prevents this).</exception>
    IChatClient CreateEmbeddingClient(string upstreamModel) =>
        throw new NotSupportedException($"{GetType().Name} serves no embeddings.");
}
