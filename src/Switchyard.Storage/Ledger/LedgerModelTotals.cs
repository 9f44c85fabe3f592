namespace Switchyard.Storage.Ledger;

/// <summary>Ledger totals for one served model.</summary>
/// <param name="Model">The served model, or <c>(none)</c>.</param>
/// <param name="Requests">Requests recorded.</param>
/// <param name="Succeeded">Requests with status ok.</param>
/// <param name="Failed">Requests with status error.</param>
/// <param name="InputTokens">Sum of input tokens.</param>
/// <param name="OutputTokens">Sum of output tokens.</param>
/// <param name="CachedInputTokens">Sum of cached input tokens.</param>
/// <param name="Cost">Sum of cost in US dollars (exact to the nano-dollar).</param>
/// <param name="AverageLatencyMs">Mean latency.</param>
public sealed record LedgerModelTotals(string Model, long Requests, long Succeeded, long Failed, long InputTokens, long OutputTokens, long CachedInputTokens, decimal Cost, double AverageLatencyMs);
