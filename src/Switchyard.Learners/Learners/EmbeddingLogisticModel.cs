using System.Globalization;
using System.Text.Json.Serialization;

namespace Switchyard.Routing.Learners;

/// <summary>A fitted <see cref="EmbeddingLogisticLearner"/>: the standardisation and one logistic model per target.</summary>
public sealed class EmbeddingLogisticModel : FittedLearner
{
    /// <summary>The <c>kind</c> in JSON.</summary>
    public const string KindName = "embedding_logistic";

    /// <summary>Creates the model.</summary>
    /// <param name="targets">What it predicts.</param>
    /// <param name="dimensions">Embedding length (the rows are this plus the 16 shape features wide).</param>
    /// <param name="l2">The penalty each target was fitted with.</param>
    /// <param name="center">Per column, the training mean subtracted.</param>
    /// <param name="scale">Per column, the factor applied after centring (1 / standard deviation).</param>
    /// <param name="weights">Per target, one weight per column, row-major (targets × columns).</param>
    /// <param name="biases">Per target, the intercept.</param>
    [JsonConstructor]
    public EmbeddingLogisticModel(IReadOnlyList<LearnerTarget> targets, int dimensions, double[] l2, float[] center, float[] scale, float[] weights, double[] biases)
        : base(targets)
    {
        Dimensions = dimensions;
        L2 = l2;
        Center = center;
        Scale = scale;
        Weights = weights;
        Biases = biases;
    }

    /// <summary>Embedding length.</summary>
    [JsonPropertyName("dimensions")]
    public int Dimensions { get; }

    /// <summary>The penalty each target was fitted with.</summary>
    [JsonPropertyName("l2")]
    public double[] L2 { get; }

    /// <summary>Per column, the training mean.</summary>
    [JsonPropertyName("center")]
    [JsonConverter(typeof(Base64FloatArrayConverter))]
    public float[] Center { get; }

    /// <summary>Per column, 1 / standard deviation.</summary>
    [JsonPropertyName("scale")]
    [JsonConverter(typeof(Base64FloatArrayConverter))]
    public float[] Scale { get; }

    /// <summary>Weights, row-major (targets × columns).</summary>
    [JsonPropertyName("weights")]
    [JsonConverter(typeof(Base64FloatArrayConverter))]
    public float[] Weights { get; }

    /// <summary>Intercepts, one per target.</summary>
    [JsonPropertyName("biases")]
    public double[] Biases { get; }

    /// <summary>Columns: the embedding then the shape features.</summary>
    [JsonIgnore]
    public int Width => Dimensions + Difficulty.ConversationFeaturizer.DenseCount;

    /// <inheritdoc />
    public override int EmbeddingDimensions => Dimensions;

    /// <inheritdoc />
    public override string Description => "l2=" + string.Join("/", L2.Select(v => v.ToString("0.####", CultureInfo.InvariantCulture)));

    /// <summary>Writes the unstandardised row of <paramref name="features"/>: the embedding, then the shape features.</summary>
    internal static void Row(PromptFeatures features, Span<float> destination)
    {
        features.Embedding.CopyTo(destination);
        features.Shape.CopyTo(destination[features.Embedding.Length..]);
    }

    /// <inheritdoc />
    private protected override void PredictCore(PromptFeatures features, Span<double> destination)
    {
        var width = Width;
        var row = new float[width];
        Row(features, row);
        Standardizer.Apply(row, Center, Scale);
        for (var t = 0; t < Targets.Count; t++)
        {
            destination[t] = DenseLogistic.Predict(Weights.AsSpan(t * width, width), Biases[t], row);
        }
    }

    /// <inheritdoc />
    private protected override void ValidateCore()
    {
        Require(Dimensions > 0, "embedding_logistic: 'dimensions' must be positive.");
        Require(Center is not null && Center.Length == Width && Scale is not null && Scale.Length == Width, "embedding_logistic: 'center' and 'scale' must hold one value per column (dimensions + 16).");
        Require(Weights is not null && Weights.Length == Width * Targets.Count && Weights.All(float.IsFinite), "embedding_logistic: 'weights' must hold targets × columns finite values.");
        Require(Biases is not null && Biases.Length == Targets.Count && Biases.All(double.IsFinite), "embedding_logistic: 'biases' must hold one finite value per target.");
        Require(L2 is not null && L2.Length == Targets.Count, "embedding_logistic: 'l2' must hold one value per target.");
        Require(Center.All(float.IsFinite) && Scale.All(float.IsFinite), "embedding_logistic: 'center' and 'scale' must be finite.");
    }
}
