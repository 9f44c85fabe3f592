using System.Text.Json.Serialization;

namespace Switchyard.Privacy;

/// <summary>
/// What the privacy policy decided for one request: the data classes found (types and counts, never values), the
/// zones allowed to serve it, and the rules that decided. Recorded in the route decision and so in the ledger.
/// </summary>
/// <param name="Classes">Findings per data class (detected and declared).</param>
/// <param name="AllowedZones">Zones that may serve the request, or null when any zone may (nothing was found).</param>
/// <param name="Rules">The rules that decided (<c>default</c> when a class fell back to the inside zones).</param>
public sealed record PrivacyDecision(
    [property: JsonPropertyName("classes")] IReadOnlyDictionary<string, int> Classes,
    [property: JsonPropertyName("allowed_zones")] IReadOnlyList<string>? AllowedZones,
    [property: JsonPropertyName("rules")] IReadOnlyList<string> Rules)
{
    /// <summary>
    /// Zones allowed once every detected value is replaced by a placeholder: those the declared classes allow (null:
    /// any zone). Used only by routes that pseudonymise.
    /// </summary>
    [JsonPropertyName("zones_with_pseudonyms")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? ZonesWithPseudonyms { get; init; }

    /// <summary>Where the findings were (field paths, never values; at most 64), or null when not recorded.</summary>
    [JsonPropertyName("locations")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<PrivacyLocation>? Locations { get; init; }

    /// <summary>Whether <paramref name="zone"/> may serve the request after its detected values are pseudonymised.</summary>
    public bool AllowsWithPseudonyms(string zone) => ZonesWithPseudonyms is null || ZonesWithPseudonyms.Contains(zone, StringComparer.OrdinalIgnoreCase);

    /// <summary>The decision for a request with no findings: any zone may serve.</summary>
    public static PrivacyDecision Unrestricted { get; } = new(new Dictionary<string, int>(), null, []);

    /// <summary>Whether <paramref name="zone"/> may serve the request.</summary>
    public bool Allows(string zone) => AllowedZones is null || AllowedZones.Contains(zone, StringComparer.OrdinalIgnoreCase);

    /// <summary>A short description for elimination reasons, e.g. <c>email x2, secret (rule default)</c>.</summary>
    public string Describe() =>
        string.Join(", ", Classes.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => c.Value > 1 ? $"{c.Key} x{c.Value}" : c.Key))
        + $" (rule {string.Join(", ", Rules)})";
}
