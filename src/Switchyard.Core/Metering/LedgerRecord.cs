namespace Switchyard.Metering;

/// <summary>One request as recorded in the ledger.</summary>
/// <param name="Timestamp">When the request arrived.</param>
/// <param name="RequestId">The request id returned to the client.</param>
/// <param name="Caller">Who asked (OpenAI <c>user</c> field or key name), if known.</param>
/// <param name="Requested">The model or route name requested.</param>
/// <param name="ServedModel">The model that served, if any.</param>
/// <param name="Provider">Its provider id.</param>
/// <param name="Zone">Its residency zone.</param>
/// <param name="DecisionJson">The <see cref="Routing.RouteDecision"/> as JSON.</param>
/// <param name="InputTokens">Input tokens, cached ones included.</param>
/// <param name="OutputTokens">Output tokens.</param>
/// <param name="CachedInputTokens">Input tokens read from the provider's cache.</param>
/// <param name="Cost">Cost in US dollars.</param>
/// <param name="LatencyMs">Time from arrival to the end of the response.</param>
/// <param name="TimeToFirstTokenMs">For streamed responses, time to the first update.</param>
/// <param name="Status"><c>ok</c>, <c>error</c> or <c>cancelled</c>.</param>
/// <param name="HttpStatus">The status the client saw (for streams failing mid-way, the error's status).</param>
/// <param name="Error">The error message, if any (never request content).</param>
/// <param name="Streamed">Whether the response was streamed.</param>
/// <param name="KeyId">The API key's id, when the request was authenticated with one.</param>
/// <param name="KeyPrefix">The printable prefix of the key presented (<c>sk-sy-&lt;id&gt;</c>), also for refused keys that parsed.</param>
/// <param name="TeamId">The key's team, if any.</param>
/// <param name="CacheWriteTokens">Input tokens written to the provider's prompt cache (included in <paramref name="InputTokens"/>), costed at the cache-write price.</param>
/// <param name="UpstreamModel">
/// The model the upstream said answered (the reply's <c>model</c>): a dated snapshot behind a floating alias, so a
/// silent snapshot change shows in the ledger. Null when the upstream named none or nothing served.
/// </param>
/// <param name="ReservedNanoUsd">
/// Budget held for the request while it ran (nano-dollars, every attempt's hold); when non-zero, writing the record
/// settles the holds: they are released and <paramref name="Cost"/> is added to the budgets' spend.
/// </param>
public sealed record LedgerRecord(
    DateTimeOffset Timestamp,
    string RequestId,
    string? Caller,
    string Requested,
    string? ServedModel,
    string? Provider,
    string? Zone,
    string DecisionJson,
    long InputTokens,
    long OutputTokens,
    long CachedInputTokens,
    decimal Cost,
    double LatencyMs,
    double? TimeToFirstTokenMs,
    string Status,
    int HttpStatus,
    string? Error,
    bool Streamed,
    string? KeyId = null,
    string? KeyPrefix = null,
    string? TeamId = null,
    long ReservedNanoUsd = 0,
    long CacheWriteTokens = 0,
    string? UpstreamModel = null);
