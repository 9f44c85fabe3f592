using System.Text.Json;
using Switchyard.Evaluation;
using Switchyard.Evaluation.Metrics;
using Switchyard.Tests.Infrastructure;
using Switchyard.Tests.Routing.Difficulty;

namespace Switchyard.Tests.Cli;

/// <summary><c>switchyard simulate</c>'s length baseline, <c>--seeds</c> and per-prompt JSON, run as the real executable.</summary>
public sealed class SimulateSeedsAndBaselinesTests : IDisposable
{
    private static readonly string[] Metrics = ["apgr", "cpt20", "cpt50", "cpt80", "aiq"];

    private readonly string _dir = Directory.CreateTempSubdirectory("simulate-seeds-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // The learned router's cross-validation over sentence embeddings is exercised in SimulateCommandTests and
    // MixedTrafficTests; here the simulations compare the length-only learner, so each run takes a second, not twenty.
    private Task<(int Code, string Out, string Err)> RunAsync(params string[] args) =>
        CliRunner.RunAsync(_dir, args is ["simulate", ..] ? [.. args, "--no-embeddings"] : args);

    private static string[] TableRows(string output) =>
        [.. output.Split('\n').Where(l => l.StartsWith('│')).Select(l => l.Split('│', StringSplitOptions.TrimEntries)[1])];

    [Fact]
    public async Task Crux_Llama8BVersusGpt4o_PrintsLearnedLengthAndRandomRows()
    {
        var crux = Path.Combine(RepoPaths.Root, "data", "zeroeval-outcomes", "crux.jsonl");
        var (code, output, err) = await RunAsync("simulate", "--outcomes", crux, "--weak", "Meta-Llama-3.1-8B-Instruct", "--strong", "gpt-4o-2024-08-06", "--png", "");

        Assert.True(code == 0, err + output);
        var rows = TableRows(output);
        Assert.Contains("learned", rows);
        Assert.Contains("length", rows);
        Assert.Contains("random", rows);
        Assert.Contains("oracle", rows);
        Assert.Contains("always_weak (Meta-Llama-3.1-8B-Instruct)", rows);
        Assert.Contains("always_strong (gpt-4o-2024-08-06)", rows);
        Assert.Contains("240 held-out prompts, trained on 560", output, StringComparison.Ordinal);
        Assert.Matches(@"APGR: learned 0\.\d{3}, length baseline 0\.\d{3} \(", output);
    }

    [Fact]
    public void ZeroEvalFiles_ParseWithTheOutcomeReader()
    {
        var crux = OutcomeJsonl.Read(Path.Combine(RepoPaths.Root, "data", "zeroeval-outcomes", "crux.jsonl"));
        var numersense = OutcomeJsonl.Read(Path.Combine(RepoPaths.Root, "data", "zeroeval-outcomes", "numersense-v2.jsonl"));

        Assert.Equal(800, crux.Records.Count);
        Assert.Equal(51, crux.Models.Count);
        Assert.Equal(512, numersense.Records.Count);
        Assert.Equal(9, numersense.Models.Count);
        Assert.All(crux.Records, r => Assert.Equal(51, r.Outcomes.Count));

        // The README's published accuracy of gpt-4o-2024-08-06 on CRUX is 87.00%.
        Assert.Equal(0.87, crux.Records.Average(r => r.Outcomes["gpt-4o-2024-08-06"].Score), 6);
    }

    [Fact]
    public async Task Seeds_Range_ReportsMeanAndRangePerRouter_AndPerSeedRunsInJson()
    {
        OutcomeJsonl.Write(Path.Combine(_dir, "o.jsonl"), SyntheticOutcomes.Create(300));

        var (code, output, err) = await RunAsync("simulate", "--outcomes", "o.jsonl", "--seeds", "1-3", "--json", "m.json", "--png", "c.png");

        Assert.True(code == 0, err + output);
        Assert.Contains("seeds 1–3 (mean and min–max)", output, StringComparison.Ordinal);
        Assert.Matches(@"│ learned\s+│ \d\.\d{3}( \(\d\.\d{3}–\d\.\d{3}\))? ", output);
        Assert.Contains("learned ahead on ", output, StringComparison.Ordinal);

        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "m.json")));
        var root = json.RootElement;
        Assert.Equal([1, 2, 3], root.GetProperty("seeds").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(0.3, root.GetProperty("test_fraction").GetDouble());
        var runs = root.GetProperty("runs").EnumerateArray().ToList();
        Assert.Equal([1, 2, 3], runs.Select(r => r.GetProperty("seed").GetInt32()));

        // Each seed is its own split.
        var testIds = runs.Select(r => r.GetProperty("predictions").EnumerateArray().Select(p => p.GetProperty("id").GetString()).ToHashSet()).ToList();
        Assert.NotEqual(testIds[0], testIds[1]);

        foreach (var router in new[] { "learned", "length", "random", "oracle", "always_weak", "always_strong" })
        {
            foreach (var metric in Metrics)
            {
                var summary = root.GetProperty("summary").GetProperty(router).GetProperty(metric);
                var values = summary.GetProperty("values").EnumerateArray().Select(v => v.GetDouble()).ToList();
                var perRun = runs.Select(r => r.GetProperty("routers").GetProperty(router).GetProperty(metric).GetDouble()).ToList();
                Assert.Equal(perRun, values);
                Assert.Equal(values.Average(), summary.GetProperty("mean").GetDouble(), 12);
                Assert.Equal(values.Min(), summary.GetProperty("min").GetDouble());
                Assert.Equal(values.Max(), summary.GetProperty("max").GetDouble());
                Assert.Equal(3, summary.GetProperty("defined").GetInt32());
            }
        }

        Assert.True(File.Exists(Path.Combine(_dir, "c.png")));
    }

    [Theory]
    [InlineData("1,4,7", new[] { 1, 4, 7 })]
    [InlineData("3", new[] { 3 })]
    [InlineData("2-3,2,9", new[] { 2, 3, 9 })]
    public async Task Seeds_ListsAndSingleSeeds(string spec, int[] expected)
    {
        OutcomeJsonl.Write(Path.Combine(_dir, "o.jsonl"), SyntheticOutcomes.Create(120));

        var (code, output, err) = await RunAsync("simulate", "--outcomes", "o.jsonl", "--seeds", spec, "--json", "m.json", "--png", "");

        Assert.True(code == 0, err + output);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "m.json")));
        Assert.Equal(expected, json.RootElement.GetProperty("seeds").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(expected.Length, json.RootElement.GetProperty("runs").GetArrayLength());
    }

    [Fact]
    public async Task Seed_StillWorks_AndMatchesTheSameSeedInSeeds()
    {
        OutcomeJsonl.Write(Path.Combine(_dir, "o.jsonl"), SyntheticOutcomes.Create(200));

        var (code1, out1, err1) = await RunAsync("simulate", "--outcomes", "o.jsonl", "--seed", "4", "--json", "one.json", "--png", "");
        var (code2, out2, err2) = await RunAsync("simulate", "--outcomes", "o.jsonl", "--seeds", "3-4", "--json", "two.json", "--png", "");

        Assert.True(code1 == 0, err1 + out1);
        Assert.True(code2 == 0, err2 + out2);
        using var one = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "one.json")));
        using var two = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "two.json")));
        var a = one.RootElement.GetProperty("runs")[0];
        var b = two.RootElement.GetProperty("runs")[1];
        Assert.Equal(4, a.GetProperty("seed").GetInt32());
        Assert.Equal(a.GetProperty("routers").GetRawText(), b.GetProperty("routers").GetRawText());
        Assert.Equal(a.GetProperty("predictions").GetRawText(), b.GetProperty("predictions").GetRawText());
    }

    [Fact]
    public async Task Json_PredictionsReproduceTheLearnedAndLengthMetrics()
    {
        var rows = SyntheticOutcomes.Create(300);
        OutcomeJsonl.Write(Path.Combine(_dir, "o.jsonl"), rows);

        var (code, output, err) = await RunAsync("simulate", "--outcomes", "o.jsonl", "--json", "m.json", "--png", "");

        Assert.True(code == 0, err + output);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "m.json")));
        var run = json.RootElement.GetProperty("runs")[0];
        var predictions = run.GetProperty("predictions").EnumerateArray().ToList();
        Assert.Equal(run.GetProperty("test_prompts").GetInt32(), predictions.Count);

        // The ids are the held-out prompts, the length score is the prompt's length, the outcomes are the file's.
        var byId = rows.ToDictionary(r => r.Id);
        foreach (var p in predictions)
        {
            var row = byId[p.GetProperty("id").GetString()!];
            Assert.Equal(row.Prompt.Length, p.GetProperty("length").GetDouble());
            Assert.Equal(row.Outcomes[SyntheticOutcomes.Weak].Score, p.GetProperty("weak_score").GetDouble());
            Assert.Equal(row.Outcomes[SyntheticOutcomes.Strong].Score, p.GetProperty("strong_score").GetDouble());
        }

        // Anyone can recompute a router's metrics (or add a baseline) from the JSON alone.
        var evaluator = new RoutingEvaluator(
            predictions.Select(p => p.GetProperty("weak_score").GetDouble()).ToArray(),
            predictions.Select(p => p.GetProperty("strong_score").GetDouble()).ToArray());
        foreach (var router in new[] { "learned", "length" })
        {
            var recomputed = evaluator.Evaluate(router, predictions.Select(p => p.GetProperty(router).GetDouble()).ToArray());
            Assert.Equal(run.GetProperty("routers").GetProperty(router).GetProperty("apgr").GetDouble(), recomputed.Apgr, 12);
            Assert.Equal(run.GetProperty("routers").GetProperty(router).GetProperty("cpt50").GetDouble(), recomputed.Cpt50, 12);
        }
    }

    [Fact]
    public async Task UndefinedMetricsOnSomeSeeds_AreNaNInJson_AndCountedOut()
    {
        // Equal means overall, so on some splits the strong model is behind on the test set: PGR is undefined there.
        var rows = Enumerable.Range(0, 200).Select(i => new OutcomeRecord(
            $"r{i}",
            [new Microsoft.Extensions.AI.ChatMessage(Microsoft.Extensions.AI.ChatRole.User, SyntheticOutcomes.EasyPrompt(i))],
            new Dictionary<string, ModelOutcome> { ["a"] = new(i % 2), ["b"] = new((i / 2) % 2) })).ToList();
        OutcomeJsonl.Write(Path.Combine(_dir, "o.jsonl"), rows);

        var (code, output, err) = await RunAsync("simulate", "--outcomes", "o.jsonl", "--weak", "a", "--strong", "b", "--seeds", "1-6", "--json", "m.json", "--png", "");

        Assert.True(code == 0, err + output);
        Assert.Contains("warning: ", err, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "m.json")));
        var apgr = json.RootElement.GetProperty("summary").GetProperty("learned").GetProperty("apgr");
        var values = apgr.GetProperty("values").EnumerateArray().ToList();
        var undefined = values.Count(v => v.ValueKind == JsonValueKind.String && v.GetString() == "NaN");
        Assert.True(undefined > 0, "expected a seed whose test set has the strong model behind");
        Assert.Equal(6 - undefined, apgr.GetProperty("defined").GetInt32());
    }
}
