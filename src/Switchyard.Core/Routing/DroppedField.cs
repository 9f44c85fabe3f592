using System.Text.Json.Serialization;

namespace Switchyard.Routing;

/// <summary>A field of the request the model that was called does not understand, so it was not sent (see <c>Wire.FieldFidelity</c>).</summary>
/// <param name="Model">The candidate that was called without it.</param>
/// <param name="Field">The field, as the fidelity table names it.</param>
/// <param name="Why">The table's note.</param>
public sealed record DroppedField(
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("field")] string Field,
    [property: JsonPropertyName("why")] string Why);
