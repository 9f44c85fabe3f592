using System.Collections.Frozen;
using System.Globalization;
using Microsoft.Extensions.AI;

namespace Switchyard.Routing.Difficulty;

/// <summary>
/// Difficulty routing: candidates are ordered cheapest first; for each cheaper candidate its scorer predicts
/// P(good enough) for the conversation, and the request goes to the first whose prediction clears its calibrated
/// threshold, else to the last. The candidates after the chosen one stay as failover, then those before it.
/// </summary>
public sealed class DifficultyStrategy : IRouteStrategy
{
    private readonly FrozenDictionary<string, (IDifficultyScorer Scorer, CalibratedThreshold Threshold)> _steps;

    /// <summary>Creates the strategy from a scorer and threshold per cheaper candidate (by candidate name).</summary>
    public DifficultyStrategy(IReadOnlyDictionary<string, (IDifficultyScorer Scorer, CalibratedThreshold Threshold)> steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        _steps = steps.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
    }

    /// <inheritdoc />
    public string Kind => "difficulty";

    /// <summary>The threshold in force for each cheaper candidate.</summary>
    public IEnumerable<KeyValuePair<string, CalibratedThreshold>> Thresholds => _steps.Select(s => KeyValuePair.Create(s.Key, s.Value.Threshold));

    /// <summary>
    /// Builds the strategy for a route from a trained router: each candidate but the last uses the router's pair
    /// whose cheaper model has its name (or, for a two-candidate route and a one-pair router, that pair), with a
    /// threshold calibrated to <paramref name="strongShare"/> or to <paramref name="qualityTarget"/> (PGR).
    /// </summary>
    /// <exception cref="ArgumentException">A cheaper candidate has no pair in the router, or no target or both were given.</exception>
    public static DifficultyStrategy Create(DifficultyRouterModel router, IReadOnlyList<string> candidates, double? strongShare, double? qualityTarget)
    {
        ArgumentNullException.ThrowIfNull(router);
        ArgumentNullException.ThrowIfNull(candidates);
        if (strongShare is null == qualityTarget is null)
        {
            throw new ArgumentException("Give exactly one target: a strong-model share or a quality target (PGR).");
        }

        var steps = new Dictionary<string, (IDifficultyScorer, CalibratedThreshold)>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < candidates.Count - 1; i++)
        {
            var pair = router.PairFor(candidates[i])
                ?? (candidates.Count == 2 && router.Pairs.Count == 1 ? router.Pairs[0] : null)
                ?? throw new ArgumentException($"the router has no model for candidate '{candidates[i]}' (it has: {string.Join(", ", router.Pairs.Select(p => p.Weak))}).");
            var threshold = strongShare is { } share
                ? ThresholdCalibrator.ForStrongShare(pair.Calibration, share)
                : ThresholdCalibrator.ForQuality(pair.Calibration, qualityTarget!.Value);
            steps[candidates[i]] = (router.CreateScorer(pair), threshold);
        }

        return new DifficultyStrategy(steps);
    }

    /// <inheritdoc />
    public IReadOnlyList<RouteCandidate> Order(IReadOnlyList<ChatMessage> messages, IReadOnlyList<RouteCandidate> candidates, RouteDecisionBuilder decision)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(candidates);
        ArgumentNullException.ThrowIfNull(decision);
        decision.StrategyKind = Kind;
        if (candidates.Count == 0)
        {
            return candidates;
        }

        var chosen = candidates.Count - 1;
        string? why = null;
        for (var i = 0; i < candidates.Count - 1; i++)
        {
            var name = candidates[i].Name;
            if (!_steps.TryGetValue(name, out var step))
            {
                continue;
            }

            var p = step.Scorer.PredictGoodEnough(messages);
            var escalate = step.Threshold.Escalates(p);
            decision.StrategySteps.Add(new StrategyStep(name, Kind, Math.Round(p, 4), Math.Round(step.Threshold.Threshold, 4), escalate, step.Threshold.Target));
            var comparison = string.Create(CultureInfo.InvariantCulture, $"{name} p_good {p:0.###} {(escalate ? "<" : ">=")} {step.Threshold.Threshold:0.###}");
            why = why is null ? comparison : why + ", " + comparison;
            if (!escalate)
            {
                chosen = i;
                break;
            }
        }

        decision.StrategyChoice = (candidates[chosen].Name, why is null ? "difficulty: no scorer applies" : "difficulty: " + why);
        if (chosen == 0)
        {
            return candidates;
        }

        var ordered = new List<RouteCandidate>(candidates.Count);
        for (var i = chosen; i < candidates.Count; i++)
        {
            ordered.Add(candidates[i]);
        }

        for (var i = 0; i < chosen; i++)
        {
            ordered.Add(candidates[i]);
        }

        return ordered;
    }

    /// <inheritdoc />
    public IChatClient ClientFor(RouteCandidate candidate, bool hasFallback, RouteDecisionBuilder decision)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        return candidate.Client;
    }
}
