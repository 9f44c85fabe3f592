using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Switchyard.Routing.Difficulty;

/// <summary>A logistic-regression model over <see cref="ConversationFeaturizer"/> features: P(y = 1) = σ(bias + w·x).</summary>
/// <param name="Weights">One weight per feature index (length = the featurizer's dimension).</param>
/// <param name="Bias">The intercept.</param>
public sealed record LogisticModel(float[] Weights, double Bias)
{
    /// <summary>σ(bias + w·x) for extracted features.</summary>
    public double Predict(SparseVector x)
    {
        ArgumentNullException.ThrowIfNull(x);
        var z = Bias;
        var weights = Weights;
        for (var i = 0; i < x.Indices.Length; i++)
        {
            z += weights[x.Indices[i]] * x.Values[i];
        }

        return Sigmoid(z);
    }

    /// <summary>σ(bias + w·x) for a conversation, extracting its features on the fly (no allocation).</summary>
    public double Predict(ConversationFeaturizer featurizer, IReadOnlyList<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(featurizer);
        var sink = new DotSink(Weights);
        featurizer.Extract(messages, ref sink);
        return Sigmoid(Bias + sink.Sum);
    }

    /// <summary>The logistic function, guarded against overflow.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static double Sigmoid(double z) => z >= 0 ? 1 / (1 + Math.Exp(-z)) : Math.Exp(z) / (1 + Math.Exp(z));

    private struct DotSink(float[] weights) : IFeatureSink
    {
        private readonly float[] _weights = weights;

        public double Sum { get; private set; }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void Add(int index, float value) => Sum += _weights[index] * value;
    }
}
