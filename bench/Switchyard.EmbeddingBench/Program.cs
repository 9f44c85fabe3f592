using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;

namespace Switchyard.EmbeddingBench;

/// <summary>
/// Runs the embedding benchmarks in-process (the model is loaded once). <c>--quick</c> (alias <c>--short</c>) runs
/// a short job, <c>--medium</c> BenchmarkDotNet's MediumRun (one launch), neither its default job; other arguments
/// (e.g. <c>--filter *CacheHit*</c>) go to BenchmarkDotNet. <c>--describe</c> loads the model, prints the inputs and exits.
/// </summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        if (args.Contains("--help") || args.Contains("-h"))
        {
            Console.WriteLine("usage: switchyard-embedding-bench [--quick | --medium] [BenchmarkDotNet arguments, e.g. --filter *Embed*]");
            Console.WriteLine("       switchyard-embedding-bench --describe   # load the model, print the inputs, exit");
            return 0;
        }

        foreach (string line in Inputs.Describe())
        {
            Console.WriteLine(line);
        }

        if (args.Contains("--describe"))
        {
            return 0;
        }

        // --quick: 3 warm-up and 3 measured iterations of ~100 ms each: a smoke run, figures within ~±30 %.
        // --medium: MediumRun with one launch (10 warm-up + 15 measured iterations of ~0.5 s).
        var job = args.Contains("--quick") || args.Contains("--short") ? Job.ShortRun.WithIterationTime(TimeInterval.FromMilliseconds(100))
            : args.Contains("--medium") ? Job.MediumRun.WithLaunchCount(1)
            : Job.Default;
        job = job.WithToolchain(InProcessEmitToolchain.Instance);
        var config = DefaultConfig.Instance
            .AddJob(job)
            .AddColumn(StatisticColumn.Median, StatisticColumn.P95)
            .WithSummaryStyle(SummaryStyle.Default.WithTimeUnit(TimeUnit.Microsecond));
        string[] rest = [.. args.Where(a => a is not ("--quick" or "--short" or "--medium"))];
        BenchmarkSwitcher.FromTypes([typeof(EmbeddingBenchmarks)]).Run(rest.Length == 0 ? ["--filter", "*"] : rest, config);
        return 0;
    }
}
