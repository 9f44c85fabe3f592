namespace Switchyard.Configuration;

/// <summary>A route: a name clients may request that resolves to an ordered list of candidate models.</summary>
public sealed class RouteConfig
{
    /// <summary>Model names, tried in order; later ones serve when earlier ones fail before any output.</summary>
    public List<string> Candidates { get; init; } = [];

    /// <summary>
    /// Privacy: a candidate outside the zones the detected values allow may still serve, with every detected value
    /// replaced by a placeholder before the call and restored in the reply. Declared classes still restrict zones.
    /// </summary>
    public bool Pseudonymize { get; init; }

    /// <summary>
    /// Privacy: data classes every request to this route carries (e.g. <c>health</c> for a clinical assistant), counted
    /// as findings whatever the scanner sees.
    /// </summary>
    public List<string> DataClasses { get; init; } = [];

    /// <summary>How the route picks among its candidates (default: in order, failover only).</summary>
    public RouteStrategyConfig? Strategy { get; init; }
}
