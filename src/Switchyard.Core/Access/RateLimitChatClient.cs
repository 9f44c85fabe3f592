using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Switchyard.Routing;

namespace Switchyard.Access;

/// <summary>
/// Requests and tokens per minute for the request's API key and its team, counted in the shared store so the limits
/// hold across gateway instances. A request over a limit gets 429 <c>rate_limit_exceeded</c> with <c>Retry-After</c>;
/// the state (for the <c>x-ratelimit-*</c> headers) is left on the request's trace.
/// </summary>
/// <remarks>
/// Admission charges the request's token bound (input bound + its output limit); when the response reports usage the
/// charge is corrected to the actual count. While the store is unreachable requests are admitted (budgets, which guard
/// money, fail closed instead).
/// </remarks>
public sealed class RateLimitChatClient : DelegatingChatClient
{
    private readonly IRateLimiter _limiter;

    /// <summary>Wraps <paramref name="innerClient"/>.</summary>
    public RateLimitChatClient(IChatClient innerClient, IRateLimiter limiter)
        : base(innerClient)
    {
        ArgumentNullException.ThrowIfNull(limiter);
        _limiter = limiter;
    }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var admitted = await AdmitAsync(messages, options, cancellationToken).ConfigureAwait(false);
        ChatResponse? response = null;
        try
        {
            response = await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
            return response;
        }
        finally
        {
            await CorrectAsync(admitted, RequestTrace.Get(options), response?.Usage).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var admitted = await AdmitAsync(messages, options, cancellationToken).ConfigureAwait(false);
        UsageDetails? usage = null;
        try
        {
            await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
            {
                foreach (var content in update.Contents)
                {
                    if (content is UsageContent u)
                    {
                        (usage ??= new UsageDetails()).Add(u.Details);
                    }
                }

                yield return update;
            }
        }
        finally
        {
            await CorrectAsync(admitted, RequestTrace.Get(options), usage).ConfigureAwait(false);
        }
    }

    private async ValueTask<RateLimitCharge?> AdmitAsync(IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken cancellationToken)
    {
        var trace = RequestTrace.Get(options);
        if (trace?.Principal is not { } principal)
        {
            return null;
        }

        var scopes = new List<RateLimitScope>(2);
        if (principal.Key.Rpm is not null || principal.Key.Tpm is not null)
        {
            scopes.Add(new RateLimitScope("key:" + principal.KeyId, principal.Key.Rpm, principal.Key.Tpm));
        }

        if (principal.Team is { } team && (team.Rpm is not null || team.Tpm is not null))
        {
            scopes.Add(new RateLimitScope("team:" + team.Id, team.Rpm, team.Tpm));
        }

        if (scopes.Count == 0)
        {
            return null;
        }

        var charged = BudgetBound.InputTokens(messages, options) + (options?.MaxOutputTokens is int max and > 0 ? max : BudgetBound.DefaultMaxOutputTokens);
        var decision = await _limiter.AdmitAsync(scopes, charged, cancellationToken).ConfigureAwait(false);
        trace.RateLimit = decision;
        if (decision.StoreUnavailable)
        {
            return null;
        }

        if (!decision.Admitted)
        {
            var owner = decision.LimitedScope?.StartsWith("team:", StringComparison.Ordinal) == true ? $"team '{principal.Team?.Name}'" : $"API key {principal.KeyPrefix}";
            throw new RequestRefusedException(new FailureInfo(429, "rate_limit_error", "rate_limit_exceeded", $"Rate limit of {owner} reached: {decision.Reason ?? "too many requests or tokens in the last minute"}.", decision.RetryAfter));
        }

        return new RateLimitCharge(scopes, decision.AdmittedAt, charged);
    }

    // Replaces each token charge with what was used: the request's usage for the key's and team's scopes and for the
    // model that served, nothing for models whose attempt failed over.
    private async ValueTask CorrectAsync(RateLimitCharge? admitted, RequestTrace? trace, UsageDetails? usage)
    {
        var actual = usage is null ? (long?)null : (usage.InputTokenCount ?? 0) + (usage.OutputTokenCount ?? 0);
        var charges = trace?.ModelRateCharges is { } models ? models.Prepend(admitted) : [admitted];
        foreach (var charge in charges)
        {
            if (charge is null || charge.Scopes.All(s => s.Tpm is null))
            {
                continue;
            }

            var served = charge.Candidate is null || string.Equals(charge.Candidate, trace?.Current?.Name, StringComparison.OrdinalIgnoreCase);
            var used = served ? actual : 0;
            if (used is { } tokens && tokens != charge.Charged)
            {
                try
                {
                    await _limiter.CorrectTokensAsync(charge.Scopes, charge.At, tokens - charge.Charged, CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is System.Data.Common.DbException or TimeoutException or IOException or InvalidOperationException)
                {
                    // The charge stays at its bound: the window errs on the side of the limit.
                }
            }
        }
    }

}
