using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Perfolizer.Horology;

namespace Switchyard.RoutingBench;

/// <summary>
/// Runs the difficulty-routing benchmarks in-process (the trained router is built once and shared). <c>--quick</c>
/// (alias <c>--short</c>) runs a short job, <c>--medium</c> BenchmarkDotNet's MediumRun (one launch), neither its default job;
/// other arguments (e.g. <c>--filter *Scorer*</c>) go to BenchmarkDotNet. <c>--describe</c> only trains the router
/// and prints it and the inputs.
/// </summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        if (args.Contains("--help") || args.Contains("-h"))
        {
            Console.WriteLine("usage: switchyard-routing-bench [--quick | --medium] [BenchmarkDotNet arguments, e.g. --filter *ScorerBenchmarks*]");
            Console.WriteLine("       switchyard-routing-bench --describe   # train the router, print it and the inputs, exit");
            return 0;
        }

        // Trains the router (a few seconds) before BenchmarkDotNet starts, and says what is measured.
        foreach (var line in RoutingFixture.Instance.Describe())
        {
            Console.WriteLine(line);
        }

        if (args.Contains("--describe"))
        {
            return 0;
        }

        // --quick: 3 warm-up and 3 measured iterations of ~100 ms each (~15 s in all): a smoke run, figures within ~±30 %.
        // --medium: BenchmarkDotNet's MediumRun with one launch (10 warm-up + 15 measured iterations of ~0.5 s; ~4 min in all).
        // Default: BenchmarkDotNet's default job, which on a noisy VM runs up to 100 iterations per case (~12 min in all).
        var job = args.Contains("--quick") || args.Contains("--short") ? Job.ShortRun.WithIterationTime(TimeInterval.FromMilliseconds(100))
            : args.Contains("--medium") ? Job.MediumRun.WithLaunchCount(1)
            : Job.Default;
        job = job.WithToolchain(InProcessEmitToolchain.Instance);
        var config = DefaultConfig.Instance
            .AddJob(job)
            .WithSummaryStyle(SummaryStyle.Default.WithTimeUnit(TimeUnit.Microsecond));
        string[] rest = [.. args.Where(a => a is not ("--quick" or "--short" or "--medium"))];
        BenchmarkSwitcher.FromTypes([typeof(ScorerBenchmarks), typeof(StrategyBenchmarks)]).Run(rest.Length == 0 ? ["--filter", "*"] : rest, config);
        return 0;
    }
}
