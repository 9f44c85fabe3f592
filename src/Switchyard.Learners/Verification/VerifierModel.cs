using System.Globalization;
using Microsoft.Extensions.AI;
using Switchyard.Embeddings;
using Switchyard.Routing.Difficulty;

namespace Switchyard.Routing.Learners.Verification;

/// <summary>
/// A fitted learned cascade verifier: predicts P(the cheap model's answer is good enough) from
/// <see cref="AnswerFeatures"/> of the answer, joined with the prompt's embedding when it was trained with one.
/// Carries its out-of-fold <see cref="Calibration"/> set, from which thresholds for a target are found. Immutable and
/// safe to call concurrently. Fitted by <see cref="VerifierTrainer"/>, saved and loaded with <see cref="VerifierModelJson"/>.
/// </summary>
public sealed class VerifierModel
{
    private readonly float[] _center;
    private readonly float[] _scale;
    private readonly float[] _weights;

    internal VerifierModel(string weak, string strong, double margin, int embeddingDimensions, double l2, double embeddingWeight, float[] center, float[] scale, float[] weights, double bias, CalibrationSet calibration)
    {
        Weak = weak;
        Strong = strong;
        Margin = margin;
        EmbeddingDimensions = embeddingDimensions;
        L2 = l2;
        EmbeddingWeight = embeddingWeight;
        _center = center;
        _scale = scale;
        _weights = weights;
        Bias = bias;
        Calibration = calibration;
    }

    /// <summary>The cheap model whose answers it verifies.</summary>
    public string Weak { get; }

    /// <summary>The strong model the cascade escalates to.</summary>
    public string Strong { get; }

    /// <summary>The margin of the good-enough label it was trained on.</summary>
    public double Margin { get; }

    /// <summary>The prompt-embedding length it reads after the answer features (0: answer features only).</summary>
    public int EmbeddingDimensions { get; }

    /// <summary>Row width: <see cref="AnswerFeatures.Count"/> plus <see cref="EmbeddingDimensions"/>.</summary>
    public int Width => AnswerFeatures.Count + EmbeddingDimensions;

    /// <summary>The L2 penalty cross-validation chose.</summary>
    public double L2 { get; }

    /// <summary>The block weight cross-validation chose for the embedding columns (already folded into <see cref="Scale"/>; 1 without an embedding).</summary>
    public double EmbeddingWeight { get; }

    /// <summary>The intercept.</summary>
    public double Bias { get; }

    /// <summary>Per column, the training mean subtracted before weighting.</summary>
    public ReadOnlySpan<float> Center => _center;

    /// <summary>Per column, the factor (1 / standard deviation) applied after centring.</summary>
    public ReadOnlySpan<float> Scale => _scale;

    /// <summary>Per column, the weight on the standardised value.</summary>
    public ReadOnlySpan<float> Weights => _weights;

    /// <summary>Out-of-fold P(good) of every training prompt with both models' scores there: thresholds are calibrated on these.</summary>
    public CalibrationSet Calibration { get; }

    /// <summary>The weight of each answer feature on its standardised value, by name (positive: the feature makes a good answer likelier).</summary>
    public IReadOnlyDictionary<string, double> AnswerFeatureWeights =>
        AnswerFeatures.Names.Select((name, j) => (name, j)).ToDictionary(p => p.name, p => (double)_weights[p.j], StringComparer.Ordinal);

