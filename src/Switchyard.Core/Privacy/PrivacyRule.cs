namespace Switchyard.Privacy;

/// <summary>Requests carrying any of <paramref name="Classes"/> (or any class, for <c>*</c>) may only be served in <paramref name="Zones"/>.</summary>
/// <param name="Name">The name recorded in the audit trail.</param>
/// <param name="Classes">Data classes, or <c>*</c>.</param>
/// <param name="Zones">Zones allowed to serve.</param>
public sealed record PrivacyRule(string Name, IReadOnlyList<string> Classes, IReadOnlyList<string> Zones)
{
    /// <summary>Whether the rule covers <paramref name="dataClass"/>.</summary>
    public bool Covers(string dataClass) => Classes.Any(c => c == "*" || string.Equals(c, dataClass, StringComparison.OrdinalIgnoreCase));
}
