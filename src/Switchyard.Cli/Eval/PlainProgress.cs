using System.Globalization;
using Switchyard.Evaluation.Tasks;

namespace Switchyard.Cli.Eval;

/// <summary>Progress for output that is not a terminal: a line each time another tenth of the tasks has completed.</summary>
internal sealed class PlainProgress(TextWriter output) : IProgress<EvalProgress>
{
    private int _lastPrinted = -1;

    public void Report(EvalProgress value)
    {
        if (value.TotalTasks == 0 || value.CompletedTasks == _lastPrinted)
        {
            return;
        }

        var step = Math.Max(1, (value.TotalTasks + 9) / 10);
        if (value.CompletedTasks % step != 0 && value.CompletedTasks != value.TotalTasks)
        {
            return;
        }

        _lastPrinted = value.CompletedTasks;
        if (value.CompletedTasks > 0)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"eval: {value.CompletedTasks}/{value.TotalTasks} tasks, {value.CompletedCalls}/{value.TotalCalls} calls, {value.FailedCalls} failed"));
        }
    }
}
