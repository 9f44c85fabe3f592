namespace Switchyard.Routing.Learners;

/// <summary>Accumulates held-out squared error per target; the score of a setting is the mean over targets of each target's mean (Brier) error.</summary>
internal sealed class HeldOutError(int targets)
{
    private readonly double[] _sum = new double[targets];
    private readonly int[] _count = new int[targets];

    /// <summary>Adds one prediction of a known value (NaN values are skipped).</summary>
    public void Add(int target, double predicted, double actual)
    {
        if (double.IsNaN(actual))
        {
            return;
        }

        var e = predicted - actual;
        _sum[target] += e * e;
        _count[target]++;
    }

    /// <summary>The mean over targets with at least one value of their mean squared error.</summary>
    public double Score
    {
        get
        {
            var (total, used) = (0.0, 0);
            for (var t = 0; t < _sum.Length; t++)
            {
                if (_count[t] > 0)
                {
                    total += _sum[t] / _count[t];
                    used++;
                }
            }

            return used > 0 ? total / used : 0;
        }
    }
}
