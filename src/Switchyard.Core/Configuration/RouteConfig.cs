namespace Switchyard.Configuration;

/// <summary>A route: a name clients may request that resolves to an ordered list of candidate models.</summary>
public sealed class RouteConfig
{
    /// <summary>Model names, tried in order; later ones serve when earlier ones fail before any output.</summary>
    public List<string> Candidates { get; init; } = [];
}
