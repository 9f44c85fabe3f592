using System.Text.Json;
using Switchyard.Metering;

namespace Switchyard.Cli;

/// <summary>
/// One request's privacy audit as <c>switchyard ledger --audit</c> shows it: the data classes found (types and
/// counts, never values), the zones allowed to serve, the rules that decided, and the zone that served.
/// </summary>
/// <param name="Timestamp">When the request arrived.</param>
/// <param name="RequestId">The request id.</param>
/// <param name="Requested">The model or route requested.</param>
/// <param name="ServedModel">The model that served, if any.</param>
/// <param name="ServedZone">The zone that served, if any.</param>
/// <param name="Status"><c>ok</c>, <c>error</c> or <c>cancelled</c>.</param>
/// <param name="HttpStatus">The status the client saw.</param>
/// <param name="Classes">Findings per data class; empty when nothing was found.</param>
/// <param name="AllowedZones">Zones allowed to serve, or null when any zone was (or no privacy guard ran).</param>
/// <param name="Rules">The rules that decided.</param>
/// <param name="Locations">Where values were found: field paths per class (never values).</param>
internal sealed record AuditRow(
    DateTimeOffset Timestamp,
    string RequestId,
    string Requested,
    string? ServedModel,
    string? ServedZone,
    string Status,
    int HttpStatus,
    IReadOnlyDictionary<string, int> Classes,
    IReadOnlyList<string>? AllowedZones,
    IReadOnlyList<string> Rules,
    IReadOnlyList<Privacy.PrivacyLocation> Locations)
{
    /// <summary>Reads the privacy part of a record's stored route decision.</summary>
    public static AuditRow From(LedgerRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var classes = new Dictionary<string, int>(StringComparer.Ordinal);
        List<string>? zones = null;
        var rules = new List<string>();
        var locations = new List<Privacy.PrivacyLocation>();
        try
        {
            using var doc = JsonDocument.Parse(record.DecisionJson);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("privacy", out var privacy) && privacy.ValueKind == JsonValueKind.Object)
            {
                if (privacy.TryGetProperty("classes", out var c) && c.ValueKind == JsonValueKind.Object)
                {
                    foreach (var p in c.EnumerateObject())
                    {
                        classes[p.Name] = p.Value.TryGetInt32(out var n) ? n : 0;
                    }
                }

                if (privacy.TryGetProperty("allowed_zones", out var z) && z.ValueKind == JsonValueKind.Array)
                {
                    zones = [.. z.EnumerateArray().Select(e => e.GetString() ?? "")];
                }

                if (privacy.TryGetProperty("rules", out var r) && r.ValueKind == JsonValueKind.Array)
                {
                    rules.AddRange(r.EnumerateArray().Select(e => e.GetString() ?? ""));
                }

                if (privacy.TryGetProperty("locations", out var l) && l.ValueKind == JsonValueKind.Array)
                {
                    locations.AddRange(l.EnumerateArray()
                        .Where(e => e.ValueKind == JsonValueKind.Object && e.TryGetProperty("class", out _) && e.TryGetProperty("path", out _))
                        .Select(e => new Privacy.PrivacyLocation(e.GetProperty("class").GetString() ?? "", e.GetProperty("path").GetString() ?? "")));
                }
            }
        }
        catch (JsonException)
        {
            // A record written before decisions were stored as JSON: nothing to audit.
        }

        return new AuditRow(record.Timestamp, record.RequestId, record.Requested, record.ServedModel, record.Zone, record.Status, record.HttpStatus, classes, zones, rules, locations);
    }
}
