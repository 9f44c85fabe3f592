using System.Text.Json;
using Switchyard.Evaluation;
using Switchyard.Routing.Difficulty;
using Switchyard.Routing.Learners;
using Switchyard.Tests.Infrastructure;
using Switchyard.Tests.Routing.Difficulty;

namespace Switchyard.Tests.Cli;

/// <summary><c>switchyard simulate</c> and <c>train-router</c> run as the real executable.</summary>
public sealed class SimulateCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("simulate-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static Task<(int Code, string Out, string Err)> RunAsync(string workingDirectory, params string[] args) => CliRunner.RunAsync(workingDirectory, args);

    [Fact]
    public async Task Simulate_RouteLlmGsm8k_WritesMetricsJsonChartAndRouter()
    {
        var data = Path.Combine(RepoPaths.Root, "data", "routellm-evals", "gsm8k");
        var (code, output, err) = await RunAsync(_dir, "simulate", "--outcomes", data, "--json", "m.json", "--png", "c.png", "--save-router", "r.json", "--seed", "3");

        Assert.True(code == 0, err + output);
        Assert.Contains("learned", output, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "m.json")));
        var run = json.RootElement.GetProperty("runs")[0];
        var routers = run.GetProperty("routers");
        var summary = json.RootElement.GetProperty("summary");
        foreach (var name in new[] { "learned", "length", "random", "oracle", "always_weak", "always_strong" })
        {
            foreach (var metric in new[] { "apgr", "cpt20", "cpt50", "cpt80", "aiq" })
            {
                Assert.True(routers.GetProperty(name).TryGetProperty(metric, out _), $"{name}.{metric}");
                Assert.True(summary.GetProperty(name).GetProperty(metric).TryGetProperty("mean", out _), $"summary {name}.{metric}");
            }
        }

        // 30% of GSM8K's 1,307 decontaminated prompts are held out; none of them was trained on.
        Assert.Equal([3], json.RootElement.GetProperty("seeds").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal(392, run.GetProperty("test_prompts").GetInt32());
        Assert.Equal(1307 - 392, run.GetProperty("train_prompts").GetInt32());
        Assert.Equal(392, run.GetProperty("predictions").GetArrayLength());
        Assert.True(routers.GetProperty("learned").GetProperty("apgr").GetDouble() > routers.GetProperty("random").GetProperty("apgr").GetDouble());

        var png = File.ReadAllBytes(Path.Combine(_dir, "c.png"));
        Assert.True(png.Length > 1000);
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        Assert.Equal(RouteLlmWeak, LearnedRouterModel.Load(Path.Combine(_dir, "r.json")).Pairs[0].Weak);
        Assert.Contains("seed 3: learned = ", output, StringComparison.Ordinal);
        Assert.True(routers.TryGetProperty("ngram", out _), "the hashed n-gram router is reported beside the learned one");
    }

    private const string RouteLlmWeak = "mistralai/Mixtral-8x7B-Instruct-v0.1";

    [Fact]
    public async Task Simulate_OurJsonlFormat_SeparateTrainAndTestFiles()
    {
        var rows = SyntheticOutcomes.Create(400);
        OutcomeJsonl.Write(Path.Combine(_dir, "train.jsonl"), rows.Take(300));
        OutcomeJsonl.Write(Path.Combine(_dir, "test.jsonl"), rows.Skip(300));

        var (code, output, err) = await RunAsync(_dir, "simulate", "--train", "train.jsonl", "--test", "test.jsonl", "--weak", "local", "--strong", "backup", "--json", "m.json", "--png", "", "--no-embeddings");

        Assert.True(code == 0, err + output);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "m.json")));
        var run = json.RootElement.GetProperty("runs")[0];
        Assert.Equal(100, run.GetProperty("test_prompts").GetInt32());
        Assert.True(json.RootElement.GetProperty("test_fraction").ValueKind == JsonValueKind.Null);
        var learned = run.GetProperty("routers").GetProperty("learned").GetProperty("apgr").GetDouble();
        var random = run.GetProperty("routers").GetProperty("random").GetProperty("apgr").GetDouble();
        Assert.True(learned > random + 0.2, $"learned {learned}, random {random}");
        Assert.False(File.Exists(Path.Combine(_dir, "simulate.png")));
    }

    [Theory]
    [InlineData(new[] { "simulate" }, "Give --outcomes FILE")]
    [InlineData(new[] { "simulate", "--outcomes", "missing.jsonl" }, "missing.jsonl")]
    [InlineData(new[] { "simulate", "--outcomes", "o.jsonl", "--weak", "nobody" }, "'nobody' has no outcomes")]
    [InlineData(new[] { "simulate", "--outcomes", "o.jsonl", "--test-fraction", "1.5" }, "--test-fraction must be between 0 and 1")]
    [InlineData(new[] { "train-router", "--outcomes", "o.jsonl", "--models", "local" }, "at least two models")]
    public async Task BadArguments_ExitTwoWithOneClearLine(string[] args, string expected)
    {
        OutcomeJsonl.Write(Path.Combine(_dir, "o.jsonl"), SyntheticOutcomes.Create(50));
        var (code, _, err) = await RunAsync(_dir, args);
        Assert.Equal(2, code);
        Assert.Contains(expected, err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TrainRouter_CrossValidatesLearners_WritesALearnedRouter_AndPrintsTheTables()
    {
        OutcomeJsonl.Write(Path.Combine(_dir, "o.jsonl"), SyntheticOutcomes.Create(200));
        var (code, output, err) = await RunAsync(_dir, "train-router", "--outcomes", "o.jsonl", "--weak", "local", "--strong", "backup", "--out", "router.json", "--folds", "3");

        Assert.True(code == 0, err + output);
        foreach (var learner in new[] { "length", "knn", "cluster", "logistic", "random", "oracle" })
        {
            Assert.Contains(learner, output, StringComparison.Ordinal);
        }

        Assert.Contains("3-fold grouped cross-validation", output, StringComparison.Ordinal);
        Assert.Contains("strong_share 0.5", output, StringComparison.Ordinal);
        Assert.Contains("pgr 0.95", output, StringComparison.Ordinal);
        Assert.Contains("cross-validating 4 learners for local vs backup", err, StringComparison.Ordinal);
        var router = LearnedRouterModel.Load(Path.Combine(_dir, "router.json"));
        Assert.Equal(["local", "backup"], router.Models);
        Assert.Equal(200, router.Calibration.InputTokens.Count);
        Assert.Equal(4, router.Pairs[0].Selection.Table.Count);
        Assert.Contains($"chose {router.Pairs[0].Selection.Chosen}", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TrainRouter_MaxTokens_IsRecordedForServe_AndOutOfRangeIsOneLine()
    {
        OutcomeJsonl.Write(Path.Combine(_dir, "o.jsonl"), SyntheticOutcomes.Create(100));
        var (code, output, err) = await RunAsync(_dir, "train-router", "--outcomes", "o.jsonl", "--out", "router.json", "--max-tokens", "128", "--folds", "2");

        Assert.True(code == 0, err + output);
        var router = LearnedRouterModel.Load(Path.Combine(_dir, "router.json"));
        Assert.True(router.Embedder is null || router.Embedder.MaxTokens == 128, $"embedder {router.Embedder}");

        var (bad, _, badErr) = await RunAsync(_dir, "train-router", "--outcomes", "o.jsonl", "--max-tokens", "1000");
        Assert.Equal(2, bad);
        Assert.Equal("--max-tokens must be between 2 and 512 (the model's positions).", badErr.Trim());
    }

    [Fact]
    public async Task EmbeddingCache_IsReusedAndKeepsEarlierRunsEntries()
    {
        OutcomeJsonl.Write(Path.Combine(_dir, "a.jsonl"), SyntheticOutcomes.Create(60));
        OutcomeJsonl.Write(Path.Combine(_dir, "b.jsonl"), [.. SyntheticOutcomes.Create(60, seed: 9).Select((r, i) => r with { Id = $"b{i}", Messages = [new Microsoft.Extensions.AI.ChatMessage(Microsoft.Extensions.AI.ChatRole.User, $"Other task {i}: {r.Prompt}")] })]);

        var (code, output, err) = await RunAsync(_dir, "simulate", "--outcomes", "a.jsonl", "--weak", "local", "--strong", "backup", "--png", "", "--embedding-cache", "emb.bin");
        Assert.True(code == 0, err + output);
        var afterA = new FileInfo(Path.Combine(_dir, "emb.bin")).Length;

        (code, output, err) = await RunAsync(_dir, "simulate", "--outcomes", "b.jsonl", "--weak", "local", "--strong", "backup", "--png", "", "--embedding-cache", "emb.bin");
        Assert.True(code == 0, err + output);
        Assert.True(new FileInfo(Path.Combine(_dir, "emb.bin")).Length > afterA, "the second run's prompts are added to the first run's, not written over them");

        (code, output, err) = await RunAsync(_dir, "simulate", "--outcomes", "a.jsonl", "--weak", "local", "--strong", "backup", "--png", "", "--embedding-cache", "emb.bin");
        Assert.True(code == 0, err + output);
        Assert.Contains("embedding cache: ", output, StringComparison.Ordinal);
        Assert.Contains(" embeddings read from emb.bin", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TrainRouter_NoEmbeddings_ShipsTheLengthBaseline()
    {
        OutcomeJsonl.Write(Path.Combine(_dir, "o.jsonl"), SyntheticOutcomes.Create(100));
        var (code, output, err) = await RunAsync(_dir, "train-router", "--outcomes", "o.jsonl", "--out", "router.json", "--no-embeddings");

        Assert.True(code == 0, err + output);
        var router = LearnedRouterModel.Load(Path.Combine(_dir, "router.json"));
        Assert.Equal("length", router.Pairs[0].Selection.Chosen);
        Assert.False(router.NeedsEmbeddings);
        Assert.Null(router.Embedder);
    }

    [Fact]
    public async Task TrainRouter_Ngram_WritesTheHashedNgramRouter()
    {
        OutcomeJsonl.Write(Path.Combine(_dir, "o.jsonl"), SyntheticOutcomes.Create(200));
        var (code, output, err) = await RunAsync(_dir, "train-router", "--outcomes", "o.jsonl", "--weak", "local", "--strong", "backup", "--out", "router.json", "--ngram");

        Assert.True(code == 0, err + output);
        Assert.Contains("pgr 0.95", output, StringComparison.Ordinal);
        var router = DifficultyRouterModel.Load(Path.Combine(_dir, "router.json"));
        Assert.Equal(200, router.Pairs[0].Examples);
        Assert.Equal("backup", router.Pairs[0].Strong);
    }
}
