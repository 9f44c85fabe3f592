using System.Text.Json.Serialization;

namespace Switchyard.Evaluation.Simulation;

/// <summary>
/// Simulations of one weak/strong pair repeated over several seeds (each seed its own split, training and random
/// router): every router's metrics summarised over the seeds, and each seed's full report.
/// </summary>
/// <param name="Source">Where the outcomes came from.</param>
/// <param name="Weak">The cheaper model.</param>
/// <param name="Strong">The stronger model.</param>
/// <param name="Seeds">The seeds, in run order.</param>
/// <param name="Summary">Router name → its metrics' mean, range and per-seed values, routers in report order.</param>
/// <param name="Runs">Each seed's report (metrics, curves, held-out ids and predictions), in <paramref name="Seeds"/> order.</param>
public sealed record SimulationSummary(
    [property: JsonPropertyName("source")] string? Source,
    [property: JsonPropertyName("weak")] string Weak,
    [property: JsonPropertyName("strong")] string Strong,
    [property: JsonPropertyName("seeds")] IReadOnlyList<int> Seeds,
    [property: JsonPropertyName("summary")] IReadOnlyDictionary<string, RouterSummary> Summary,
    [property: JsonPropertyName("runs")] IReadOnlyList<SimulationReport> Runs)
{
    /// <summary>The share of distinct prompts held out per seed when one source was split; null for separate train and test sources.</summary>
    [JsonPropertyName("test_fraction")]
    public double? TestFraction { get; init; }

    /// <summary>Summarises the reports of one pair run with different seeds.</summary>
    /// <param name="runs">The reports, one per seed, all for the same weak and strong model.</param>
    /// <exception cref="ArgumentException">There are no reports, or they are for different models.</exception>
    public static SimulationSummary Create(IReadOnlyList<SimulationReport> runs)
    {
        ArgumentNullException.ThrowIfNull(runs);
        if (runs.Count == 0)
        {
            throw new ArgumentException("At least one report is needed.", nameof(runs));
        }

        var first = runs[0];
        if (runs.Any(r => r.Weak != first.Weak || r.Strong != first.Strong))
        {
            throw new ArgumentException("Every report must be for the same weak and strong model.", nameof(runs));
        }

        var summary = new Dictionary<string, RouterSummary>(StringComparer.Ordinal);
        foreach (var name in first.Routers.Keys)
        {
            var evaluations = runs.Select(r => r.Routers.TryGetValue(name, out var e) ? e : null).ToList();
            MetricSummary Metric(Func<Metrics.RouterEvaluation, double> pick) =>
                MetricSummary.Of([.. evaluations.Select(e => e is null ? double.NaN : pick(e))]);
            summary[name] = new RouterSummary(Metric(e => e.Apgr), Metric(e => e.Cpt20), Metric(e => e.Cpt50), Metric(e => e.Cpt80), Metric(e => e.Aiq));
        }

        return new SimulationSummary(first.Source, first.Weak, first.Strong, [.. runs.Select(r => r.Seed)], summary, runs);
    }
}
