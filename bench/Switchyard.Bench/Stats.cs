using System.Text.Json.Nodes;

namespace Switchyard.Bench;

/// <summary>Mean and percentiles (nearest rank) of a set of durations, in microseconds.</summary>
internal sealed record Summary(int Count, double MeanUs, double P50Us, double P90Us, double P99Us, double MinUs, double MaxUs)
{
    public static Summary Of(IReadOnlyCollection<double> samplesUs)
    {
        if (samplesUs.Count == 0)
        {
            return new Summary(0, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN);
        }

        var sorted = samplesUs.ToArray();
        Array.Sort(sorted);
        return new Summary(sorted.Length, sorted.Average(), Percentile(sorted, 50), Percentile(sorted, 90), Percentile(sorted, 99), sorted[0], sorted[^1]);
    }

    private static double Percentile(double[] sorted, double p)
    {
        var rank = (int)Math.Ceiling(p / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    public JsonObject ToJson() => new()
    {
        ["count"] = Count,
        ["mean_us"] = Round(MeanUs),
        ["p50_us"] = Round(P50Us),
        ["p90_us"] = Round(P90Us),
        ["p99_us"] = Round(P99Us),
        ["min_us"] = Round(MinUs),
        ["max_us"] = Round(MaxUs),
    };

    internal static double? Round(double value) => double.IsFinite(value) ? Math.Round(value, 1) : null;
}
