using System.Text.Json.Serialization;

namespace Switchyard.Routing.Learners;

/// <summary>A fitted <see cref="LengthBaseline"/>: per target, a non-increasing curve over log(1 + length).</summary>
public sealed class LengthBaselineModel : FittedLearner
{
    /// <summary>The <c>kind</c> in JSON.</summary>
    public const string KindName = "length";

    /// <summary>The weight of the strict tie-break by length (see <see cref="LengthBaseline"/>).</summary>
    public const double TieBreak = 1e-6;

    /// <summary>Creates the model.</summary>
    /// <param name="targets">What it predicts.</param>
    /// <param name="curves">One isotonic curve per target.</param>
    [JsonConstructor]
    public LengthBaselineModel(IReadOnlyList<LearnerTarget> targets, IReadOnlyList<IsotonicCurve> curves)
        : base(targets)
    {
        ArgumentNullException.ThrowIfNull(curves);
        Curves = curves;
    }

    /// <summary>One curve per target.</summary>
    [JsonPropertyName("curves")]
    public IReadOnlyList<IsotonicCurve> Curves { get; }

    /// <inheritdoc />
    public override int EmbeddingDimensions => 0;

    /// <inheritdoc />
    public override string Description => "isotonic on log length";

    /// <summary>The curves' x: log(1 + length in characters).</summary>
    public static double LogLength(int length) => Math.Log(1 + (double)length);

    /// <inheritdoc />
    private protected override void PredictCore(PromptFeatures features, Span<double> destination)
    {
        var x = LogLength(features.Length);
        var tieBreak = 1 - (x / (1 + x)); // strictly decreasing in length, in (0, 1]
        for (var t = 0; t < Curves.Count; t++)
        {
            var curve = Curves[t];
            destination[t] = ((1 - TieBreak) * Isotonic.Interpolate(curve.X, curve.Y, x)) + (TieBreak * tieBreak);
        }
    }

    /// <inheritdoc />
    private protected override void ValidateCore()
    {
        Require(Curves is not null && Curves.Count == Targets.Count, "length: one curve per target is needed.");
        foreach (var curve in Curves)
        {
            Require(curve?.X is { Length: > 0 } && curve.Y is not null && curve.Y.Length == curve.X.Length, "length: a curve's x and y must be non-empty and equally long.");
            for (var i = 0; i < curve.X.Length; i++)
            {
                Require(double.IsFinite(curve.X[i]) && curve.Y[i] is >= 0 and <= 1, "length: a knot is not finite or its value is outside [0, 1].");
                Require(i == 0 || curve.X[i] > curve.X[i - 1], "length: knot x must increase.");
            }
        }
    }
}
