namespace Switchyard.Evaluation.Tasks;

/// <summary>Where an evaluation run is, reported after every model call.</summary>
/// <param name="CompletedTasks">Tasks of this run answered by every model (and recorded).</param>
/// <param name="TotalTasks">Tasks this run has to complete (tasks already complete before it are not counted).</param>
/// <param name="CompletedCalls">Model calls finished, failed ones included.</param>
/// <param name="TotalCalls">Model calls this run makes.</param>
/// <param name="FailedCalls">Calls recorded as errors (the call failed, or its answer could not be graded).</param>
public sealed record EvalProgress(int CompletedTasks, int TotalTasks, int CompletedCalls, int TotalCalls, int FailedCalls);
