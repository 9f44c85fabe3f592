using System.Text.Json.Serialization;

namespace Switchyard.Routing.Learners;

/// <summary>A piecewise-linear curve through knots (x increasing), constant beyond its ends.</summary>
/// <param name="X">Knot positions.</param>
/// <param name="Y">Knot values.</param>
public sealed record IsotonicCurve(
    [property: JsonPropertyName("x")] double[] X,
    [property: JsonPropertyName("y")] double[] Y);
