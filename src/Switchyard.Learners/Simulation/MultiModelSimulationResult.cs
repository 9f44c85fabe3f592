using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Switchyard.Routing.Learners.Simulation;

/// <summary>One router's or single model's operating points on the test prompts and its AIQ.</summary>
/// <param name="Name">"learned", "length", "random", "oracle", or the model's name.</param>
/// <param name="Kind"><see cref="RouterKind"/> for a router, <see cref="ModelKind"/> for a single model.</param>
/// <param name="Aiq">RouterBench's AIQ of <paramref name="Points"/> over the single models' cost range (<see cref="CostQualityCurve.Aiq"/>).</param>
/// <param name="Points">The distinct (mean cost, mean quality) points, in sweep order (a single model has one).</param>
/// <param name="Hull">The non-decreasing convex hull of <paramref name="Points"/>, cheapest first.</param>
public sealed record RouterCurve(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("aiq")] double Aiq,
    [property: JsonPropertyName("points")] IReadOnlyList<CostQualityPoint> Points,
    [property: JsonPropertyName("hull")] IReadOnlyList<CostQualityPoint> Hull)
{
    /// <summary>The <see cref="Kind"/> of a router.</summary>
    public const string RouterKind = "router";

    /// <summary>The <see cref="Kind"/> of a single model.</summary>
    public const string ModelKind = "model";

    /// <summary>The hull's quality at a mean cost (NaN below the cheapest point; see <see cref="CostQualityCurve.QualityAt"/>).</summary>
    /// <param name="cost">Mean cost per request.</param>
    public double QualityAt(double cost) => CostQualityCurve.QualityAt(Points, cost);

    /// <summary>The least mean cost at which the hull reaches a quality (NaN when it never does; see <see cref="CostQualityCurve.CostAt"/>).</summary>
    /// <param name="quality">Mean quality.</param>
    public double CostAt(double quality) => CostQualityCurve.CostAt(Points, quality);
}

/// <summary>The routers against one single model, at that model's cost and quality on the test prompts.</summary>
/// <param name="Model">The single model.</param>
/// <param name="Cost">Its mean cost per request on the test prompts.</param>
/// <param name="Quality">Its mean quality on the test prompts.</param>
/// <param name="LearnedQuality">The learned router's hull at <paramref name="Cost"/> (NaN when the router cannot be that cheap). The hull is drawn on the test sweep: an upper bound of what a threshold fixed in advance gets.</param>
/// <param name="LengthQuality">The length baseline router's hull at <paramref name="Cost"/>.</param>
/// <param name="OracleQuality">The oracle's hull at <paramref name="Cost"/>.</param>
/// <param name="LearnedCostForQuality">The least mean cost at which the learned router's hull reaches <paramref name="Quality"/> (NaN: never).</param>
/// <param name="CalibratedThreshold">
/// The shared threshold calibrated on the training prompts' out-of-fold predictions for a cost budget of this model's
/// mean cost there (<c>RouteThresholdCalibrator.ForCostBudget</c>): an operating point chosen without the test set.
/// </param>
/// <param name="CalibratedCost">The mean cost per request that threshold gives on the test prompts.</param>
/// <param name="CalibratedQuality">The mean quality that threshold gives on the test prompts.</param>
public sealed record ModelComparison(
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("cost")] double Cost,
    [property: JsonPropertyName("quality")] double Quality,
    [property: JsonPropertyName("learned_quality")] double LearnedQuality,
    [property: JsonPropertyName("length_quality")] double LengthQuality,
    [property: JsonPropertyName("oracle_quality")] double OracleQuality,
    [property: JsonPropertyName("learned_cost_for_quality")] double LearnedCostForQuality,
    [property: JsonPropertyName("calibrated_threshold")] double CalibratedThreshold,
    [property: JsonPropertyName("calibrated_cost")] double CalibratedCost,
    [property: JsonPropertyName("calibrated_quality")] double CalibratedQuality);

