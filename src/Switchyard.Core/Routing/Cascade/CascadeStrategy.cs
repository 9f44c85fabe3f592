using System.Collections.Frozen;
using Microsoft.Extensions.AI;
using Switchyard.Configuration;

namespace Switchyard.Routing.Cascade;

/// <summary>
/// Cascade routing: candidates are tried cheapest first; every answer from a candidate that still has a fallback is
/// checked by a verifier before the caller sees any of it, and a rejected answer escalates to the next candidate
/// (through the router's failover). Each verdict is recorded in the decision.
/// </summary>
/// <remarks>
/// A judge only sees a request its zone may see: when the privacy policy does not allow the judge's zone, the
/// cheaper answer cannot be verified and the request escalates (fail closed) to the next compliant candidate.
/// </remarks>
public sealed class CascadeStrategy : IRouteStrategy
{
    private readonly FrozenDictionary<string, ICascadeVerifier> _verifiers;
    private readonly string? _judgeZone;
    private readonly Configuration.ModelPrice? _judgePrice;

    /// <summary>Creates the strategy from a verifier per cheaper candidate (by name).</summary>
    /// <param name="verifiers">Candidate name → its verifier.</param>
    /// <param name="judgeZone">The judge's residency zone, when the verifier sends the conversation to a judge model.</param>
    /// <param name="judgePrice">The judge's prices (its calls are costed at these; self-consistency samples at the cheap candidate's).</param>
    public CascadeStrategy(IReadOnlyDictionary<string, ICascadeVerifier> verifiers, string? judgeZone = null, Configuration.ModelPrice? judgePrice = null)
    {
        _judgePrice = judgePrice;
        ArgumentNullException.ThrowIfNull(verifiers);
        _verifiers = verifiers.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        _judgeZone = judgeZone;
    }

    /// <inheritdoc />
    public string Kind => "cascade";

    /// <summary>Builds the strategy for a route from its (validated) configuration: a <c>judge</c> or <c>self_consistency</c> verifier.</summary>
    /// <param name="config">The route's strategy.</param>
    /// <param name="candidates">The route's candidates, cheapest first.</param>
    /// <param name="models">Every configured model (the candidates and the judge are looked up by name).</param>
    /// <returns>The strategy.</returns>
    /// <exception cref="ArgumentException">The configuration names the <c>learned</c> verifier, which is built outside Core: use the overload that takes it.</exception>
    public static CascadeStrategy Create(RouteStrategyConfig config, IReadOnlyList<string> candidates, IEnumerable<RouteCandidate> models) =>
        Create(config, candidates, models, verifier: null);

    /// <summary>
    /// Builds the strategy for a route from its (validated) configuration, with a verifier built by the caller (the
    /// gateway builds the <c>learned</c> verifier, which Core cannot load) checking every cheaper candidate's answer.
    /// </summary>
    /// <param name="config">The route's strategy.</param>
    /// <param name="candidates">The route's candidates, cheapest first.</param>
    /// <param name="models">Every configured model (the candidates and the judge are looked up by name).</param>
    /// <param name="verifier">
    /// The verifier of every candidate but the last; it runs in process (no judge zone applies). Null builds the
    /// <c>judge</c> or <c>self_consistency</c> verifier the configuration names.
    /// </param>
    /// <returns>The strategy.</returns>
    /// <exception cref="ArgumentException">No verifier was given and the configuration names the <c>learned</c> verifier.</exception>
    public static CascadeStrategy Create(RouteStrategyConfig config, IReadOnlyList<string> candidates, IEnumerable<RouteCandidate> models, ICascadeVerifier? verifier)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(models);
        var verifiers = new Dictionary<string, ICascadeVerifier>(StringComparer.OrdinalIgnoreCase);
        if (verifier is not null)
        {
            foreach (var name in candidates.Take(candidates.Count - 1))
            {
                verifiers[name] = verifier;
            }

            return new CascadeStrategy(verifiers);
        }

        if (string.Equals(config.Verifier?.Trim(), RouteStrategyKinds.Learned, StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException("The learned verifier is loaded from its file outside Core: pass it to CascadeStrategy.Create.", nameof(verifier));
        }

        var byName = models.ToDictionary(m => m.Name, StringComparer.OrdinalIgnoreCase);
        string? judgeZone = null;
        ModelPrice? judgePrice = null;
        if (string.Equals(config.Verifier?.Trim(), RouteStrategyKinds.Judge, StringComparison.OrdinalIgnoreCase))
        {
            var judge = byName[config.Judge!];
            judgeZone = judge.Zone;
            judgePrice = judge.Price;
            var judgeVerifier = new JudgeVerifier(judge.Client, config.Threshold);
            foreach (var name in candidates.Take(candidates.Count - 1))
            {
                verifiers[name] = judgeVerifier;
            }
        }
        else
        {
            foreach (var name in candidates.Take(candidates.Count - 1))
            {
                verifiers[name] = new SelfConsistencyVerifier(byName[name].Client, config.Samples, config.Threshold);
            }
        }

        return new CascadeStrategy(verifiers, judgeZone, judgePrice);
    }

    /// <inheritdoc />
    public IReadOnlyList<RouteCandidate> Order(IReadOnlyList<ChatMessage> messages, IReadOnlyList<RouteCandidate> candidates, RouteDecisionBuilder decision)
    {
        ArgumentNullException.ThrowIfNull(decision);
        decision.StrategyKind = Kind;
        return candidates;
    }

    /// <inheritdoc />
    public IChatClient ClientFor(RouteCandidate candidate, bool hasFallback, RouteDecisionBuilder decision)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        ArgumentNullException.ThrowIfNull(decision);
        if (!hasFallback || !_verifiers.TryGetValue(candidate.Name, out var verifier))
        {
            return candidate.Client;
        }

        if (_judgeZone is not null && decision.Privacy is { AllowedZones: not null } privacy && !privacy.Allows(_judgeZone))
        {
            verifier = new RefusingVerifier($"judge zone {_judgeZone} not allowed for {privacy.Describe()}");
        }

        var name = candidate.Name;
        var price = _judgePrice ?? candidate.Price;
        return new VerifyingChatClient(candidate.Client, verifier, v =>
        {
            decision.StrategySteps.Add(new StrategyStep(name, v.Method, Math.Round(v.Score, 4), v.Threshold, !v.Accepted, v.Detail));
            if (v.Usage is { } usage)
            {
                decision.AddOverheadCost(Metering.CostCalculator.Cost(price, usage.InputTokenCount ?? 0, usage.CachedInputTokenCount ?? 0, usage.OutputTokenCount ?? 0));
            }
        });
    }

    /// <summary>Rejects every answer: used when the configured verifier may not see the request.</summary>
    private sealed class RefusingVerifier(string detail) : ICascadeVerifier
    {
        public ValueTask<CascadeVerdict> VerifyAsync(IReadOnlyList<ChatMessage> messages, ChatResponse answer, ChatOptions? options, CancellationToken cancellationToken) =>
            ValueTask.FromResult(new CascadeVerdict(false, 0, 1, "unverifiable", detail));
    }
}
