using System.Globalization;

namespace Switchyard.Cli.BenchBackend;

/// <summary>Progress for output that is not a terminal: a line at each quarter of a level and when it ends.</summary>
internal sealed class BenchPlainProgress(TextWriter output) : IProgress<BackendBenchmarkProgress>
{
    public void Report(BackendBenchmarkProgress value)
    {
        if (value.Completed == 0)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"bench-backend: concurrency {value.Concurrency}: {value.Total} requests"));
            return;
        }

        var step = Math.Max(1, (value.Total + 3) / 4);
        if (value.Completed % step != 0 && value.Completed != value.Total)
        {
            return;
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"bench-backend: concurrency {value.Concurrency}: {value.Completed}/{value.Total} requests, {value.Errors} errors, {value.OutputTokensPerSecond:0.0} output tokens/s"));
    }
}
