using System.Runtime.ExceptionServices;
using Microsoft.Extensions.AI;

namespace Switchyard.Routing;

/// <summary>
/// The router: an <see cref="IChatClient"/> that resolves the requested name (<see cref="ChatOptions.ModelId"/>) to
/// candidates, skips those whose provider circuit is open, retries transient failures with backoff, and fails over
/// to the next candidate when an attempt fails before any output reached the caller. Built on MEAI's
/// <see cref="FailoverChatClient"/>, which owns invocation and the "no failover after output" rule.
/// </summary>
/// <remarks>
/// Per-request state lives in the request's <see cref="RequestTrace"/> (attached to the options), so the router
/// holds no per-request dictionary and takes no lock. Failures the caller caused (cancellation) are not charged to a
/// provider's breaker; non-transient upstream failures (e.g. 400) are returned to the caller without failover.
/// </remarks>
public sealed class SwitchyardRouter : FailoverChatClient
{
    private readonly ModelCatalog _catalog;
    private readonly TimeProvider _time;
    private readonly Random _random;
    private readonly Access.IBudgetGate? _budgets;
    private readonly Access.IRateLimiter? _rateLimiter;

    /// <summary>Creates the router over a catalog.</summary>
    /// <param name="catalog">Models and routes.</param>
    /// <param name="timeProvider">Clock for backoff delays and breakers.</param>
    /// <param name="random">Jitter source; pass a seeded instance for reproducible tests.</param>
    /// <param name="budgets">
    /// Budgets to reserve each candidate's worst-case cost against before it is called; a candidate they refuse is
    /// eliminated like an unhealthy one, so a cheaper (free) candidate still serves. Null: no budgets.
    /// </param>
    /// <param name="rateLimiter">Counts each model's own requests and tokens per minute (<see cref="RouteCandidate.RateLimit"/>); a model at its limit is skipped.</param>
    public SwitchyardRouter(ModelCatalog catalog, TimeProvider? timeProvider = null, Random? random = null, Access.IBudgetGate? budgets = null, Access.IRateLimiter? rateLimiter = null)
    {
        _rateLimiter = rateLimiter;
        ArgumentNullException.ThrowIfNull(catalog);
        _catalog = catalog;
        _time = timeProvider ?? TimeProvider.System;
        _random = random ?? Random.Shared;
        _budgets = budgets;
    }

    /// <summary>The catalog this router serves.</summary>
    public ModelCatalog Catalog => _catalog;