    /// <summary>A one-line account of the model (no training text).</summary>
    public string Description => string.Create(
        CultureInfo.InvariantCulture,
        $"learned verifier {Weak} → {Strong}: {AnswerFeatures.Count} answer features{(EmbeddingDimensions > 0 ? $" + {EmbeddingDimensions}-d prompt embedding (weight {EmbeddingWeight:0.###})" : string.Empty)}, l2={L2:0.####}, {Calibration.Count} calibration prompts");

    /// <summary>P(good enough) of an answer from its features.</summary>
    /// <param name="answerFeatures">The <see cref="AnswerFeatures.Count"/> answer features.</param>
    /// <param name="embedding">The prompt's embedding, <see cref="EmbeddingDimensions"/> long (empty when the model reads none).</param>
    /// <returns>A probability in [0, 1].</returns>
    /// <exception cref="ArgumentException">A span has the wrong length.</exception>
    public double Predict(ReadOnlySpan<float> answerFeatures, ReadOnlySpan<float> embedding)
    {
        if (answerFeatures.Length != AnswerFeatures.Count)
        {
            throw new ArgumentException($"Expected {AnswerFeatures.Count} answer features, got {answerFeatures.Length}.", nameof(answerFeatures));
        }

        if (embedding.Length != EmbeddingDimensions)
        {
            throw new ArgumentException($"The model reads a {EmbeddingDimensions}-dimensional prompt embedding, got {embedding.Length}.", nameof(embedding));
        }

        var z = Bias + Dot(answerFeatures, _center.AsSpan(0, AnswerFeatures.Count), _scale.AsSpan(0, AnswerFeatures.Count), _weights.AsSpan(0, AnswerFeatures.Count));
        if (EmbeddingDimensions > 0)
        {
            z += Dot(embedding, _center.AsSpan(AnswerFeatures.Count), _scale.AsSpan(AnswerFeatures.Count), _weights.AsSpan(AnswerFeatures.Count));
        }

        return LogisticModel.Sigmoid(z);
    }

    /// <summary>P(good enough) of <paramref name="answer"/> to <paramref name="messages"/>.</summary>
    /// <param name="messages">The conversation the cheap model answered.</param>
    /// <param name="answer">Its answer text.</param>
    /// <param name="logProbs">The answer's token log-probabilities, when known.</param>
    /// <param name="embedder">Embeds the prompt; required exactly when <see cref="EmbeddingDimensions"/> is above 0, and then of that size.</param>
    /// <returns>A probability in [0, 1].</returns>
    public double Predict(IReadOnlyList<ChatMessage> messages, string answer, IReadOnlyList<double>? logProbs = null, ITextEmbedder? embedder = null)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(answer);
        var prompt = PromptEncoder.TextOf(messages);
        Span<float> features = stackalloc float[AnswerFeatures.Count];
        AnswerFeatures.Compute(prompt, answer, logProbs, features);
        if (EmbeddingDimensions == 0)
        {
            return Predict(features, []);
        }

        if (embedder is null || embedder.Dimensions != EmbeddingDimensions)
        {
            throw new ArgumentException($"The model reads a {EmbeddingDimensions}-dimensional prompt embedding; give an embedder of that size.", nameof(embedder));
        }

        return Predict(features, embedder.Embed(prompt));
    }

    /// <summary>The threshold on P(good) that escalates <paramref name="share"/> of the calibration prompts to the strong model.</summary>
    /// <param name="share">The strong-call share, from 0 to 1.</param>
    /// <returns>The threshold (escalate when P(good) is below it) and what it does on the calibration set.</returns>
    public CalibratedThreshold ThresholdForStrongShare(double share) => ThresholdCalibrator.ForStrongShare(Calibration, share);

    /// <summary>The threshold with the fewest escalations whose PGR on the calibration prompts reaches <paramref name="pgr"/>.</summary>
    /// <param name="pgr">The quality target: the fraction of the weak–strong quality gap to recover, from 0 to 1.</param>
    /// <returns>The threshold (escalate when P(good) is below it) and what it does on the calibration set.</returns>
    public CalibratedThreshold ThresholdForQuality(double pgr) => ThresholdCalibrator.ForQuality(Calibration, pgr);

    /// <summary>σ(bias + Σ w·(x − c)·s) over a whole unstandardised row.</summary>
    internal static double Score(ReadOnlySpan<float> row, float[] center, float[] scale, float[] weights, double bias) =>
        LogisticModel.Sigmoid(bias + Dot(row, center, scale, weights));

    internal float[] CenterArray => _center;

    internal float[] ScaleArray => _scale;

    internal float[] WeightArray => _weights;

    private static double Dot(ReadOnlySpan<float> x, ReadOnlySpan<float> center, ReadOnlySpan<float> scale, ReadOnlySpan<float> weights)
    {
        var sum = 0.0;
        for (var j = 0; j < x.Length; j++)
        {
            // The same float steps as Standardizer.Apply, then the product added in double.
            sum += (double)weights[j] * ((x[j] - center[j]) * scale[j]);
        }

        return sum;
    }
}
