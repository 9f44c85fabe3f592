using System.Text.Json.Serialization;

namespace Switchyard.Evaluation.Simulation;

/// <summary>One metric of one router over several seeds: mean and range of the seeds where it is defined, and every seed's value.</summary>
/// <remarks>A metric can be undefined on a seed (NaN, for example PGR when that test set's strong–weak gap is not positive); such seeds are left out of the mean and range and counted out of <see cref="Defined"/>.</remarks>
/// <param name="Mean">The mean over the seeds where the metric is defined; NaN when it is defined on none.</param>
/// <param name="Min">The smallest defined value; NaN when there is none.</param>
/// <param name="Max">The largest defined value; NaN when there is none.</param>
/// <param name="Defined">On how many seeds the metric is defined.</param>
/// <param name="Values">Every seed's value, in seed order (NaN where undefined; JSON writes it as <c>"NaN"</c>).</param>
public sealed record MetricSummary(
    [property: JsonPropertyName("mean"), JsonNumberHandling(JsonNumberHandling.AllowNamedFloatingPointLiterals)] double Mean,
    [property: JsonPropertyName("min"), JsonNumberHandling(JsonNumberHandling.AllowNamedFloatingPointLiterals)] double Min,
    [property: JsonPropertyName("max"), JsonNumberHandling(JsonNumberHandling.AllowNamedFloatingPointLiterals)] double Max,
    [property: JsonPropertyName("defined")] int Defined,
    [property: JsonPropertyName("values"), JsonNumberHandling(JsonNumberHandling.AllowNamedFloatingPointLiterals)] IReadOnlyList<double> Values)
{
    /// <summary>Summarises per-seed values.</summary>
    /// <param name="values">One value per seed, NaN where undefined.</param>
    /// <exception cref="ArgumentException">There are no values.</exception>
    public static MetricSummary Of(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count == 0)
        {
            throw new ArgumentException("At least one value is needed.", nameof(values));
        }

        var defined = values.Where(v => !double.IsNaN(v)).ToList();
        return defined.Count == 0
            ? new MetricSummary(double.NaN, double.NaN, double.NaN, 0, [.. values])
            : new MetricSummary(defined.Average(), defined.Min(), defined.Max(), defined.Count, [.. values]);
    }
}
