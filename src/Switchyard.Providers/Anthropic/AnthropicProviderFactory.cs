using Anthropic;
using Anthropic.Core;
using Microsoft.Extensions.AI;
using Switchyard.Configuration;

namespace Switchyard.Providers.Anthropic;

/// <summary>
/// Builds <see cref="IChatClient"/>s for Anthropic's Messages API with the official Anthropic .NET SDK and its
/// Microsoft.Extensions.AI adapter. SDK retries are off (the router retries and fails over in one layer).
/// </summary>
public sealed class AnthropicProviderFactory : IProviderClientFactory
{
    /// <summary>Output-token cap sent when the caller set none (the Messages API requires one).</summary>
    public const int DefaultMaxTokens = 4096;

    private readonly AnthropicClient _client;
    private readonly HttpClient? _ownHttp;
    private readonly HttpClient? _http;
    private readonly Uri _baseUri;
    private readonly string? _apiKey;

    /// <summary>Creates the SDK client for one provider.</summary>
    /// <param name="config">The provider's configuration.</param>
    /// <param name="apiKey">The resolved key.</param>
    /// <param name="transport">Optional HTTP client for the SDK (the caller keeps it).</param>
    /// <param name="egress">The privacy egress check, run by the provider's own HTTP client before each request leaves.</param>
    public AnthropicProviderFactory(ProviderConfig config, string? apiKey, HttpClient? transport = null, ProviderEgress? egress = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        var options = new ClientOptions
        {
            ApiKey = string.IsNullOrEmpty(apiKey) ? "no-key" : apiKey,
            MaxRetries = 0,
            Timeout = Timeout.InfiniteTimeSpan,
        };
        if (!string.IsNullOrWhiteSpace(config.BaseUrl))
        {
            options.BaseUrl = config.BaseUrl.TrimEnd('/');
        }

        if (transport is not null)
        {
            options.HttpClient = transport;
        }
        else
        {
            var handler = new SocketsHttpHandler
            {
                ConnectTimeout = TimeSpan.FromSeconds(Math.Min(10, config.TimeoutSeconds)),
                PooledConnectionLifetime = TimeSpan.FromMinutes(10),
                AutomaticDecompression = System.Net.DecompressionMethods.All,
                ActivityHeadersPropagator = System.Diagnostics.DistributedContextPropagator.CreateNoOutputPropagator(),
            };
            HttpMessageHandler pipeline = egress is null ? handler : egress.Handler(config.Zone ?? "self", handler);
            _ownHttp = new HttpClient(new RetryAfterCapture(pipeline)) { Timeout = Timeout.InfiniteTimeSpan };
            options.HttpClient = _ownHttp;
        }

        _client = new AnthropicClient(options);
        _http = options.HttpClient;
        _baseUri = new Uri(string.IsNullOrWhiteSpace(config.BaseUrl) ? "https://api.anthropic.com" : config.BaseUrl.TrimEnd('/'));
        _apiKey = apiKey;
    }

    /// <inheritdoc />
    public IChatClient CreateChatClient(string upstreamModel)
    {
        ArgumentException.ThrowIfNullOrEmpty(upstreamModel);
        var counter = _http is null ? null : new AnthropicTokenCounter(_http, _baseUri, _apiKey, upstreamModel);
        return new AnthropicErrorChatClient(new AnthropicNativeChatClient(_client.AsIChatClient(upstreamModel, DefaultMaxTokens), upstreamModel, DefaultMaxTokens) { TokenCounter = counter });
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _client.Dispose();
        _ownHttp?.Dispose();
    }
}
