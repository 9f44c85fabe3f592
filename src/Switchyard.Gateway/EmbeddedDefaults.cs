using Switchyard.Configuration;

namespace Switchyard.Gateway;

/// <summary>
/// What <c>serve</c> runs with no configuration at all: the shipped stories260K model in process as model
/// <c>local</c> and route <c>default</c> (zone <c>self</c>), the shipped all-MiniLM-L6-v2 as embedding model
/// <c>all-MiniLM-L6-v2</c> (also in process), plus hosted models when their API keys are set.
/// Hosted models are addressable by name only; the default route stays inside the boundary.
/// </summary>
public static class EmbeddedDefaults
{
    /// <summary>The embedded model's name.</summary>
    public const string LocalModel = "local";

    /// <summary>The default route's name.</summary>
    public const string DefaultRoute = "default";

    /// <summary>The embedding model of the defaults: all-MiniLM-L6-v2 in process (<c>POST /v1/embeddings</c>).</summary>
    public const string EmbeddingModel = "all-MiniLM-L6-v2";

    /// <summary>The shipped model, relative to the application's folder.</summary>
    public const string ShippedModel = "models/stories260K.gguf";

    /// <summary>The hosted model added when <c>OPENAI_API_KEY</c> is set.</summary>
    public const string OpenAIModel = "gpt-4o-mini";

    /// <summary>The hosted model added when <c>ANTHROPIC_API_KEY</c> is set.</summary>
    public const string AnthropicModel = "claude-haiku-4-5";

    /// <summary>Whether nothing routable is configured.</summary>
    public static bool IsEmpty(SwitchyardOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.Providers.Count == 0 && options.Models.Count == 0 && options.Routes.Count == 0;
    }

    /// <summary>Adds the embedded model, the default route and any hosted models whose keys are present.</summary>
    public static void Apply(SwitchyardOptions options, Func<string, string?> getEnvironmentVariable)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(getEnvironmentVariable);
        options.Providers["embedded"] = new ProviderConfig
        {
            Kind = ProviderKinds.Embedded,
            Model = Path.Combine(AppContext.BaseDirectory, ShippedModel),
            Zone = "self",
        };
        options.Models[LocalModel] = new ModelConfig { Provider = "embedded", Zone = "self" };
        options.Routes[DefaultRoute] = new RouteConfig { Candidates = [LocalModel] };
        options.Providers["minilm"] = new ProviderConfig { Kind = ProviderKinds.MiniLm, Zone = "self" };
        options.Models[EmbeddingModel] = new ModelConfig { Provider = "minilm", Kind = ModelKinds.Embedding, Zone = "self" };

        if (!string.IsNullOrEmpty(getEnvironmentVariable("OPENAI_API_KEY")))
        {
            options.Providers["openai"] = new ProviderConfig { Kind = ProviderKinds.OpenAI, ApiKeyEnv = "OPENAI_API_KEY", Zone = "us" };
            options.Models[OpenAIModel] = new ModelConfig
            {
                Provider = "openai",
                Price = new ModelPrice { Input = 0.15m, Output = 0.60m, CachedInput = 0.075m },
            };
        }

        if (!string.IsNullOrEmpty(getEnvironmentVariable("ANTHROPIC_API_KEY")))
        {
            options.Providers["anthropic"] = new ProviderConfig { Kind = ProviderKinds.Anthropic, ApiKeyEnv = "ANTHROPIC_API_KEY", Zone = "us" };
            options.Models[AnthropicModel] = new ModelConfig
            {
                Provider = "anthropic",
                Price = new ModelPrice { Input = 1.00m, Output = 5.00m, CachedInput = 0.10m },
            };
        }
    }

    /// <summary>
    /// Makes every embedded provider's relative <c>Model</c> path, and every route strategy's relative <c>Router</c> and
    /// <c>VerifierModel</c> path, absolute against <paramref name="baseDirectory"/>.
    /// </summary>
    public static void ResolveModelPaths(SwitchyardOptions options, string baseDirectory)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (ProviderConfig? p in options.Providers.Values)
        {
            if (p is not null && string.Equals(p.Kind, ProviderKinds.Embedded, StringComparison.OrdinalIgnoreCase) && !string.IsNullOrWhiteSpace(p.Model))
            {
                p.Model = Path.GetFullPath(p.Model, baseDirectory);
            }
        }

        if (options.Pricing.MapFile is { Length: > 0 } map)
        {
            options.Pricing.MapFile = Path.GetFullPath(map, baseDirectory);
        }

        foreach (RouteConfig? r in options.Routes.Values)
        {
            if (r?.Strategy is { Router: { Length: > 0 } router } strategy)
            {
                strategy.Router = Path.GetFullPath(router, baseDirectory);
            }

            if (r?.Strategy is { VerifierModel: { Length: > 0 } verifier } withVerifier)
            {
                withVerifier.VerifierModel = Path.GetFullPath(verifier, baseDirectory);
            }
        }
    }
}
