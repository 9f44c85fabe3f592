using Microsoft.Extensions.AI;
using Switchyard.Configuration;

namespace Switchyard.Routing;

/// <summary>
/// The runtime form of one configured model: the client that reaches it (already bound to the upstream model name
/// and the provider's timeout), its provider, zone and price, and the provider's circuit breaker.
/// </summary>
public sealed class RouteCandidate
{
    /// <summary>Creates a candidate.</summary>
    public RouteCandidate(string name, string providerId, string zone, IChatClient client, CircuitBreaker breaker, ModelPrice price, RetrySettings retry)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentException.ThrowIfNullOrEmpty(providerId);
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(breaker);
        ArgumentNullException.ThrowIfNull(price);
        Name = name;
        ProviderId = providerId;
        Zone = zone;
        Client = client;
        Breaker = breaker;
        Price = price;
        Retry = retry;
        LoadSignal = client.GetService(typeof(ILoadSignal)) as ILoadSignal;
    }

    /// <summary>The model name clients use.</summary>
    public string Name { get; }

    /// <summary>The provider id.</summary>
    public string ProviderId { get; }

    /// <summary>The residency zone the data goes to when this candidate serves.</summary>
    public string Zone { get; }

    /// <summary>The client to invoke.</summary>
    public IChatClient Client { get; }

    /// <summary>The provider's circuit breaker (shared by every model of the provider).</summary>
    public CircuitBreaker Breaker { get; }

    /// <summary>Prices per million tokens.</summary>
    public ModelPrice Price { get; }

    /// <summary>How transient failures of this candidate are retried before failing over.</summary>
    public RetrySettings Retry { get; }

    /// <summary>The most output tokens the model produces when a request sets no limit (budgets reserve this much output).</summary>
    public int MaxOutputTokens { get; init; } = Access.BudgetBound.DefaultMaxOutputTokens;

    /// <summary>The model's own requests and tokens per minute across the gateway (<c>Models:&lt;name&gt;:Rpm/Tpm</c>), if limited.</summary>
    public Access.RateLimitScope? RateLimit { get; init; }

    /// <summary>An embedding model (<c>Models:&lt;name&gt;:Kind embedding</c>): its client answers with an <see cref="Embedding.EmbeddingsContent"/>, never text.</summary>
    public bool IsEmbedding { get; init; }

    /// <summary>The provider's live load, when it reports one (looked up once, here).</summary>
    public ILoadSignal? LoadSignal { get; }
}
