using Microsoft.Extensions.AI;

namespace Switchyard.Routing;

/// <summary>
/// How a route picks among the candidates the policy allows: the order to try them in and, per candidate, the client
/// to call. Without one a route tries its candidates in configured order. Implementations hold no per-request state
/// (it goes in the <see cref="RouteDecisionBuilder"/>) and are called concurrently.
/// </summary>
public interface IRouteStrategy
{
    /// <summary><c>difficulty</c> or <c>cascade</c>: recorded in the decision.</summary>
    string Kind { get; }

    /// <summary>The order to try <paramref name="candidates"/> (already filtered by policy) for this conversation.</summary>
    IReadOnlyList<RouteCandidate> Order(IReadOnlyList<ChatMessage> messages, IReadOnlyList<RouteCandidate> candidates, RouteDecisionBuilder decision);

    /// <summary>The client to call for <paramref name="candidate"/>; <paramref name="hasFallback"/> says whether a later candidate could still serve.</summary>
    IChatClient ClientFor(RouteCandidate candidate, bool hasFallback, RouteDecisionBuilder decision);
}