/// <summary>The learner cross-validation chose for one cheaper model against the strongest.</summary>
/// <param name="Weak">The cheaper model.</param>
/// <param name="Chosen">The chosen learner (<c>length</c> when none beat the baseline).</param>
/// <param name="FellBackToBaseline">Whether the baseline was chosen because no learner beat it.</param>
/// <param name="ChosenApgr">The chosen learner's cross-validated APGR on the training prompts.</param>
/// <param name="BaselineApgr">The length baseline's cross-validated APGR on the training prompts.</param>
public sealed record PairChoice(
    [property: JsonPropertyName("weak")] string Weak,
    [property: JsonPropertyName("chosen")] string Chosen,
    [property: JsonPropertyName("fell_back_to_baseline")] bool FellBackToBaseline,
    [property: JsonPropertyName("chosen_apgr")] double ChosenApgr,
    [property: JsonPropertyName("baseline_apgr")] double BaselineApgr);

/// <summary>One test prompt: what the fitted learners predicted and what each model scored and cost.</summary>
/// <param name="Id">The prompt's id.</param>
/// <param name="PGood">Per cheaper model: the learned router's P(good enough against the strongest).</param>
/// <param name="LengthPGood">Per cheaper model: the length baseline router's P(good enough).</param>
/// <param name="Scores">Per model: its recorded score.</param>
/// <param name="Costs">Per model: the cost of a request to it.</param>
public sealed record MultiModelPrediction(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("p_good")] IReadOnlyDictionary<string, double> PGood,
    [property: JsonPropertyName("length_p_good")] IReadOnlyDictionary<string, double> LengthPGood,
    [property: JsonPropertyName("scores")] IReadOnlyDictionary<string, double> Scores,
    [property: JsonPropertyName("costs")] IReadOnlyDictionary<string, double> Costs);

/// <summary>What <see cref="MultiModelSimulation"/> measured on the test prompts.</summary>
/// <param name="Router">The learned router trained on the training prompts (not written to JSON; save it with <see cref="LearnedRouterModel.Save"/>).</param>
public sealed record MultiModelSimulationResult([property: JsonIgnore] LearnedRouterModel Router)
{
    /// <summary>The models, cheapest first as given, the router's strongest last.</summary>
    [JsonPropertyName("models")]
    public required IReadOnlyList<string> Models { get; init; }

    /// <summary>Training prompts used (with every model's outcome, after the leak guard).</summary>
    [JsonPropertyName("train_prompts")]
    public required int TrainPrompts { get; init; }

    /// <summary>Test prompts evaluated (those with every model's outcome).</summary>
    [JsonPropertyName("test_prompts")]
    public required int TestPrompts { get; init; }

    /// <summary>Training records dropped because their conversation is also a test prompt (<c>OutcomeSplit.Key</c>).</summary>
    [JsonPropertyName("dropped_from_train")]
    public required int DroppedFromTrain { get; init; }

    /// <summary>Cross-validation folds of the learner selection.</summary>
    [JsonPropertyName("folds")]
    public required int Folds { get; init; }

    /// <summary>Seed of the folds and the learners.</summary>
    [JsonPropertyName("seed")]
    public required int Seed { get; init; }

    /// <summary>Margin of the good-enough label.</summary>
    [JsonPropertyName("margin")]
    public required double Margin { get; init; }

    /// <summary>The cheapest single model's mean cost on the test prompts: the left end of the AIQ range.</summary>
    [JsonPropertyName("cost_min")]
    public required double CostMin { get; init; }

    /// <summary>The dearest single model's mean cost on the test prompts: the right end of the AIQ range.</summary>
    [JsonPropertyName("cost_max")]
    public required double CostMax { get; init; }

    /// <summary>The N-model router with the learners cross-validation chose (shared threshold swept on the test prompts).</summary>
    [JsonPropertyName("learned")]
    public required RouterCurve Learned { get; init; }

    /// <summary>The same N-model scheme with the length baseline learner for every cheaper model.</summary>
    [JsonPropertyName("length")]
    public required RouterCurve Length { get; init; }

    /// <summary>Random mixtures of the cheapest and the strongest model: the straight line between their points.</summary>
    [JsonPropertyName("random")]
    public required RouterCurve Random { get; init; }

    /// <summary>Per prompt the cheapest model with the best score, among the k cheapest models, k = 1…N.</summary>
    [JsonPropertyName("oracle")]
    public required RouterCurve Oracle { get; init; }

    /// <summary>Each single model's point, in <see cref="Models"/> order.</summary>
    [JsonPropertyName("single_models")]
    public required IReadOnlyList<RouterCurve> SingleModels { get; init; }

    /// <summary>The routers at each single model's cost, in <see cref="Models"/> order.</summary>
    [JsonPropertyName("comparisons")]
    public required IReadOnlyList<ModelComparison> Comparisons { get; init; }

