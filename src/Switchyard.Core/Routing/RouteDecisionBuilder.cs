namespace Switchyard.Routing;

/// <summary>Collects one request's routing decision as it unfolds; <see cref="Build"/> returns the value.</summary>
public sealed class RouteDecisionBuilder
{
    private readonly List<DroppedField> _dropped = [];
    private readonly List<RouteElimination> _eliminated = [];
    private readonly List<RouteAttempt> _attempts = [];

    /// <summary>Starts a decision for a requested name.</summary>
    public RouteDecisionBuilder(string requested, string? route, IReadOnlyList<string> candidates)
    {
        Requested = requested;
        Route = route;
        Candidates = candidates;
    }

    /// <summary>The requested name.</summary>
    public string Requested { get; }

    /// <summary>The route, or null for a direct model request.</summary>
    public string? Route { get; }

    /// <summary>The candidates, in order.</summary>
    public IReadOnlyList<string> Candidates { get; }

    /// <summary>The privacy policy's decision, when one ran.</summary>
    public Privacy.PrivacyDecision? Privacy { get; init; }

    /// <summary>Candidates outside the allowed zones that receive the request pseudonymised (their names).</summary>
    public List<string> Pseudonymized { get; } = [];

    /// <summary>The route's strategy kind, when it has one.</summary>
    public string? StrategyKind { get; set; }

    /// <summary>The strategy's steps so far (scores against thresholds, cascade verdicts).</summary>
    public List<StrategyStep> StrategySteps { get; } = [];

    /// <summary>The candidate the strategy sent the request to first, and why.</summary>
    public (string Model, string Why)? StrategyChoice { get; set; }

    /// <summary>The model that served, once one has.</summary>
    public string? Chosen { get; private set; }

    /// <summary>
    /// What the request cost beyond the answer that served (a cascade's rejected answers and its verifier's calls), in
    /// US dollars: added to the ledger record's cost.
    /// </summary>
    public decimal OverheadCost { get; private set; }

    /// <summary>Adds to <see cref="OverheadCost"/>.</summary>
    public void AddOverheadCost(decimal cost) => OverheadCost += cost;

    /// <summary>Attempts so far.</summary>
    public IReadOnlyList<RouteAttempt> Attempts => _attempts;

    /// <summary>Records a candidate skipped without an attempt.</summary>
    public void Eliminate(string model, string reason) => _eliminated.Add(new RouteElimination(model, reason));

    /// <summary>Records an attempt.</summary>
    public void AddAttempt(RouteAttempt attempt) => _attempts.Add(attempt);

    /// <summary>Marks the model that served.</summary>
    public void Choose(string model) => Chosen = model;

    /// <summary>Records that <paramref name="model"/> was called without <paramref name="field"/> (once per model and field).</summary>
    public void Drop(string model, string field, string why)
    {
        var dropped = new DroppedField(model, field, why);
        if (!_dropped.Contains(dropped))
        {
            _dropped.Add(dropped);
        }
    }

    /// <summary>The decision as a value.</summary>
    public RouteDecision Build() => new(Requested, Route, Candidates, [.. _eliminated], [.. _attempts], Chosen, Explain()) { Privacy = Privacy, Pseudonymized = Pseudonymized.Count == 0 ? null : [.. Pseudonymized], Strategy = StrategyKind is null ? null : new RouteStrategyTrace(StrategyKind, [.. StrategySteps]), OverheadCost = OverheadCost == 0 ? null : OverheadCost, Dropped = _dropped.Count == 0 ? null : [.. _dropped] };

    private string Explain()
    {
        var failed = _attempts.Where(a => a.Outcome != "ok").Select(a => $"{a.Model} {a.Outcome}")
            .Concat(_eliminated.Select(e => $"{e.Model} {e.Reason}"))
            .ToList();
        if (Chosen is null)
        {
            return failed.Count == 0 ? "no candidate was tried" : string.Join(", ", failed);
        }

        var why = Route is null ? "requested directly"
            : StrategyChoice is { } choice && choice.Model == Chosen ? choice.Why
            : StrategyKind == "cascade" && StrategySteps.Any(s => s.Escalated) ? "cascade escalation"
            : Chosen == Candidates[0] && StrategyChoice is null ? "first candidate" : "failover";
        return failed.Count == 0 ? why : $"{why} after {string.Join(", ", failed)}";
    }
}
