using System.Text.Json.Serialization;

namespace Switchyard.Gateway;

/// <summary>The body of <c>GET /healthz</c>.</summary>
/// <param name="Status">Always <c>ok</c> while the process serves.</param>
/// <param name="Models">Configured models.</param>
/// <param name="Routes">Configured routes.</param>
/// <param name="Embedded">Models running in process, with their file hash and load.</param>
public sealed record HealthStatus(
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("models")] int Models,
    [property: JsonPropertyName("routes")] int Routes,
    [property: JsonPropertyName("embedded")] IReadOnlyList<EmbeddedHealth> Embedded);
