using System.Numerics.Tensors;

namespace Switchyard.Routing.Learners;

/// <summary>
/// L2-penalised logistic regression on dense rows, fitted by full-batch gradient descent with Nesterov momentum and
/// gradient-based restarts, step 1/L with L bounded by power iteration. Minimises the mean cross-entropy (soft targets
/// in [0, 1] allowed) plus λ/2·‖w‖² (the intercept is not penalised). Deterministic: fixed start, fixed order.
/// </summary>
internal static class DenseLogistic
{
    private const int FlushEvery = 256;

    /// <summary>Fits weights and intercept on the given rows of <paramref name="x"/> (row-major, <paramref name="d"/> wide).</summary>
    /// <param name="x">The standardised rows.</param>
    /// <param name="d">Row width.</param>
    /// <param name="rows">Which rows to fit on.</param>
    /// <param name="y">The target of each of <paramref name="rows"/>, in [0, 1].</param>
    /// <param name="l2">λ.</param>
    /// <param name="maxIterations">Gradient steps at most.</param>
    /// <param name="tolerance">Stops when every gradient component is below this.</param>
    public static (float[] Weights, double Bias) Fit(float[] x, int d, IReadOnlyList<int> rows, IReadOnlyList<double> y, double l2, int maxIterations, double tolerance = 1e-5)
    {
        var m = rows.Count;
        var w = new double[d];
        if (m == 0)
        {
            return (new float[d], 0);
        }

        var mean = Math.Clamp(y.Average(), 1e-4, 1 - 1e-4);
        var b = Math.Log(mean / (1 - mean));
        var step = 1 / ((0.25 * LargestEigenvalue(x, d, rows) * 1.05) + l2);
        var (yw, yb) = ((double[])w.Clone(), b);
        var gradient = new double[d + 1];
        var momentum = 1.0;
        for (var iteration = 0; iteration < maxIterations; iteration++)
        {
            Gradient(x, d, rows, y, yw, yb, l2, gradient);
            if (Math.Abs(TensorPrimitives.MaxMagnitude<double>(gradient)) < tolerance)
            {
                (w, b) = (yw, yb);
                break;
            }

            // w' = y − step·∇f(y); restart the momentum when the step goes against the gradient (O'Donoghue–Candès).
            var next = new double[d];
            var progress = 0.0;
            for (var j = 0; j < d; j++)
            {
                next[j] = yw[j] - (step * gradient[j]);
                progress += gradient[j] * (next[j] - w[j]);
            }

            var nextB = yb - (step * gradient[d]);
            progress += gradient[d] * (nextB - b);
            momentum = progress > 0 ? 1 : momentum;
            var nextMomentum = (1 + Math.Sqrt(1 + (4 * momentum * momentum))) / 2;
            var beta = (momentum - 1) / nextMomentum;
            for (var j = 0; j < d; j++)
            {
                yw[j] = next[j] + (beta * (next[j] - w[j]));
            }

            yb = nextB + (beta * (nextB - b));
            (w, b, momentum) = (next, nextB, nextMomentum);
        }

        return ([.. w.Select(v => (float)v)], b);
    }

    /// <summary>σ(bias + w·row).</summary>
    public static double Predict(ReadOnlySpan<float> weights, double bias, ReadOnlySpan<float> row) =>
        Difficulty.LogisticModel.Sigmoid(bias + TensorPrimitives.Dot(weights, row));

    /// <summary>∇ of the objective at (w, b) into <paramref name="gradient"/> (the last entry is the intercept's).</summary>
    private static void Gradient(float[] x, int d, IReadOnlyList<int> rows, IReadOnlyList<double> y, double[] w, double b, double l2, double[] gradient)
    {
        var wf = new float[d];
        for (var j = 0; j < d; j++)
        {
            wf[j] = (float)w[j];
        }

        Array.Clear(gradient);
        var partial = new float[d];
        var biasGradient = 0.0;
        for (var k = 0; k < rows.Count; k++)
        {
            var row = x.AsSpan(rows[k] * d, d);
            var residual = Difficulty.LogisticModel.Sigmoid(b + TensorPrimitives.Dot(row, wf)) - y[k];
            biasGradient += residual;
            TensorPrimitives.MultiplyAdd(row, (float)residual, partial, partial);

            // Float partial sums over short runs only, added up in double.
            if ((k + 1) % FlushEvery == 0 || k == rows.Count - 1)
            {
                for (var j = 0; j < d; j++)
                {
                    gradient[j] += partial[j];
                }

                Array.Clear(partial);
            }
        }

        var m = rows.Count;
        for (var j = 0; j < d; j++)
        {
            gradient[j] = (gradient[j] / m) + (l2 * w[j]);
        }

        gradient[d] = biasGradient / m;
    }

    /// <summary>An estimate (power iteration, 30 steps) of the largest eigenvalue of the rows' second-moment matrix with an intercept column.</summary>
    private static double LargestEigenvalue(float[] x, int d, IReadOnlyList<int> rows)
    {
        var v = new float[d + 1];
        Array.Fill(v, 1 / MathF.Sqrt(d + 1));
        var next = new double[d + 1];
        var eigenvalue = 1.0;
        for (var iteration = 0; iteration < 30; iteration++)
        {
            Array.Clear(next);
            foreach (var i in rows)
            {
                var row = x.AsSpan(i * d, d);
                double projection = TensorPrimitives.Dot(row, v.AsSpan(0, d)) + v[d];
                for (var j = 0; j < d; j++)
                {
                    next[j] += projection * row[j];
                }

                next[d] += projection;
            }

            var norm = Math.Sqrt(next.Sum(a => a * a));
            if (!(norm > 0))
            {
                return 1;
            }

            eigenvalue = norm / rows.Count;
            for (var j = 0; j <= d; j++)
            {
                v[j] = (float)(next[j] / norm);
            }
        }

        return eigenvalue;
    }
}
