using System.ClientModel;
using System.ClientModel.Primitives;
using Microsoft.Extensions.AI;
using OpenAI;
using OpenAI.Chat;
using Switchyard.Configuration;

namespace Switchyard.Providers.OpenAI;

/// <summary>
/// Builds <see cref="IChatClient"/>s for OpenAI and any OpenAI-compatible server (llama.cpp server, vLLM, Ollama)
/// with the official OpenAI .NET SDK through Microsoft.Extensions.AI.OpenAI.
/// </summary>
/// <remarks>
/// The SDK was chosen over a hand-written HttpClient because it is the reference implementation of the wire
/// format (tool-call deltas, usage details incl. cached tokens, stream options) and MEAI maps it to the abstractions
/// the router uses. Its own retries are switched off (the router retries and fails over in one layer) and its
/// network timeout is disabled (the router's per-attempt timeout applies instead).
/// </remarks>
public sealed class OpenAIProviderFactory : IProviderClientFactory
{
    private readonly OpenAIClient _client;

    /// <summary>Creates the SDK client for one provider.</summary>
    /// <param name="config">The provider's configuration.</param>
    /// <param name="apiKey">The resolved key; servers without auth get a placeholder.</param>
    /// <param name="transport">Optional HTTP transport (tests, custom handlers).</param>
    public OpenAIProviderFactory(ProviderConfig config, string? apiKey, HttpClient? transport = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        var options = new OpenAIClientOptions
        {
            Endpoint = new Uri(string.IsNullOrWhiteSpace(config.BaseUrl) ? "https://api.openai.com/v1" : config.BaseUrl),
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            NetworkTimeout = Timeout.InfiniteTimeSpan,
        };
        if (transport is not null)
        {
            options.Transport = new HttpClientPipelineTransport(transport);
        }

        _client = new OpenAIClient(new ApiKeyCredential(string.IsNullOrEmpty(apiKey) ? "no-key" : apiKey), options);
    }

    /// <inheritdoc />
    public IChatClient CreateChatClient(string upstreamModel)
    {
        ArgumentException.ThrowIfNullOrEmpty(upstreamModel);
        IChatClient inner = _client.GetChatClient(upstreamModel).AsIChatClient();
        return new OpenAIErrorChatClient(new OpenAIEndUserChatClient(inner));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // The OpenAI SDK client holds no disposable state of its own; a caller-supplied transport stays the caller's.
    }
}
