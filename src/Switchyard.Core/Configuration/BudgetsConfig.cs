namespace Switchyard.Configuration;

/// <summary>How budgets behave when their store cannot be reached.</summary>
public sealed class BudgetsConfig
{
    /// <summary>
    /// <c>closed</c> (default): while the budget store is unreachable, paid candidates are not called (free ones still
    /// serve; with none, 503 <c>budget_store_unavailable</c>). <c>open</c>: paid candidates are called without a
    /// reservation (spend may then pass a budget by what is served meanwhile; start-up says so).
    /// </summary>
    public string WhenStoreDown { get; set; } = "closed";
}
