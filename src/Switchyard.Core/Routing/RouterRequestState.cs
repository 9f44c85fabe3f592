namespace Switchyard.Routing;

/// <summary>Where the router is in one request's candidate list.</summary>
internal sealed class RouterRequestState(IReadOnlyList<RouteCandidate> candidates)
{
    public IReadOnlyList<RouteCandidate> Candidates { get; } = candidates;

    /// <summary>Whether the privacy policy removed candidates before any was tried.</summary>
    public bool RestrictedByPolicy { get; set; }

    /// <summary>Index of the candidate being tried.</summary>
    public int Index { get; set; } = -1;

    /// <summary>Retries used on the current candidate.</summary>
    public int RetriesUsed { get; set; }

    /// <summary>The failure of the attempt just reported, consumed by the next selection.</summary>
    public Exception? PendingFailure { get; set; }

    /// <summary>The most recent failure of any attempt.</summary>
    public Exception? LastFailure { get; set; }

    /// <summary>Shortest time until an eliminated candidate's circuit half-opens.</summary>
    public TimeSpan? EarliestRetry { get; set; }

    /// <summary>The budget hold taken for the current candidate, if any (released if it fails over without billable output).</summary>
    public string? Reservation { get; set; }

    /// <summary>The first budget refusal, reported when no candidate could serve for want of budget.</summary>
    public Access.BudgetAdmission? BudgetRefusal { get; set; }

    /// <summary>The first model rate-limit refusal, reported when no candidate could serve for that reason alone.</summary>
    public Access.RateLimitDecision? RateRefusal { get; set; }
}