    /// <inheritdoc />
    protected override async ValueTask<IChatClient> SelectClientAsync(RoutingContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = context.ChatOptions ?? throw new UnknownModelException(null, _catalog.Names);
        var trace = RequestTrace.Get(options);
        if (trace is null)
        {
            trace = new RequestTrace(Guid.NewGuid().ToString("N"));
            trace.AttachTo(options);
        }

        var state = trace.RouterState;
        if (state is null)
        {
            if (!_catalog.TryResolve(options.ModelId, out var route, out var candidates))
            {
                throw new UnknownModelException(options.ModelId, _catalog.Names);
            }

            var builder = new RouteDecisionBuilder(options.ModelId!, route, [.. candidates.Select(c => c.Name)]) { Privacy = trace.Privacy };
            trace.Decision = builder;
            if (trace.Privacy is { AllowedZones: not null } privacy)
            {
                // Policy before strategy and failover: a candidate outside the allowed zones is never tried.
                var compliant = new List<RouteCandidate>(candidates.Count);
                var pseudonymize = _catalog.Pseudonymizes(route) && trace.PrivacyScanner is not null;
                foreach (var candidate in candidates)
                {
                    if (privacy.Allows(candidate.Zone))
                    {
                        compliant.Add(candidate);
                    }
                    else if (pseudonymize && privacy.AllowsWithPseudonyms(candidate.Zone))
                    {
                        // Allowed only without the detected values: it gets them as placeholders.
                        compliant.Add(candidate);
                        builder.Pseudonymized.Add(candidate.Name);
                    }
                    else
                    {
                        builder.Eliminate(candidate.Name, $"zone {candidate.Zone} not allowed for {privacy.Describe()}");
                    }
                }

                state = new RouterRequestState(Ordered(route, context.Messages, compliant, builder)) { RestrictedByPolicy = compliant.Count < candidates.Count };
            }
            else
            {
                state = new RouterRequestState(Ordered(route, context.Messages, candidates, builder));
            }

            trace.RouterState = state;
        }

        var decision = trace.Decision!;
        if (state.PendingFailure is { } failure)
        {
            state.PendingFailure = null;
            if (!CanFailOver(failure))
            {
                ExceptionDispatchInfo.Throw(failure);
            }

            var current = state.Candidates[state.Index];
            var retryAfter = (failure as ProviderException)?.RetryAfter;
            var escalated = failure is Cascade.CascadeEscalationException;
            if (failure is Privacy.Egress.PrivacyEgressException blocked)
            {
                // The same payload would be blocked again: never retried, recorded as a privacy elimination.
                decision.Eliminate(current.Name, blocked.Reason);
                state.RestrictedByPolicy = true;
            }
            else if (!escalated && state.RetriesUsed < current.Retry.MaxRetries && (retryAfter is null || retryAfter <= current.Retry.MaxRetryAfter))
            {
                state.RetriesUsed++;
                var delay = current.Retry.DelayFor(state.RetriesUsed, retryAfter, _random.NextDouble());
                if (delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay, _time, cancellationToken).ConfigureAwait(false);
                }

                if (current.Breaker.TryAcquire(out _))
                {
                    trace.Current = current;
                    return ClientFor(current, state, trace);
                }
            }
        }

        if (state.Reservation is { } held && state.Index >= 0 && state.LastFailure is not Cascade.CascadeEscalationException)
        {
            // Failing over: the failed attempt billed nothing, so its hold goes back before the next candidate reserves.
            state.Reservation = null;
            await _budgets!.ReleaseAsync(held, CancellationToken.None).ConfigureAwait(false);
        }

