using System.Globalization;
using Spectre.Console;
using Switchyard.Evaluation.Tasks;

namespace Switchyard.Cli.Eval;

/// <summary>Progress on a terminal: a Spectre.Console progress bar over the run's model calls.</summary>
internal sealed class BarProgress(ProgressTask bar) : IProgress<EvalProgress>
{
    public void Report(EvalProgress value)
    {
        bar.Value = value.CompletedCalls;
        bar.Description = string.Create(CultureInfo.InvariantCulture, $"{value.CompletedTasks}/{value.TotalTasks} tasks, {value.FailedCalls} failed");
    }
}
