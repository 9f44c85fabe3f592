namespace Switchyard.Evaluation.Tasks;

/// <summary>What a run has to do: the tasks with missing models, in task order.</summary>
/// <param name="Items">Tasks with at least one model to run.</param>
/// <param name="TotalTasks">Tasks in the set.</param>
/// <param name="SkippedTasks">Tasks already complete for every model (not run again).</param>
public sealed record EvalPlan(IReadOnlyList<EvalPlanItem> Items, int TotalTasks, int SkippedTasks)
{
    /// <summary>Model calls the plan makes.</summary>
    public int Calls { get; } = Items.Sum(i => i.MissingModels.Count);
}
