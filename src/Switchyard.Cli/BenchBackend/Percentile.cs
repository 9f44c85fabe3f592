namespace Switchyard.Cli.BenchBackend;

/// <summary>Percentiles by linear interpolation between the closest ranks (NumPy's default).</summary>
internal static class Percentile
{
    /// <summary>The <paramref name="p"/>-th percentile (0 to 100) of <paramref name="values"/>, or null when there are none.</summary>
    public static double? Of(IReadOnlyCollection<double> values, double p)
    {
        if (values.Count == 0)
        {
            return null;
        }

        var sorted = values.Order().ToArray();
        var rank = p / 100 * (sorted.Length - 1);
        var low = (int)Math.Floor(rank);
        var high = (int)Math.Ceiling(rank);
        return sorted[low] + ((sorted[high] - sorted[low]) * (rank - low));
    }
}
