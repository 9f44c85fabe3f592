using System.Globalization;
using BenchmarkDotNet.Columns;
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
/// other arguments (e.g. <c>--filter *Scorer*</c>) go to BenchmarkDotNet. <c>--describe</c> only trains the routers
/// and prints them and the inputs. The learned routers (<see cref="LearnedRoutingFixture"/>) are built, described and
/// the embedding cache's memory measured only when the run includes <see cref="LearnedRoutingBenchmarks"/> (no filter,
/// or a filter naming <c>Learned</c>) or with <c>--describe</c>; <c>--retrain</c> deletes the cached trained routers first.
/// </summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        if (args.Contains("--help") || args.Contains("-h"))
        {
            Console.WriteLine("usage: switchyard-routing-bench [--quick | --medium] [--retrain] [BenchmarkDotNet arguments, e.g. --filter *ScorerBenchmarks*]");
            Console.WriteLine("       switchyard-routing-bench --describe   # train the routers, print them and the inputs, measure the cache, exit");
            Console.WriteLine("       --retrain: train the learned routers again (else they are loaded from bin/.../learned-routers/)");
            return 0;
        }

        // Trains the router (a few seconds) before BenchmarkDotNet starts, and says what is measured.
        foreach (var line in RoutingFixture.Instance.Describe())
        {
            Console.WriteLine(line);
        }

        if (args.Contains("--retrain"))
        {
            LearnedRoutingFixture.ForgetTrainedRouters();
        }

        var filters = args.SkipWhile(a => a is not ("--filter" or "-f")).Skip(1).TakeWhile(a => !a.StartsWith('-')).ToList();
        if (args.Contains("--describe") || filters.Count == 0 || filters.Any(f => f.Contains("learned", StringComparison.OrdinalIgnoreCase) || f == "*"))
        {
            // Trains (first run) or loads the learned routers before BenchmarkDotNet starts, and measures the cache once.
            foreach (var maxTokens in LearnedRoutingFixture.MaxTokenSettings)
            {
                foreach (var line in LearnedRoutingFixture.For(maxTokens).Describe())
                {
                    Console.WriteLine(line);
                }
            }

            var (bytes, entries) = LearnedRoutingFixture.MeasureCacheMemory();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"embedding cache: {entries:N0} entries of 384 floats retain {bytes:N0} B (GC.GetTotalMemory delta) = {(double)bytes / entries:N0} B per entry"));
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
            .AddColumn(StatisticColumn.Median, StatisticColumn.P95)
            .WithSummaryStyle(SummaryStyle.Default.WithTimeUnit(TimeUnit.Microsecond));
        string[] rest = [.. args.Where(a => a is not ("--quick" or "--short" or "--medium" or "--retrain"))];
        BenchmarkSwitcher.FromTypes([typeof(ScorerBenchmarks), typeof(StrategyBenchmarks), typeof(LearnedRoutingBenchmarks)]).Run(rest.Length == 0 ? ["--filter", "*"] : rest, config);
        return 0;
    }
}
