using System.Text.Json.Serialization;
using Switchyard.Economics;
using Switchyard.Economics.Pricing;
using Switchyard.Economics.Replay;

namespace Switchyard.Cli;

/// <summary>What <c>tco</c> reports: the replay and, with a profile, break-even points and sensitivity.</summary>
internal sealed record TcoResult(
    [property: JsonPropertyName("replay")] ReplayReport Replay,
    [property: JsonPropertyName("crossovers")] IReadOnlyList<CrossoverPoint> Crossovers,
    [property: JsonPropertyName("sensitivity")] IReadOnlyList<SensitivityTable> Sensitivity)
{
    /// <summary>The recorded traffic as the cost model's input (null without traffic).</summary>
    [JsonPropertyName("traffic_profile")]
    public TrafficProfile? Shape { get; init; }

    public static TcoResult From(ReplayReport replay, SelfHostedProfile? profile, IReadOnlyList<CatalogPrice> hosted)
    {
        var t = replay.Traffic;
        if (profile is null || t.Requests == 0 || t.OutputTokens == 0)
        {
            return new TcoResult(replay, [], []);
        }

        var shape = new TrafficProfile(t.RequestsPerDay, t.MeanInputTokens, t.MeanOutputTokens, Math.Max(t.PeakToMean, 1));
        var options = hosted.Select(PricingCatalogs.ToHosted).ToList();
        var crossovers = Crossover.FindAll(profile, shape, options);

        // Sensitivity against the hosted option the traffic would cost least on (the toughest comparison for self-hosting).
        var cheapest = options.OrderBy(o => o.CostPerRequest(shape.InputTokens, shape.OutputTokens)).FirstOrDefault();
        var sensitivity = cheapest is null ? [] : Economics.Sensitivity.Analyze(profile, shape, cheapest);
        return new TcoResult(replay, crossovers, sensitivity) { Shape = shape };
    }
}
