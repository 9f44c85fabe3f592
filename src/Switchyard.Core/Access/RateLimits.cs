namespace Switchyard.Access;

/// <summary>One rate-limit scope a request counts against, with its limits per minute.</summary>
/// <param name="Scope">
/// Its name, unique across kinds: <c>key:&lt;id&gt;</c>, <c>team:&lt;id&gt;</c> or <c>model:&lt;name&gt;</c>.
/// </param>
/// <param name="Rpm">Requests per minute, or null for no request limit.</param>
/// <param name="Tpm">Tokens per minute (the request's input bound + its maximum output), or null for no token limit.</param>
/// <remarks>A scope with neither limit is ignored: it costs no database work and is not counted.</remarks>
public sealed record RateLimitScope(string Scope, int? Rpm, long? Tpm)
{
    /// <summary>Whether the scope has a request or a token limit (only those are counted).</summary>
    public bool IsLimited => Rpm is not null || Tpm is not null;
}

/// <summary>
/// Where a request stands against one limit, for OpenAI's <c>x-ratelimit-limit-*</c>, <c>x-ratelimit-remaining-*</c> and
/// <c>x-ratelimit-reset-*</c> headers (<c>-requests</c> or <c>-tokens</c>): the tightest scope's.
/// </summary>
/// <param name="Limit">The limit per minute.</param>
/// <param name="Remaining">What is left in the current 60-second window, after this request when it was admitted (never negative).</param>
/// <param name="Reset">How long until the window is empty again (everything counted in it has left), if nothing more arrives.</param>
public sealed record RateLimitState(long Limit, long Remaining, TimeSpan Reset);

/// <summary>The answer to <see cref="IRateLimiter.AdmitAsync"/>.</summary>
/// <param name="Admitted">Whether the request may proceed; it was then counted against every limited scope.</param>
/// <param name="LimitedScope">When refused, the scope whose limit refused it (the one that frees last, when several did).</param>
/// <param name="Requests">The tightest request limit among the scopes (the least remaining), or null when none has one.</param>
/// <param name="Tokens">The tightest token limit among the scopes (the least remaining), or null when none has one.</param>
/// <param name="RetryAfter">
/// When refused, how long until the request would fit, at least 1 s (a whole window, 60 s, when it can never fit; 1 s
/// when the store is unavailable); zero when admitted.
/// </param>
/// <param name="StoreUnavailable">
/// True when the limits could not be checked because the store failed (then <paramref name="Admitted"/> is false and the
/// caller decides whether to fail closed or open); nothing was counted.
/// </param>
public sealed record RateLimitDecision(bool Admitted, string? LimitedScope, RateLimitState? Requests, RateLimitState? Tokens, TimeSpan RetryAfter, bool StoreUnavailable = false)
{
    /// <summary>
    /// Why the request was refused, for the error body, without the scope (that is <see cref="LimitedScope"/>): e.g.
    /// <c>60 of 60 requests per minute used</c>; null when admitted.
    /// </summary>
    public string? Reason { get; init; }

    /// <summary>
    /// The instant the request was counted at (its second's bucket holds the charge): pass it to
    /// <see cref="IRateLimiter.CorrectTokensAsync"/> once the actual token count is known.
    /// </summary>
    public DateTimeOffset AdmittedAt { get; init; }
}

/// <summary>
/// Requests- and tokens-per-minute limits shared by every gateway instance: sliding 60-second windows counted in the
/// shared store, so N instances together admit what one would, not N times as much.
/// </summary>
public interface IRateLimiter
{
    /// <summary>
    /// Admits a request if every limited scope has room for one more request and <paramref name="tokens"/> more tokens
    /// in its current 60-second window, charging all of them, or refuses it and charges none (all or nothing). Never
    /// throws for a refusal or an unreachable store (see <see cref="RateLimitDecision.StoreUnavailable"/>).
    /// </summary>
    /// <param name="scopes">The scopes the request counts against (its key, its team, the model); those without limits are ignored.</param>
    /// <param name="tokens">The tokens to charge now: the request's input bound plus its maximum output.</param>
    /// <param name="ct">Cancels the call.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="tokens"/> is negative.</exception>
    ValueTask<RateLimitDecision> AdmitAsync(IReadOnlyList<RateLimitScope> scopes, long tokens, CancellationToken ct = default);

    /// <summary>
    /// Corrects an admitted request's token charge once its usage is known: adds <paramref name="delta"/>
    /// (<c>actual − charged</c>, usually negative) to the bucket of the second it was admitted in, for every limited
    /// scope. Does nothing once that second has left the window. Never throws for an unreachable store (the
    /// correction is then lost, which only makes the window more conservative when the delta is negative).
    /// </summary>
    /// <param name="scopes">The scopes the request was admitted under.</param>
    /// <param name="admittedAt">The decision's <see cref="RateLimitDecision.AdmittedAt"/>.</param>
    /// <param name="delta">Actual tokens minus the tokens charged at admission.</param>
    /// <param name="ct">Cancels the call.</param>
    ValueTask CorrectTokensAsync(IReadOnlyList<RateLimitScope> scopes, DateTimeOffset admittedAt, long delta, CancellationToken ct = default);
}

/// <summary>Tokens a rate limit charged at admission, to be corrected to the actual count.</summary>
/// <param name="Scopes">The scopes charged.</param>
/// <param name="At">When (the bucket the charge went to).</param>
/// <param name="Charged">The tokens charged.</param>
/// <param name="Candidate">For a model's limit, the candidate it was charged for (only the one that served used tokens).</param>
public sealed record RateLimitCharge(IReadOnlyList<RateLimitScope> Scopes, DateTimeOffset At, long Charged, string? Candidate = null);
