namespace Switchyard.Routing.Learners;

/// <summary>Non-increasing isotonic regression (pool-adjacent-violators) and linear interpolation between its knots.</summary>
internal static class Isotonic
{
    /// <summary>
    /// Fits the non-increasing step function closest in squared error to (<paramref name="x"/>, <paramref name="y"/>)
    /// and returns one knot per step: the step's mean x and its value. Knot x increase strictly and knot values
    /// decrease strictly (equal neighbouring steps are pooled). Equal x are pooled first.
    /// </summary>
    public static (double[] X, double[] Y) FitDecreasing(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count || x.Count == 0)
        {
            throw new ArgumentException("x and y must be non-empty and equally long.", nameof(y));
        }

        var order = Enumerable.Range(0, x.Count).OrderBy(i => x[i]).ToArray();
        var blocks = new List<Block>();
        for (var k = 0; k < order.Length; k++)
        {
            var i = order[k];
            if (blocks.Count > 0 && blocks[^1].Last == x[i])
            {
                blocks[^1] = blocks[^1].Add(new Block(1, y[i], x[i], x[i]));
            }
            else
            {
                blocks.Add(new Block(1, y[i], x[i], x[i]));
            }

            // Pool while the previous step is not above the last one.
            while (blocks.Count >= 2 && blocks[^2].Mean <= blocks[^1].Mean)
            {
                var merged = blocks[^2].Add(blocks[^1]);
                blocks.RemoveAt(blocks.Count - 1);
                blocks[^1] = merged;
            }
        }

        return ([.. blocks.Select(b => b.XSum / b.Weight)], [.. blocks.Select(b => b.Mean)]);
    }

    /// <summary>The piecewise-linear curve through the knots at <paramref name="at"/>, constant beyond the first and last knot.</summary>
    public static double Interpolate(double[] knotX, double[] knotY, double at)
    {
        if (at <= knotX[0])
        {
            return knotY[0];
        }

        if (at >= knotX[^1])
        {
            return knotY[^1];
        }

        var hi = Array.BinarySearch(knotX, at);
        if (hi >= 0)
        {
            return knotY[hi];
        }

        hi = ~hi;
        var lo = hi - 1;
        var t = (at - knotX[lo]) / (knotX[hi] - knotX[lo]);
        return knotY[lo] + (t * (knotY[hi] - knotY[lo]));
    }

    private readonly record struct Block(double Weight, double YSum, double XSum, double Last)
    {
        public double Mean => YSum / Weight;

        public Block Add(Block next) => new(Weight + next.Weight, YSum + next.YSum, XSum + next.XSum, next.Last);
    }
}
