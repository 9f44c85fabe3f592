using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchyard.Evaluation;
using Switchyard.Tests.Infrastructure;
using Switchyard.Tests.Routing.Difficulty;

namespace Switchyard.Tests.Cli;

/// <summary><c>simulate</c> on several sources at once, with leave-group-out splits, and across tasks with renamed models.</summary>
public sealed class SimulateMixedAndCrossTaskTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("simulate-mixed-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private Task<(int Code, string Out, string Err)> RunAsync(params string[] args) => CliRunner.RunAsync(_dir, [.. args, "--no-embeddings", "--png", ""]);

    private static List<OutcomeRecord> Task(string prefix, int count, string weak = SyntheticOutcomes.Weak, string strong = SyntheticOutcomes.Strong, int seed = 7) =>
        [.. SyntheticOutcomes.Create(count, seed).Select((r, i) => new OutcomeRecord(
            $"{prefix}{i}",
            [new ChatMessage(ChatRole.User, $"[{prefix}] {r.Prompt}")],
            new Dictionary<string, ModelOutcome> { [weak] = r.Outcomes[SyntheticOutcomes.Weak], [strong] = r.Outcomes[SyntheticOutcomes.Strong] })
        {
            Group = $"{prefix}-{i % 4}",
        })];

    [Fact]
    public async Task SeveralSources_AreMixed_IdsKeepTheirSource()
    {
        OutcomeJsonl.Write(Path.Combine(_dir, "a.jsonl"), Task("a", 120));
        OutcomeJsonl.Write(Path.Combine(_dir, "b.jsonl"), Task("b", 120, seed: 8));

        var (code, output, err) = await RunAsync("simulate", "--outcomes", "a.jsonl,b.jsonl", "--json", "m.json");

        Assert.True(code == 0, err + output);
        Assert.Contains("a.jsonl + b.jsonl", output, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "m.json")));
        var predictions = json.RootElement.GetProperty("runs")[0].GetProperty("predictions").EnumerateArray().ToList();
        Assert.Equal(72, predictions.Count);
        Assert.Contains(predictions, p => p.GetProperty("id").GetString()!.StartsWith("a.jsonl:a", StringComparison.Ordinal));
        Assert.Contains(predictions, p => p.GetProperty("id").GetString()!.StartsWith("b.jsonl:b", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GroupBySource_HoldsOutAWholeTask()
    {
        OutcomeJsonl.Write(Path.Combine(_dir, "a.jsonl"), Task("a", 100));
        OutcomeJsonl.Write(Path.Combine(_dir, "b.jsonl"), Task("b", 100, seed: 8));

        var (code, output, err) = await RunAsync("simulate", "--outcomes", "a.jsonl,b.jsonl", "--group-by", "source", "--test-fraction", "0.5", "--json", "m.json");

        Assert.True(code == 0, err + output);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "m.json")));
        var run = json.RootElement.GetProperty("runs")[0];
        Assert.Equal(100, run.GetProperty("test_prompts").GetInt32());
        var sources = run.GetProperty("predictions").EnumerateArray().Select(p => p.GetProperty("id").GetString()![..1]).Distinct().ToList();
        Assert.Single(sources);
    }

    [Fact]
    public async Task GroupByGroup_NoPromptOfATestGroupIsTrainedOn()
    {
        OutcomeJsonl.Write(Path.Combine(_dir, "a.jsonl"), Task("a", 200));

        var (code, output, err) = await RunAsync("simulate", "--outcomes", "a.jsonl", "--group-by", "group", "--test-fraction", "0.25", "--json", "m.json");

        Assert.True(code == 0, err + output);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "m.json")));
        var groups = json.RootElement.GetProperty("runs")[0].GetProperty("predictions").EnumerateArray().Select(p => p.GetProperty("group").GetString()).Distinct().ToList();
        Assert.Single(groups);
        Assert.Equal(50, json.RootElement.GetProperty("runs")[0].GetProperty("test_prompts").GetInt32());
    }

    [Fact]
    public async Task CrossTask_MapRenamesTheTestModels()
    {
        OutcomeJsonl.Write(Path.Combine(_dir, "train.jsonl"), Task("t", 150));
        OutcomeJsonl.Write(Path.Combine(_dir, "test.jsonl"), Task("u", 80, weak: "small-v2", strong: "large-v2", seed: 9));

        var (code, output, err) = await RunAsync("simulate", "--train", "train.jsonl", "--test", "test.jsonl", "--map", "local=small-v2,backup=large-v2", "--weak", "local", "--strong", "backup");

        Assert.True(code == 0, err + output);
        Assert.Contains("80 held-out prompts", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--train", "train.jsonl", "--test", "test.jsonl", "--map", "local" }, "--map 'local': 'local' is not NAME=OTHER")]
    [InlineData(new[] { "--train", "train.jsonl", "--test", "test.jsonl", "--map", "local=nobody" }, "--map: no source has a model 'nobody'")]
    [InlineData(new[] { "--outcomes", "train.jsonl", "--map", "local=nobody" }, "--map: no source has a model 'nobody'")]
    [InlineData(new[] { "--outcomes", "train.jsonl", "--group-by", "colour" }, "--group-by 'colour': give 'group'")]
    [InlineData(new[] { "--outcomes", "train.jsonl", "--group-by", "source" }, "has fewer than two sources")]
    public async Task BadMixingOptions_OneLineExitTwo(string[] options, string expected)
    {
        OutcomeJsonl.Write(Path.Combine(_dir, "train.jsonl"), Task("t", 60));
        OutcomeJsonl.Write(Path.Combine(_dir, "test.jsonl"), Task("u", 60));

        var (code, _, err) = await RunAsync(["simulate", .. options]);

        Assert.Equal(2, code);
        var line = Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    /// <summary>Three models on synthetic prompts: local is right on easy prompts only, mid on most, backup on all.</summary>
    private static List<OutcomeRecord> ThreeModels(int count) =>
        [.. SyntheticOutcomes.Create(count).Select((r, i) => r with
        {
            Outcomes = new Dictionary<string, ModelOutcome>
            {
                ["local"] = r.Outcomes[SyntheticOutcomes.Weak],
                ["mid"] = new(SyntheticOutcomes.IsHard(r.Prompt) && i % 2 == 0 ? 0 : 1),
                ["backup"] = r.Outcomes[SyntheticOutcomes.Strong],
            },
        })];

    [Fact]
    public async Task Models_ComparesTheRouterWithEverySingleModel()
    {
        OutcomeJsonl.Write(Path.Combine(_dir, "o.jsonl"), ThreeModels(300));

        var (code, output, err) = await RunAsync("simulate", "--outcomes", "o.jsonl", "--models", "local,mid,backup", "--prices", "local=0.1/0.1,mid=1/2,backup=5/15", "--seeds", "1-2", "--json", "n.json");

        Assert.True(code == 0, err + output);
        foreach (var row in new[] { "learned", "length", "random", "oracle", "local", "mid", "backup" })
        {
            Assert.Contains(row, output, StringComparison.Ordinal);
        }

        Assert.Contains("seeds 1,2", output, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "n.json")));
        var runs = json.RootElement.GetProperty("runs");
        Assert.Equal(2, runs.GetArrayLength());
        Assert.Equal(["local", "mid", "backup"], runs[0].GetProperty("models").EnumerateArray().Select(m => m.GetString()));
    }

    [Theory]
    [InlineData(new[] { "--models", "local,mid,backup" }, "records no costs; give --prices for local, mid, backup")]
    [InlineData(new[] { "--models", "local,nobody", "--prices", "local=1" }, "--models: no outcomes for 'nobody'")]
    [InlineData(new[] { "--models", "local", "--prices", "local=1" }, "at least two different models")]
    [InlineData(new[] { "--models", "local,backup", "--prices", "local=cheap" }, "--prices: 'local=cheap' is not MODEL=INPUT/OUTPUT")]
    [InlineData(new[] { "--models", "local,backup", "--weak", "local" }, "do not give --weak, --strong or --save-router")]
    [InlineData(new[] { "--prices", "local=1" }, "give --models too")]
    public async Task Models_BadOptions_OneLineExitTwo(string[] options, string expected)
    {
        OutcomeJsonl.Write(Path.Combine(_dir, "o.jsonl"), ThreeModels(60));

        var (code, _, err) = await RunAsync(["simulate", "--outcomes", "o.jsonl", .. options]);

        Assert.Equal(2, code);
        var line = Assert.Single(err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }
}
