using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Switchyard.Privacy;
using Switchyard.PrivacyBench.Corpus;

namespace Switchyard.PrivacyBench;

/// <summary>
/// <c>--quality [--samples N] [--seed S] [--errors K]</c> prints precision and recall per data class on a generated
/// corpus (and K example errors per class); anything else runs the BenchmarkDotNet scan benchmarks in-process
/// (<c>--short</c> for a short job; other arguments, such as <c>--filter *ScanBenchmarks*</c>, go to BenchmarkDotNet).
/// </summary>
internal static class Program
{
    public static int Main(string[] args)
    {
        if (args.Contains("--help") || args.Contains("-h"))
        {
            Console.WriteLine("usage: switchyard-privacy-bench --quality [--samples 50000] [--seed 20261129] [--errors 0]");
            Console.WriteLine("       switchyard-privacy-bench [--short] [BenchmarkDotNet arguments, e.g. --filter *ScanBenchmarks*]");
            return 0;
        }

        if (args.Contains("--quality"))
        {
            return Quality(args);
        }

        bool quick = args.Contains("--short");
        Job job = (quick ? Job.ShortRun : Job.Default).WithToolchain(InProcessEmitToolchain.Instance);
        IConfig config = DefaultConfig.Instance
            .AddJob(job)
            .AddColumn(new MicrosPerKiBColumn());
        string[] rest = [.. args.Where(a => a != "--short")];
        BenchmarkSwitcher.FromTypes([typeof(ScanBenchmarks), typeof(DetectorBenchmarks)]).Run(rest.Length == 0 ? ["--filter", "*"] : rest, config);
        return 0;
    }

    private static int Quality(string[] args)
    {
        int samples = IntOption(args, "--samples", 50_000);
        int seed = IntOption(args, "--seed", 20261129);
        int errors = IntOption(args, "--errors", 0);

        var watch = Stopwatch.StartNew();
        List<LabelledSample> corpus = PrivacyCorpus.Generate(samples, seed);
        TimeSpan generation = watch.Elapsed;
        long chars = corpus.Sum(s => (long)s.Text.Length);

        var found = new List<DetectionError>();
        watch.Restart();
        Dictionary<string, ClassScore> scores = DetectionQuality.Evaluate(PrivacyScanner.CreateDefault(), corpus, errors > 0 ? found : null);
        TimeSpan evaluation = watch.Elapsed;

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"corpus: {samples} samples, seed {seed}, {PrivacyCorpus.Locales.Count} locales ({string.Join(", ", PrivacyCorpus.Locales)}), {chars / 1024.0:0} KiB, {corpus.Sum(s => s.Labels.Count)} labelled values; generated in {generation.TotalSeconds:0.0} s, scanned and scored in {evaluation.TotalSeconds:0.0} s"));
        Console.WriteLine();
        Console.Write(DetectionQuality.FormatTable(scores));

        if (errors > 0)
        {
            foreach (IGrouping<(string, bool), DetectionError> group in found.GroupBy(e => (e.DataClass, e.FalsePositive)).OrderBy(g => g.Key))
            {
                Console.WriteLine();
                Console.WriteLine($"{(group.Key.Item2 ? "false positives" : "false negatives")} of {group.Key.Item1} ({group.Count()}):");
                foreach (DetectionError e in group.Take(errors))
                {
                    int from = Math.Max(0, e.Start - 30);
                    int to = Math.Min(e.Sample.Text.Length, e.Start + e.Length + 30);
                    Console.WriteLine($"  [{e.Sample.Locale}] «{e.Value.ReplaceLineEndings("⏎")}»  in …{e.Sample.Text[from..to].ReplaceLineEndings("⏎")}…");
                }
            }
        }

        return 0;
    }

    private static int IntOption(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], NumberStyles.Integer, CultureInfo.InvariantCulture) : fallback;
    }
}
