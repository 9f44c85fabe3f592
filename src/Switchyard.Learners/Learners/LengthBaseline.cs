namespace Switchyard.Routing.Learners;

/// <summary>
/// The one-line heuristic as a learner: the longer the last user message, the harder the prompt. For each target it
/// fits only a non-increasing map from length to value (isotonic regression on log(1 + length)), so its predictions
/// are in [0, 1] and comparable with the other learners', while the order it puts prompts in is the length order.
/// </summary>
/// <remarks>
/// Predictions interpolate linearly between the isotonic steps' centres and add a 10⁻⁶ share of a strictly
/// decreasing function of length, so no two lengths tie: swept for routing, it is exactly "send the longest prompts to
/// the strong model first" (<c>RoutingSimulation.LengthScore</c>).
/// </remarks>
public sealed class LengthBaseline : IScoreLearner
{
    /// <summary>The name in tables.</summary>
    public const string LearnerName = "length";

    /// <inheritdoc />
    public string Name => LearnerName;

    /// <inheritdoc />
    public FittedLearner Fit(TrainingSet data)
    {
        ArgumentNullException.ThrowIfNull(data);
        var curves = new List<IsotonicCurve>(data.Targets.Count);
        for (var t = 0; t < data.Targets.Count; t++)
        {
            var x = new List<double>();
            var y = new List<double>();
            for (var i = 0; i < data.Count; i++)
            {
                var v = data.Value(i, t);
                if (!double.IsNaN(v))
                {
                    x.Add(LengthBaselineModel.LogLength(data.Features[i].Length));
                    y.Add(v);
                }
            }

            if (x.Count == 0)
            {
                curves.Add(new IsotonicCurve([0], [0.5]));
                continue;
            }

            var (knotX, knotY) = Isotonic.FitDecreasing(x, y);
            curves.Add(new IsotonicCurve(knotX, knotY));
        }

        return new LengthBaselineModel(data.Targets, curves);
    }
}
