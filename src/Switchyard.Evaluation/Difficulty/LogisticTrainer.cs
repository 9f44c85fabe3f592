namespace Switchyard.Routing.Difficulty;

/// <summary>
/// Fits a <see cref="LogisticModel"/> by stochastic gradient descent with per-feature AdaGrad steps and an L2
/// penalty: sparse, a few passes, seconds on tens of thousands of prompts. Deterministic for a given seed.
/// </summary>
/// <remarks>
/// Written here rather than taken from ML.NET: the model is one weight vector read on the request path, Switchyard.Core
/// stays free of ML.NET's dependency tree, and the saved router is a plain JSON file any tool can read.
/// </remarks>
public static class LogisticTrainer
{
    /// <summary>Trains on examples <paramref name="x"/> with targets <paramref name="y"/> in [0, 1].</summary>
    /// <param name="x">Features.</param>
    /// <param name="y">Targets (soft targets allowed).</param>
    /// <param name="dimension">Feature vector length.</param>
    /// <param name="settings">Training settings.</param>
    public static LogisticModel Train(IReadOnlyList<SparseVector> x, IReadOnlyList<double> y, int dimension, TrainingSettings settings)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(settings);
        if (x.Count != y.Count)
        {
            throw new ArgumentException("x and y differ in length.", nameof(y));
        }

        settings.Validate();
        var weights = new float[dimension];
        var squares = new float[dimension];
        var bias = 0.0;
        var biasSquares = 0.0;
        if (x.Count == 0)
        {
            return new LogisticModel(weights, 0);
        }

        // Start the intercept at the base rate so the first pass does not spend itself learning it.
        var mean = Math.Clamp(y.Average(), 1e-3, 1 - 1e-3);
        bias = Math.Log(mean / (1 - mean));
        const double Epsilon = 1e-8;
        var order = Enumerable.Range(0, x.Count).ToArray();
        var random = new Random(settings.Seed);
        var rate = settings.LearningRate;
        var l2 = settings.L2;
        for (var epoch = 0; epoch < settings.Epochs; epoch++)
        {
            random.Shuffle(order);
            foreach (var n in order)
            {
                var example = x[n];
                var indices = example.Indices;
                var values = example.Values;
                var z = bias;
                for (var k = 0; k < indices.Length; k++)
                {
                    z += weights[indices[k]] * values[k];
                }

                var g = LogisticModel.Sigmoid(z) - y[n];
                biasSquares += g * g;
                bias -= rate * g / Math.Sqrt(biasSquares + Epsilon);
                for (var k = 0; k < indices.Length; k++)
                {
                    var i = indices[k];
                    var gi = (float)(g * values[k] + l2 * weights[i]);
                    squares[i] += gi * gi;
                    weights[i] -= (float)(rate * gi / Math.Sqrt(squares[i] + Epsilon));
                }
            }
        }

        return new LogisticModel(weights, bias);
    }
}
