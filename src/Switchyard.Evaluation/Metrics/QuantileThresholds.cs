namespace Switchyard.Evaluation.Metrics;

/// <summary>
/// The thresholds RouteLLM sweeps: the bin edges of <c>pd.qcut(scores, bins, retbins=True)</c>, computed with the
/// same floating-point steps as pandas 1.5–2.2 on numpy ≥ 1.22, so that a score lying on an edge falls on the same side.
/// </summary>
internal static class QuantileThresholds
{
    /// <summary>
    /// The <paramref name="bins"/> + 1 edges at quantiles 0, 1/bins, …, 1 of <paramref name="sortedAscending"/>,
    /// duplicates kept (RouteLLM's "including duplicates").
    /// </summary>
    /// <remarks>
    /// Steps, each as the Python libraries do it:
    /// <c>np.linspace(0, 1, bins + 1)</c> gives k·(1/bins) with the last set to exactly 1;
    /// pandas' <c>quantile_with_mask</c> multiplies by 100.0 and <c>np.percentile</c> divides by 100 again;
    /// numpy's default "linear" method takes the virtual index (n − 1)·q, clamps it at the last element, and
    /// interpolates with <c>_lerp</c>, which computes from the upper neighbour when the weight is ≥ 0.5.
    /// </remarks>
    internal static double[] Edges(ReadOnlySpan<double> sortedAscending, int bins)
    {
        var n = sortedAscending.Length;
        var edges = new double[bins + 1];
        var step = 1.0 / bins;
        for (var k = 0; k <= bins; k++)
        {
            var q = k == bins ? 1.0 : k * step;
            q = q * 100.0 / 100.0;
            var virtualIndex = (n - 1) * q;
            if (virtualIndex >= n - 1)
            {
                edges[k] = sortedAscending[n - 1];
                continue;
            }

            var below = (int)Math.Floor(virtualIndex);
            var gamma = virtualIndex - below;
            var a = sortedAscending[below];
            var b = sortedAscending[below + 1];
            var diff = b - a;
            edges[k] = gamma >= 0.5 ? b - (diff * (1 - gamma)) : a + (diff * gamma);
        }

        return edges;
    }

    /// <summary>How many of <paramref name="sortedAscending"/> are ≥ <paramref name="threshold"/>.</summary>
    internal static int CountAtLeast(ReadOnlySpan<double> sortedAscending, double threshold)
    {
        int lo = 0, hi = sortedAscending.Length;
        while (lo < hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if (sortedAscending[mid] < threshold)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return sortedAscending.Length - lo;
    }

    /// <summary>How many of <paramref name="sortedAscending"/> are &gt; <paramref name="threshold"/>.</summary>
    internal static int CountAbove(ReadOnlySpan<double> sortedAscending, double threshold)
    {
        int lo = 0, hi = sortedAscending.Length;
        while (lo < hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if (sortedAscending[mid] <= threshold)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return sortedAscending.Length - lo;
    }
}
