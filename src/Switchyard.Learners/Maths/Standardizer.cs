namespace Switchyard.Routing.Learners;

/// <summary>Per-column centring and scaling to unit variance (a column with no variance is only centred).</summary>
internal static class Standardizer
{
    /// <summary>The mean and 1/standard deviation of each of the <paramref name="d"/> columns of the <paramref name="n"/> rows of <paramref name="x"/>.</summary>
    public static (float[] Center, float[] Scale) Fit(float[] x, int n, int d)
    {
        var mean = new double[d];
        var square = new double[d];
        for (var i = 0; i < n; i++)
        {
            for (var j = 0; j < d; j++)
            {
                double v = x[(i * d) + j];
                mean[j] += v;
                square[j] += v * v;
            }
        }

        var center = new float[d];
        var scale = new float[d];
        for (var j = 0; j < d; j++)
        {
            var m = n > 0 ? mean[j] / n : 0;
            var variance = n > 0 ? Math.Max(0, (square[j] / n) - (m * m)) : 0;
            center[j] = (float)m;
            scale[j] = variance > 1e-12 ? (float)(1 / Math.Sqrt(variance)) : 1f;
        }

        return (center, scale);
    }

    /// <summary>Standardises <paramref name="row"/> in place.</summary>
    public static void Apply(Span<float> row, float[] center, float[] scale)
    {
        for (var j = 0; j < row.Length; j++)
        {
            row[j] = (row[j] - center[j]) * scale[j];
        }
    }
}