        state.Reservation = null;
        while (++state.Index < state.Candidates.Count)
        {
            state.RetriesUsed = 0;
            var candidate = state.Candidates[state.Index];
            if (candidate.LoadSignal is { IsSaturated: true } && state.Index + 1 < state.Candidates.Count)
            {
                // Overflow: a full queue would refuse the request anyway; the next candidate can take it now.
                decision.Eliminate(candidate.Name, "busy (queue full)");
                continue;
            }

            if ((_budgets is not null || candidate.RateLimit is not null) && candidate.Breaker.IsRefusing(out var openFor))
            {
                // Checked before the budget so no hold is taken for a candidate that will not be called.
                decision.Eliminate(candidate.Name, "circuit open");
                state.EarliestRetry = state.EarliestRetry is { } e0 && e0 < openFor ? e0 : openFor;
                continue;
            }

            if (_rateLimiter is not null && candidate.RateLimit is { IsLimited: true } && !await AdmitModelAsync(candidate, context.Messages, options, trace, state, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            if (_budgets is not null && !await ReserveAsync(candidate, context.Messages, options, trace, state, cancellationToken).ConfigureAwait(false))
            {
                continue;
            }

            if (!candidate.Breaker.TryAcquire(out var wait))
            {
                decision.Eliminate(candidate.Name, "circuit open");
                state.EarliestRetry = state.EarliestRetry is { } e && e < wait ? e : wait;
                if (state.Reservation is { } unused)
                {
                    state.Reservation = null;
                    await _budgets!.ReleaseAsync(unused, CancellationToken.None).ConfigureAwait(false);
                }

                continue;
            }

            trace.Current = candidate;
            return ClientFor(candidate, state, trace);
        }

        trace.Current = null;
        if (state.BudgetRefusal is { } refusal && state.LastFailure is null)
        {
            // Nothing failed: the budgets (or their store) refused every candidate the policy allowed.
            throw new RequestRefusedException(refusal.StoreUnavailable
                ? new FailureInfo(503, "service_unavailable", "budget_store_unavailable", "No candidate could serve: budgets cannot be checked right now (the budget store is unreachable) and no free candidate was available.", TimeSpan.FromSeconds(1))
                : new FailureInfo(429, "insufficient_quota", "budget_exceeded", $"Budget exceeded: {refusal.Refusal}."));
        }

        if (state.RateRefusal is { } limited && state.LastFailure is null)
        {
            throw new RequestRefusedException(new FailureInfo(429, "rate_limit_error", "rate_limit_exceeded", $"Every candidate is at its rate limit: {limited.Reason ?? "too many requests or tokens in the last minute"}.", limited.RetryAfter));
        }

        throw new NoRouteAvailableException(decision.Build(), state.LastFailure, state.EarliestRetry)
        {
            RestrictedByPolicy = state.RestrictedByPolicy,
        };
    }

    private async ValueTask<bool> AdmitModelAsync(RouteCandidate candidate, IEnumerable<ChatMessage> messages, ChatOptions options, RequestTrace trace, RouterRequestState state, CancellationToken cancellationToken)
    {
        var limit = candidate.RateLimit!;
        var charged = Access.BudgetBound.InputTokens(messages, options) + (options.MaxOutputTokens is int max and > 0 ? max : candidate.MaxOutputTokens);
        var decision = await _rateLimiter!.AdmitAsync([limit], charged, cancellationToken).ConfigureAwait(false);
        if (decision.StoreUnavailable)
        {
            return true; // rate limits admit while the store is away; budgets guard the money
        }

        if (!decision.Admitted)
        {
            trace.Decision!.Eliminate(candidate.Name, "rate limited: " + decision.Reason);
            state.RateRefusal ??= decision;
            return false;
        }

        (trace.ModelRateCharges ??= []).Add(new Access.RateLimitCharge([limit], decision.AdmittedAt, charged, candidate.Name));
        return true;
    }

    private async ValueTask<bool> ReserveAsync(RouteCandidate candidate, IEnumerable<ChatMessage> messages, ChatOptions options, RequestTrace trace, RouterRequestState state, CancellationToken cancellationToken)
    {
        var amount = Access.BudgetBound.WorstCaseNanoUsd(candidate.Price, messages, options, candidate.MaxOutputTokens);
        var admission = await _budgets!.ReserveAsync(new Access.BudgetRequest(trace.RequestId, trace.Principal, amount, candidate.Name), cancellationToken).ConfigureAwait(false);
        if (!admission.Admitted)
        {
            trace.Decision!.Eliminate(candidate.Name, admission.StoreUnavailable ? "budget store unavailable" : "budget: " + admission.Refusal);
            state.BudgetRefusal ??= admission;
            return false;
        }

        if (admission.ReservationId is { } id)
        {
            state.Reservation = id;
            trace.ReservedNanoUsd += amount;
        }

        return true;
    }

    /// <inheritdoc />
    protected override ValueTask OnRoutingUpdateAsync(RoutingContext context, FailoverChatClientAttempt attempt, bool isTerminal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(attempt);
        var trace = RequestTrace.Get(context.ChatOptions);
        if (trace?.Current is not { } candidate || trace.RouterState is not { } state)
        {
            return default;
        }

        var callerGaveUp = cancellationToken.IsCancellationRequested || attempt.Exception is OperationCanceledException;
        string outcome;
        if (attempt.Exception is null)
        {
            outcome = attempt.ResponseCompleted ? "ok" : "abandoned";
            if (attempt.ResponseCompleted)
            {
                candidate.Breaker.RecordSuccess();
            }
        }
        else if (callerGaveUp)
        {
            outcome = "cancelled";
        }
        else
        {
            outcome = Describe(attempt.Exception);
            if (BlamesProvider(attempt.Exception))
            {
                candidate.Breaker.RecordFailure();
            }
            else if (attempt.Exception is Cascade.CascadeEscalationException)
            {
                // The provider answered; only the answer was not good enough (this also closes a half-open probe).
                candidate.Breaker.RecordSuccess();
            }

            state.LastFailure = attempt.Exception;
            if (attempt.Exception is Cascade.CascadeEscalationException { RejectedUsage: { } rejected })
            {
                // The rejected answer was generated and is billed, though the caller never saw it.
                trace.Decision!.AddOverheadCost(Metering.CostCalculator.Cost(candidate.Price, rejected.InputTokenCount ?? 0, rejected.CachedInputTokenCount ?? 0, rejected.OutputTokenCount ?? 0));
            }
        }

        trace.Decision!.AddAttempt(new RouteAttempt(candidate.Name, candidate.ProviderId, outcome, attempt.Duration.TotalMilliseconds, attempt.OutputCommitted));
        if (attempt.Exception is null && attempt.ResponseCompleted)
        {
            trace.Decision.Choose(candidate.Name);
        }
        else if (attempt.OutputCommitted)
        {
            // The caller already has output from this candidate: it is the one that (partly) served.
            trace.Decision.Choose(candidate.Name);
        }

        if (!isTerminal)
        {
            state.PendingFailure = attempt.Exception;
        }

        return default;
    }

    /// <summary>The candidates in the order the route's strategy wants them tried (configured order without one).</summary>
    private IReadOnlyList<RouteCandidate> Ordered(string? route, IEnumerable<ChatMessage> messages, IReadOnlyList<RouteCandidate> candidates, RouteDecisionBuilder decision) =>
        _catalog.StrategyFor(route) is { } strategy
            ? strategy.Order(messages as IReadOnlyList<ChatMessage> ?? [.. messages], candidates, decision)
            : candidates;

    /// <summary>
    /// The candidate's client as the route's strategy wants it called (a cascade verifies cheaper answers), behind a
    /// pseudonymiser when the decision sends it placeholders instead of values.
    /// </summary>
    private IChatClient ClientFor(RouteCandidate candidate, RouterRequestState state, RequestTrace trace)
    {
        var decision = trace.Decision!;
        var client = _catalog.StrategyFor(decision.Route) is { } strategy
            ? strategy.ClientFor(candidate, state.Index + 1 < state.Candidates.Count, decision)
            : candidate.Client;
        return decision.Pseudonymized.Contains(candidate.Name) && trace.PrivacyScanner is { } scanner
            ? new Privacy.PseudonymizingChatClient(client, scanner)
            : client;
    }

    /// <summary>Whether a failure before output may be retried or failed over.</summary>
    private static bool CanFailOver(Exception failure) => failure switch
    {
        Cascade.CascadeEscalationException => true,
        Privacy.Egress.PrivacyEgressException => true,
        ProviderException p => p.IsTransient,
        HttpRequestException or IOException or TimeoutException => true,
        _ => false,
    };

    /// <summary>Whether a failure counts against the provider's health.</summary>
    private static bool BlamesProvider(Exception failure) => failure switch
    {
        ProviderException p => p.IsTransient || p.Kind is ProviderFailureKind.Authentication or ProviderFailureKind.Other,
        HttpRequestException or IOException or TimeoutException => true,
        _ => false,
    };

    private static string Describe(Exception failure) => failure switch
    {
        Privacy.Egress.PrivacyEgressException => "privacy_blocked",
        Cascade.CascadeEscalationException { Verdict: { } v } => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"escalated ({v.Method} {v.Score:0.###} < {v.Threshold:0.###})"),
        ProviderException { StatusCode: { } status } p => $"{Snake(p.Kind)} {status}",
        ProviderException p => Snake(p.Kind),
        _ => "error " + failure.GetType().Name,
    };

    private static string Snake(ProviderFailureKind kind) => kind switch
    {
        ProviderFailureKind.Connection => "connection_error",
        ProviderFailureKind.Timeout => "timeout",
        ProviderFailureKind.RateLimited => "rate_limited",
        ProviderFailureKind.ServerError => "server_error",
        ProviderFailureKind.BadRequest => "bad_request",
        ProviderFailureKind.Authentication => "auth_error",
        ProviderFailureKind.NotFound => "not_found",
        _ => "error",
    };
}
