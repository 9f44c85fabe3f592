using System.Text.Json.Serialization;

namespace Switchyard.Economics;

/// <summary>How the self-hosted versus hosted comparison moves as one input is scaled.</summary>
/// <param name="Parameter">The varied input: one of the <see cref="SensitivityParameters"/> names.</param>
/// <param name="Rows">One row per factor, in the order the factors were given.</param>
public sealed record SensitivityTable(
    [property: JsonPropertyName("parameter")] string Parameter,
    [property: JsonPropertyName("rows")] IReadOnlyList<SensitivityRow> Rows);
