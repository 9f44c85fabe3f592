namespace Switchyard.Configuration;

/// <summary>
/// The privacy boundary: which residency zones are inside it, and which zones may serve requests that carry each
/// data class. With no rules, a request with any finding may only be served inside the boundary.
/// </summary>
public sealed class PrivacyConfig
{
    /// <summary>The zone inside the boundary when <see cref="InsideZones"/> is empty.</summary>
    public const string DefaultInsideZone = "self";

    /// <summary>Zones inside the boundary; empty means just <c>self</c>.</summary>
    public List<string> InsideZones { get; init; } = [];

    /// <summary>Rules mapping data classes to the zones allowed to serve them; the first rule naming a class applies.</summary>
    public List<PrivacyRuleConfig> Rules { get; init; } = [];

    /// <summary>Data classes of your own, by class name (lower-case letters, digits, '_'): terms and patterns to detect.</summary>
    public Dictionary<string, CustomDataClassConfig> CustomClasses { get; init; } = new(StringComparer.Ordinal);

    /// <summary>The inside zones, with the default applied.</summary>
    public IReadOnlyList<string> EffectiveInsideZones => InsideZones.Count > 0 ? InsideZones : [DefaultInsideZone];
}
