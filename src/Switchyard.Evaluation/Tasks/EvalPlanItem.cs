namespace Switchyard.Evaluation.Tasks;

/// <summary>A task with models still to run.</summary>
/// <param name="Task">The task.</param>
/// <param name="Previous">What an earlier run recorded for it, if anything (kept and merged into the new record).</param>
/// <param name="MissingModels">The models to run it on, in the runner's order.</param>
public sealed record EvalPlanItem(EvalTask Task, OutcomeRecord? Previous, IReadOnlyList<string> MissingModels);
