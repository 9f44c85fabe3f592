using Microsoft.Extensions.AI;
using Switchyard.Embeddings;

namespace Switchyard.Providers.MiniLm;

/// <summary>
/// The <c>minilm</c> provider: sentence embeddings in process with the all-MiniLM-L6-v2 model shipped beside the
/// application (no server, no key, nothing leaves the process). Embedding models only; the model loads on first use
/// and is shared by every model of the provider.
/// </summary>
public sealed class MiniLmProviderFactory : IProviderClientFactory
{
    /// <summary>The model's name, as upstream model and default model name.</summary>
    public const string ModelName = "all-MiniLM-L6-v2";

    private readonly Lazy<MiniLmEmbedder> _embedder = new(() => new MiniLmEmbedder(), LazyThreadSafetyMode.ExecutionAndPublication);

    /// <inheritdoc />
    public IChatClient CreateChatClient(string upstreamModel) =>
        throw new NotSupportedException("A minilm provider serves embeddings only.");

    /// <inheritdoc />
    public IChatClient CreateEmbeddingClient(string upstreamModel) =>
        new Embedding.EmbeddingChatClient(new MiniLmEmbeddingGenerator(_embedder, upstreamModel));

    /// <inheritdoc />
    public void Dispose()
    {
        if (_embedder.IsValueCreated)
        {
            _embedder.Value.Dispose();
        }
    }
}
