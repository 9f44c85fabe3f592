namespace Switchyard.Storage.Ledger;

/// <summary>Ledger totals for one group of requests (a served model, an API key or a team: see <see cref="LedgerGrouping"/>).</summary>
/// <param name="Group">The served model, the key's prefix or the team's id; <c>(none)</c> for requests without one.</param>
/// <param name="Requests">Requests recorded.</param>
/// <param name="Succeeded">Requests with status ok.</param>
/// <param name="Failed">Requests with status error.</param>
/// <param name="InputTokens">Sum of input tokens.</param>
/// <param name="OutputTokens">Sum of output tokens.</param>
/// <param name="CachedInputTokens">Sum of cached input tokens.</param>
/// <param name="Cost">Sum of cost in US dollars (exact to the nano-dollar).</param>
/// <param name="AverageLatencyMs">Mean latency.</param>
public sealed record LedgerTotals(string Group, long Requests, long Succeeded, long Failed, long InputTokens, long OutputTokens, long CachedInputTokens, decimal Cost, double AverageLatencyMs);

/// <summary>What <see cref="LedgerReader.TotalsBy"/> groups requests by.</summary>
public enum LedgerGrouping
{
    /// <summary>The model that served.</summary>
    Model,

    /// <summary>The API key (its printable prefix).</summary>
    Key,

    /// <summary>The key's team.</summary>
    Team,
}
