using System.Collections.Frozen;

namespace Switchyard.Routing;

/// <summary>
/// The immutable runtime snapshot of what can be requested: models by name and routes (ordered candidate lists).
/// Lookups are case-insensitive.
/// </summary>
public sealed class ModelCatalog
{
    private readonly FrozenDictionary<string, RouteCandidate> _models;
    private readonly FrozenDictionary<string, RouteCandidate[]> _routes;
    private readonly FrozenSet<string> _pseudonymizedRoutes;
    private readonly FrozenDictionary<string, IRouteStrategy> _strategies;

    /// <summary>Creates the catalog.</summary>
    /// <param name="models">The models.</param>
    /// <param name="routes">Routes: name → candidate model names in order.</param>
    /// <param name="pseudonymizedRoutes">Routes that may send pseudonymised requests outside the allowed zones.</param>
    /// <param name="strategies">Routes that pick among their candidates by a strategy (difficulty, cascade) rather than in order.</param>
    public ModelCatalog(IEnumerable<RouteCandidate> models, IReadOnlyDictionary<string, IReadOnlyList<string>> routes, IEnumerable<string>? pseudonymizedRoutes = null, IReadOnlyDictionary<string, IRouteStrategy>? strategies = null)
    {
        _strategies = (strategies ?? new Dictionary<string, IRouteStrategy>()).ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        _pseudonymizedRoutes = (pseudonymizedRoutes ?? []).ToFrozenSet(StringComparer.OrdinalIgnoreCase);
        ArgumentNullException.ThrowIfNull(models);
        ArgumentNullException.ThrowIfNull(routes);
        _models = models.ToFrozenDictionary(m => m.Name, StringComparer.OrdinalIgnoreCase);
        _routes = routes.ToFrozenDictionary(
            r => r.Key,
            r => r.Value.Select(name => _models.TryGetValue(name, out var m) ? m : throw new ArgumentException($"Route '{r.Key}' names unknown model '{name}'.", nameof(routes))).ToArray(),
            StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The configured models.</summary>
    public IEnumerable<RouteCandidate> Models => _models.Values;

    /// <summary>The configured routes with their candidates.</summary>
    public IEnumerable<KeyValuePair<string, RouteCandidate[]>> Routes => _routes;

    /// <summary>Whether <paramref name="route"/> pseudonymises detected values for candidates outside the allowed zones.</summary>
    public bool Pseudonymizes(string? route) => route is not null && _pseudonymizedRoutes.Contains(route);

    /// <summary>The route's strategy, or null when it tries its candidates in order.</summary>
    public IRouteStrategy? StrategyFor(string? route) => route is not null && _strategies.TryGetValue(route, out var strategy) ? strategy : null;

    /// <summary>Every name a client may request.</summary>
    public IEnumerable<string> Names => _models.Keys.Concat(_routes.Keys);

    /// <summary>Whether <paramref name="requested"/> names an embedding model or route; null when it names nothing.</summary>
    public bool? IsEmbedding(string? requested) =>
        TryResolve(requested, out _, out var candidates) ? candidates.Count > 0 && candidates[0].IsEmbedding : null;

    /// <summary>Resolves a requested name to its candidates; false when the name is unknown.</summary>
    /// <param name="requested">A model or route name.</param>
    /// <param name="route">The route name (as configured), or null when a model was named directly.</param>
    /// <param name="candidates">The candidates, in order.</param>
    public bool TryResolve(string? requested, out string? route, out IReadOnlyList<RouteCandidate> candidates)
    {
        if (requested is not null)
        {
            if (_routes.TryGetValue(requested, out var list))
            {
                route = _routes.Keys.First(k => string.Equals(k, requested, StringComparison.OrdinalIgnoreCase));
                candidates = list;
                return true;
            }

            if (_models.TryGetValue(requested, out var model))
            {
                route = null;
                candidates = [model];
                return true;
            }
        }

        route = null;
        candidates = [];
        return false;
    }
}
