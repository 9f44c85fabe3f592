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

    /// <summary>Creates the SDK client for one provider.</summary>
    public AnthropicProviderFactory(ProviderConfig config, string? apiKey, HttpClient? transport = null)
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

        _client = new AnthropicClient(options);
    }

    /// <inheritdoc />
    public IChatClient CreateChatClient(string upstreamModel)
    {
        ArgumentException.ThrowIfNullOrEmpty(upstreamModel);
        return new AnthropicErrorChatClient(_client.AsIChatClient(upstreamModel, DefaultMaxTokens));
    }

    /// <inheritdoc />
    public void Dispose() => _client.Dispose();
}
