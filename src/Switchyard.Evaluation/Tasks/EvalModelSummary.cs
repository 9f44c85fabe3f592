namespace Switchyard.Evaluation.Tasks;

/// <summary>One model's totals over a task set.</summary>
/// <param name="Model">The model.</param>
/// <param name="Tasks">Tasks with an outcome for it.</param>
/// <param name="MeanScore">Mean score over those tasks (errors count 0), or null when there are none.</param>
/// <param name="Answered">Outcomes without an error.</param>
/// <param name="Failed">Outcomes with an error.</param>
/// <param name="InputTokens">Prompt tokens, summed over outcomes that report them.</param>
/// <param name="OutputTokens">Completion tokens, summed over outcomes that report them.</param>
/// <param name="Cost">US dollars, summed over outcomes with a known cost.</param>
/// <param name="P50LatencyMs">Median latency (nearest rank), or null with no latencies.</param>
/// <param name="P95LatencyMs">95th-percentile latency (nearest rank), or null with no latencies.</param>
public sealed record EvalModelSummary(string Model, int Tasks, double? MeanScore, int Answered, int Failed, long InputTokens, long OutputTokens, decimal Cost, double? P50LatencyMs, double? P95LatencyMs);
