using System.Diagnostics;
using System.Net;
using Microsoft.Extensions.AI;
using Switchyard.Configuration;

namespace Switchyard.Providers.OpenAI;

/// <summary>
/// Builds <see cref="IChatClient"/>s for OpenAI and any OpenAI-compatible server (llama.cpp server, vLLM, Ollama)
/// over one pooled <see cref="HttpClient"/> per provider, with <see cref="OpenAIHttpChatClient"/>.
/// </summary>
/// <remarks>
/// No retries here (the router retries and fails over in one layer) and no HTTP timeout (the router's per-attempt
/// timeout applies); only connecting is bounded, so a dead host fails fast.
/// </remarks>
public sealed class OpenAIProviderFactory : IProviderClientFactory
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly Uri _baseUri;
    private readonly string? _apiKey;
    private readonly string _maxTokensField;

    /// <summary>Creates the provider's HTTP client.</summary>
    /// <param name="config">The provider's configuration.</param>
    /// <param name="apiKey">The resolved key; servers without auth get none.</param>
    /// <param name="transport">Optional HTTP client to use instead of the provider's own (the caller keeps it).</param>
    /// <param name="egress">The privacy egress check, run by the provider's own HTTP client before each request leaves.</param>
    public OpenAIProviderFactory(ProviderConfig config, string? apiKey, HttpClient? transport = null, ProviderEgress? egress = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        _baseUri = new Uri(string.IsNullOrWhiteSpace(config.BaseUrl) ? "https://api.openai.com/v1" : config.BaseUrl);
        _apiKey = apiKey;
        // OpenAI's own API wants max_completion_tokens (its reasoning models reject max_tokens); compatible servers
        // universally understand max_tokens.
        _maxTokensField = string.Equals(config.Kind, ProviderKinds.OpenAI, StringComparison.OrdinalIgnoreCase) ? "max_completion_tokens" : "max_tokens";
        if (transport is not null)
        {
            _http = transport;
            return;
        }

        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(Math.Min(10, config.TimeoutSeconds)),
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
            AutomaticDecompression = DecompressionMethods.All,
            // No trace headers are injected into upstream requests: they would leak trace ids to hosted providers.
            ActivityHeadersPropagator = DistributedContextPropagator.CreateNoOutputPropagator(),
        };
        _http = new HttpClient(egress is null ? handler : egress.Handler(config.Zone ?? "self", handler)) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.ParseAdd("Switchyard/0.1");
        _ownsHttp = true;
    }

    /// <inheritdoc />
    public IChatClient CreateChatClient(string upstreamModel)
    {
        ArgumentException.ThrowIfNullOrEmpty(upstreamModel);
        return new OpenAIErrorChatClient(new OpenAIHttpChatClient(_http, _baseUri, _apiKey, upstreamModel, _maxTokensField));
    }

    /// <inheritdoc />
    public IChatClient CreateEmbeddingClient(string upstreamModel)
    {
        ArgumentException.ThrowIfNullOrEmpty(upstreamModel);
        return new OpenAIErrorChatClient(new Embedding.EmbeddingChatClient(new OpenAIHttpEmbeddingGenerator(_http, _baseUri, _apiKey, upstreamModel)));
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }
}
