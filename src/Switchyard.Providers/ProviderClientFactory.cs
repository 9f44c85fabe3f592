using Switchyard.Configuration;
using Switchyard.Providers.Anthropic;
using Switchyard.Providers.Embedded;
using Switchyard.Providers.OpenAI;

namespace Switchyard.Providers;

/// <summary>Creates the client factory of one configured provider.</summary>
public static class ProviderClientFactory
{
    /// <summary>Creates the provider's client factory.</summary>
    /// <param name="config">The provider's configuration (already validated).</param>
    /// <param name="getEnvironmentVariable">Reads environment variables (for <see cref="ProviderConfig.ApiKeyEnv"/>).</param>
    /// <param name="transport">Optional shared HTTP client, used as it is; each provider creates its own otherwise.</param>
    /// <param name="egress">The privacy egress check for the provider's own HTTP client (not added to a given <paramref name="transport"/>).</param>
    public static IProviderClientFactory Create(ProviderConfig config, Func<string, string?> getEnvironmentVariable, HttpClient? transport = null, ProviderEgress? egress = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        var apiKey = config.ResolveApiKey(getEnvironmentVariable);
        switch (config.Kind?.ToLowerInvariant())
        {
            case ProviderKinds.OpenAI:
            case ProviderKinds.OpenAICompatible:
                return new OpenAIProviderFactory(config, apiKey, transport, egress);
            case ProviderKinds.Anthropic:
                return new AnthropicProviderFactory(config, apiKey, transport, egress);
            case ProviderKinds.Embedded:
                return new EmbeddedProviderFactory(config);
            case ProviderKinds.MiniLm:
                return new MiniLm.MiniLmProviderFactory();
            default:
                throw new ArgumentException($"Unknown provider kind '{config.Kind}'.", nameof(config));
        }
    }
}
