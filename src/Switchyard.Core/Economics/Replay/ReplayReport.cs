using System.Text.Json.Serialization;

namespace Switchyard.Economics.Replay;

/// <summary>The counterfactual replay of a ledger window: the traffic, and its cost under each choice, cheapest first.</summary>
/// <param name="Traffic">The recorded traffic.</param>
/// <param name="Options">Each choice's cost, cheapest first.</param>
/// <param name="Assumptions">What the figures assume, in words.</param>
public sealed record ReplayReport(
    [property: JsonPropertyName("traffic")] TrafficSummary Traffic,
    [property: JsonPropertyName("options")] IReadOnlyList<ReplayOption> Options,
    [property: JsonPropertyName("assumptions")] IReadOnlyList<string> Assumptions)
{
    /// <summary>The self-hosted deployment the peak would need, when a profile was given.</summary>
    [JsonPropertyName("self_hosted")]
    public SelfHostedCost? SelfHosted { get; init; }
}