    /// <summary>The learned router's learner per cheaper model.</summary>
    [JsonPropertyName("pairs")]
    public required IReadOnlyList<PairChoice> Pairs { get; init; }

    /// <summary>Per test prompt: predictions, scores and costs, in test order.</summary>
    [JsonPropertyName("predictions")]
    public required IReadOnlyList<MultiModelPrediction> Predictions { get; init; }

    /// <summary>Every curve: the routers (learned, length, random, oracle), then the single models.</summary>
    [JsonIgnore]
    public IReadOnlyList<RouterCurve> All => [Learned, Length, Random, Oracle, .. SingleModels];

    /// <summary>The curve of a router or single model by name.</summary>
    /// <exception cref="KeyNotFoundException">There is none of that name.</exception>
    public RouterCurve this[string name] => All.FirstOrDefault(c => c.Name == name) ?? throw new KeyNotFoundException($"No router or model named '{name}'.");

    /// <summary>Whether the learned router's AIQ is above every single model's.</summary>
    [JsonIgnore]
    public bool LearnedBeatsEverySingleModel => SingleModels.All(m => Learned.Aiq > m.Aiq);

    /// <summary>The result as indented JSON (snake_case; NaN written as <c>"NaN"</c>).</summary>
    public string ToJson() => JsonSerializer.Serialize(this, SimulationJsonContext.Default.MultiModelSimulationResult);

    /// <summary>A plain-text report: AIQ per router and model, the routers at each model's cost, the chosen learners.</summary>
    /// <returns>Several lines of text.</returns>
    public string FormatTable()
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(string.Create(c, $"{Models.Count} models (cheapest first, strongest last): {string.Join(", ", Models)}"));
        text.AppendLine(string.Create(c, $"train {TrainPrompts} prompts (dropped as test duplicates: {DroppedFromTrain}), test {TestPrompts}; {Folds} folds, seed {Seed}, margin {Margin:0.###}"));
        text.AppendLine(string.Create(c, $"AIQ over mean cost [{CostMin:0.########}, {CostMax:0.########}] per request"));
        text.AppendLine("router/model                         AIQ   points  hull");
        foreach (var curve in All)
        {
            text.AppendLine(string.Create(c, $"{curve.Name,-32} {curve.Aiq,7:0.0000} {curve.Points.Count,7} {curve.Hull.Count,5}"));
        }

        text.AppendLine(string.Create(c, $"learned AIQ above every single model's: {(LearnedBeatsEverySingleModel ? "yes" : "no")}"));
        text.AppendLine("at each model's cost (hull on the test sweep; calibrated = threshold fixed on train out-of-fold for that budget):");
        text.AppendLine("model                              cost        quality  learned  length   oracle   learned cost@q  calibrated cost/quality");
        foreach (var m in Comparisons)
        {
            text.AppendLine(string.Create(
                c,
                $"{m.Model,-32} {m.Cost,11:0.########} {m.Quality,7:0.0000} {m.LearnedQuality,8:0.0000} {m.LengthQuality,7:0.0000} {m.OracleQuality,7:0.0000} {m.LearnedCostForQuality,15:0.########}  {m.CalibratedCost:0.########} / {m.CalibratedQuality:0.0000} (t={m.CalibratedThreshold:0.####})"));
        }

        text.AppendLine("learners per cheaper model (vs the strongest):");
        foreach (var p in Pairs)
        {
            text.AppendLine(string.Create(c, $"  {p.Weak,-32} {p.Chosen,-9} cv APGR {p.ChosenApgr:0.0000} (length {p.BaselineApgr:0.0000}){(p.FellBackToBaseline ? ", fell back to the baseline" : string.Empty)}"));
        }

        text.AppendLine("learned hull (cost -> quality):");
        foreach (var p in Learned.Hull)
        {
            text.AppendLine(string.Create(c, $"  {p.Cost,12:0.########} -> {p.Quality:0.0000}"));
        }

        return text.ToString();
    }
}

/// <summary>Source-generated JSON for <see cref="MultiModelSimulationResult"/>.</summary>
[JsonSourceGenerationOptions(
    WriteIndented = true,
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals)]
[JsonSerializable(typeof(MultiModelSimulationResult))]
internal sealed partial class SimulationJsonContext : JsonSerializerContext;
