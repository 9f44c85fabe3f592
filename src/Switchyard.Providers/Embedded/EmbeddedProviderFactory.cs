using Microsoft.Extensions.AI;
using Switchyard.Configuration;
using Switchyard.Local.Models;
using Switchyard.Local.Serving;

namespace Switchyard.Providers.Embedded;

/// <summary>
/// The <c>embedded</c> provider: loads the GGUF file once (memory-mapped) and serves every model name that points at
/// this provider from one <see cref="EmbeddedChatClient"/>, so they share its slots and queue.
/// </summary>
public sealed class EmbeddedProviderFactory : IProviderClientFactory
{
    private readonly EmbeddedChatClient _client;

    /// <exception cref="FileNotFoundException">The model file does not exist.</exception>
    /// <exception cref="Switchyard.Local.Gguf.GgufFormatException">The file is not a model the engine can run.</exception>
    public EmbeddedProviderFactory(ProviderConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentException.ThrowIfNullOrEmpty(config.Model);
        var model = TransformerModel.Load(config.Model);
        var options = new EmbeddedEngineOptions
        {
            ContextLength = config.ContextLength,
            MaxParallel = config.MaxParallel,
            MaxQueue = config.MaxQueue,
            QueueFullStatus = config.QueueFullStatus,
        };
        _client = new EmbeddedChatClient(model, model.Name, options, ownsModel: true);
    }

    /// <summary>The loaded model.</summary>
    public TransformerModel Model => _client.Model;

    /// <summary>The model's live load (running and waiting requests, recent speed).</summary>
    public Switchyard.Routing.ILoadSignal Load => _client.Load;

    /// <summary>A handle on the shared client for any model name (<paramref name="upstreamModel"/> is ignored); disposing it leaves the shared client running.</summary>
    public IChatClient CreateChatClient(string upstreamModel) => new NonDisposingChatClient(_client);

    /// <summary>Disposes the shared client and with it the model (the file is unmapped).</summary>
    public void Dispose() => _client.Dispose();

    /// <summary>Hands out the shared client without letting a consumer dispose it.</summary>
    private sealed class NonDisposingChatClient(IChatClient inner) : DelegatingChatClient(inner)
    {
        // The factory owns the shared client: releasing this handle must not dispose it (disposing: false).
        protected override void Dispose(bool disposing) => base.Dispose(disposing: false);
    }
}
