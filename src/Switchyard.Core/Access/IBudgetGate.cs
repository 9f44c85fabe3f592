namespace Switchyard.Access;

/// <summary>What a request asks of the budgets before a candidate is called.</summary>
/// <param name="RequestId">The request (its ledger row later settles the hold).</param>
/// <param name="Principal">The key it was made with; null when authentication is off (only global budgets apply).</param>
/// <param name="AmountNanoUsd">The candidate's worst-case cost in nano-dollars (0 for a free candidate).</param>
/// <param name="Candidate">The candidate's name, for messages.</param>
public sealed record BudgetRequest(string RequestId, RequestPrincipal? Principal, long AmountNanoUsd, string Candidate);

/// <summary>The answer to a <see cref="BudgetRequest"/>.</summary>
/// <param name="Admitted">Whether the candidate may be called.</param>
/// <param name="ReservationId">The hold taken, when one was (a paid candidate under at least one budget).</param>
/// <param name="Refusal">Why not, naming the budget (e.g. <c>daily budget of key sk-sy-… ($1.00) exhausted</c>).</param>
/// <param name="StoreUnavailable">True when the refusal is because the budget store could not be reached.</param>
public sealed record BudgetAdmission(bool Admitted, string? ReservationId, string? Refusal, bool StoreUnavailable = false)
{
    /// <summary>Admitted with nothing held (no budget applies, or the candidate is free).</summary>
    public static BudgetAdmission Free { get; } = new(true, null, null);
}

/// <summary>
/// Reserves a candidate's worst-case cost against every budget that applies to the request (the key's, its team's,
/// the global one), atomically across gateway instances, before the candidate is called. The hold is settled
/// with the actual cost when the request's ledger row is written, or released early when the attempt fails without
/// billable output.
/// </summary>
public interface IBudgetGate
{
    /// <summary>Tries to reserve; never throws for a refused or unreachable store (see <see cref="BudgetAdmission.StoreUnavailable"/>).</summary>
    ValueTask<BudgetAdmission> ReserveAsync(BudgetRequest request, CancellationToken cancellationToken = default);

    /// <summary>Releases a hold whose attempt produced nothing billable (failover to another candidate).</summary>
    ValueTask ReleaseAsync(string reservationId, CancellationToken cancellationToken = default);
}
