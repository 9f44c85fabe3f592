using System.Globalization;
using Spectre.Console;

namespace Switchyard.Cli.BenchBackend;

/// <summary>Progress on a terminal: one Spectre.Console bar per concurrency level.</summary>
internal sealed class BenchBarProgress(IReadOnlyDictionary<int, ProgressTask> bars) : IProgress<BackendBenchmarkProgress>
{
    public void Report(BackendBenchmarkProgress value)
    {
        if (!bars.TryGetValue(value.Concurrency, out var bar))
        {
            return;
        }

        if (!bar.IsStarted)
        {
            bar.StartTask();
        }

        bar.Value = value.Completed;
        bar.Description = string.Create(CultureInfo.InvariantCulture, $"concurrency {value.Concurrency,3}: {value.OutputTokensPerSecond,8:0.0} tok/s, {value.Errors} errors");
        if (value.Completed == value.Total)
        {
            bar.StopTask();
        }
    }
}
