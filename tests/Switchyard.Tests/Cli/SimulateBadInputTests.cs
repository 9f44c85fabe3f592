using Microsoft.Extensions.AI;
using Switchyard.Evaluation;
using Switchyard.Tests.Infrastructure;
using Switchyard.Tests.Routing.Difficulty;

namespace Switchyard.Tests.Cli;

/// <summary>
/// Every bad input to <c>switchyard simulate</c> (and <c>train-router</c>) is one line on stderr and exit code 2, never
/// a stack trace or .NET's "(Parameter 'x')" suffix; run as the real executable.
/// </summary>
public sealed class SimulateBadInputTests : IDisposable
{
    private const string Weak = SyntheticOutcomes.Weak;
    private const string Strong = SyntheticOutcomes.Strong;

    private readonly string _dir = Directory.CreateTempSubdirectory("simulate-bad-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    // The learned router's cross-validation over sentence embeddings is exercised in SimulateCommandTests and
    // MixedTrafficTests; here the simulations compare the length-only learner, so each run takes a second, not twenty.
    private Task<(int Code, string Out, string Err)> RunAsync(params string[] args) =>
        CliRunner.RunAsync(_dir, args is ["simulate", ..] ? [.. args, "--no-embeddings"] : args);

    private string Write(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>simulate on o.jsonl writing <paramref name="option"/> to <paramref name="path"/> (and no chart unless that is the option).</summary>
    private static string[] WithOutput(string option, string path) =>
        option == "--png" ? ["simulate", "--outcomes", "o.jsonl", option, path] : ["simulate", "--outcomes", "o.jsonl", "--png", "", option, path];

    private void WriteOutcomes(string name, IEnumerable<OutcomeRecord> rows) => OutcomeJsonl.Write(Path.Combine(_dir, name), rows);

    /// <summary>Exit 2 and exactly one line on stderr, with no stack trace and no .NET parameter suffix.</summary>
    private static string AssertBadInput((int Code, string Out, string Err) result)
    {
        var (code, output, err) = result;
        Assert.True(code == 2, $"exit {code}\nstdout: {output}\nstderr: {err}");
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length == 1, "expected one line on stderr, got:\n" + err);
        Assert.DoesNotContain("(Parameter '", err, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
        return lines[0];
    }

    [Fact]
    public async Task MalformedJsonLine_NamesFileLineAndProblem()
    {
        WriteOutcomes("o.jsonl", SyntheticOutcomes.Create(3));
        File.AppendAllText(Path.Combine(_dir, "o.jsonl"), "{\"id\":\"x\",\"prompt\":\"p\",\"outcomes\":{\"local\":{\"score\":1}\n");

        var line = AssertBadInput(await RunAsync("simulate", "--outcomes", "o.jsonl"));

        Assert.StartsWith("o.jsonl:4: invalid JSON", line, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber: 0", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("-0.2")]
    public async Task ScoreOutsideZeroToOne_NamesFileLineModelAndScore(string score)
    {
        Write(
            "o.jsonl",
            "{\"id\":\"a\",\"prompt\":\"first\",\"outcomes\":{\"local\":{\"score\":0},\"backup\":{\"score\":1}}}\n"
            + "{\"id\":\"b\",\"prompt\":\"second\",\"outcomes\":{\"local\":{\"score\":" + score + "},\"backup\":{\"score\":1}}}\n");

        var line = AssertBadInput(await RunAsync("simulate", "--outcomes", "o.jsonl"));

        Assert.Equal($"o.jsonl:2: record 'b', model 'local': 'score' is {score}; scores must be between 0 and 1", line);
    }

    [Fact]
    public async Task TrainRouter_MalformedFile_IsOneLineToo()
    {
        Write("o.jsonl", "{\"id\":\"a\",\"prompt\":\"p\",\"outcomes\":{\"local\":{\"score\":2}}}\n");
        var line = AssertBadInput(await RunAsync("train-router", "--outcomes", "o.jsonl"));
        Assert.StartsWith("o.jsonl:1: ", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OneModel_SaysTwoModelsAreNeeded()
    {
        WriteOutcomes("o.jsonl", SyntheticOutcomes.Create(40).Select(r => r with { Outcomes = new Dictionary<string, ModelOutcome> { [Weak] = r.Outcomes[Weak] } }));

        var line = AssertBadInput(await RunAsync("simulate", "--outcomes", "o.jsonl"));

        Assert.Contains("only one model ('local')", line, StringComparison.Ordinal);
        Assert.Contains("two models", line, StringComparison.Ordinal);
        Assert.Contains("--weak", line, StringComparison.Ordinal);
        Assert.Contains("--strong", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ThreeModelsUnnamed_AsksToNameThem()
    {
        WriteOutcomes("o.jsonl", SyntheticOutcomes.Create(40).Select(r => r with { Outcomes = new Dictionary<string, ModelOutcome>(r.Outcomes) { ["third"] = new(0.5) } }));

        var line = AssertBadInput(await RunAsync("simulate", "--outcomes", "o.jsonl"));

        Assert.Contains("3 models (local, backup, third)", line, StringComparison.Ordinal);
        Assert.Contains("name the two to compare with --weak and --strong", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WeakAndStrongSwapped_SaysSoAndHowToFixIt()
    {
        WriteOutcomes("o.jsonl", SyntheticOutcomes.Create(60));

        var line = AssertBadInput(await RunAsync("simulate", "--outcomes", "o.jsonl", "--weak", Strong, "--strong", Weak));

        Assert.Contains("--weak 'backup' scores higher than --strong 'local'", line, StringComparison.Ordinal);
        Assert.Contains("swapped", line, StringComparison.Ordinal);
        Assert.Contains("Try --weak local --strong backup.", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WeakAndStrongSwapped_WithCosts_SaysTheWeakCostsMoreToo()
    {
        WriteOutcomes("o.jsonl", SyntheticOutcomes.Create(60).Select(r => r with
        {
            Outcomes = new Dictionary<string, ModelOutcome>
            {
                [Weak] = r.Outcomes[Weak] with { Cost = 0.0001m },
                [Strong] = r.Outcomes[Strong] with { Cost = 0.01m },
            },
        }));

        var line = AssertBadInput(await RunAsync("simulate", "--outcomes", "o.jsonl", "--weak", Strong, "--strong", Weak));

        Assert.Contains("swapped", line, StringComparison.Ordinal);
        Assert.Contains("it costs more too", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TrainRouter_SwappedPair_IsRefusedToo()
    {
        WriteOutcomes("o.jsonl", SyntheticOutcomes.Create(60));
        var line = AssertBadInput(await RunAsync("train-router", "--outcomes", "o.jsonl", "--weak", Strong, "--strong", Weak));
        Assert.Contains("swapped", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LeakGuardEmptiedTraining_SaysThatIsWhy()
    {
        var rows = SyntheticOutcomes.Create(100);
        WriteOutcomes("test.jsonl", rows);
        WriteOutcomes("train.jsonl", rows.Take(60).Select(r => r with { Id = "copy/" + r.Id }));

        var line = AssertBadInput(await RunAsync("simulate", "--train", "train.jsonl", "--test", "test.jsonl", "--weak", Weak, "--strong", Strong, "--png", ""));

        Assert.StartsWith("The leak guard emptied the training set:", line, StringComparison.Ordinal);
        Assert.Contains("60 training prompts", line, StringComparison.Ordinal);
        Assert.Contains("60 of them are also in the test set", line, StringComparison.Ordinal);
        Assert.Contains("never on both sides", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TooFewTrainingPrompts_IsOneLineWithoutParameterSuffix()
    {
        WriteOutcomes("train.jsonl", SyntheticOutcomes.Create(6));
        WriteOutcomes("test.jsonl", SyntheticOutcomes.Create(40).Skip(20));

        var line = AssertBadInput(await RunAsync("simulate", "--train", "train.jsonl", "--test", "test.jsonl", "--weak", Weak, "--strong", Strong, "--png", ""));

        Assert.Equal("Too few training prompts: 6 have outcomes for both 'local' and 'backup'; training needs at least 10.", line);
    }

    [Fact]
    public async Task UnknownModel_ListsTheModelsAndSuggestsTheClosest()
    {
        WriteOutcomes("o.jsonl", SyntheticOutcomes.Create(40).Select(r => r with
        {
            Outcomes = new Dictionary<string, ModelOutcome> { ["Meta-Llama-3.1-8B-Instruct"] = r.Outcomes[Weak], ["gpt-4o-2024-08-06"] = r.Outcomes[Strong] },
        }));

        var line = AssertBadInput(await RunAsync("simulate", "--outcomes", "o.jsonl", "--weak", "Llama-3.1-8B-Instruct", "--strong", "gpt-4o-2024-08-06"));

        Assert.Equal("'Llama-3.1-8B-Instruct' has no outcomes in o.jsonl (models: Meta-Llama-3.1-8B-Instruct, gpt-4o-2024-08-06); did you mean 'Meta-Llama-3.1-8B-Instruct'?", line);
    }

    [Theory]
    [InlineData("--seeds", "5-1", "runs backwards")]
    [InlineData("--seeds", "1-x", "is not a seed")]
    [InlineData("--seeds", "", "is not a seed")]
    [InlineData("--seeds", "1-5000", "at most 1000 seeds")]
    [InlineData("--test-fraction", "1.5", "--test-fraction must be between 0 and 1")]
    public async Task BadOptionValues_AreOneLine(string option, string value, string expected)
    {
        WriteOutcomes("o.jsonl", SyntheticOutcomes.Create(40));
        var line = AssertBadInput(await RunAsync("simulate", "--outcomes", "o.jsonl", option, value));
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SeedAndSeeds_Together_AreRefused()
    {
        WriteOutcomes("o.jsonl", SyntheticOutcomes.Create(40));
        var line = AssertBadInput(await RunAsync("simulate", "--outcomes", "o.jsonl", "--seed", "2", "--seeds", "1-3"));
        Assert.Equal("Give --seed N or --seeds LIST, not both.", line);
    }

    [Theory]
    [InlineData("simulate", "--outcomes", "missing.jsonl", "--outcomes: Could not find file")]
    [InlineData("simulate", "--outcomes", ".", "is a directory but not one of RouteLLM's benchmark folders")]
    [InlineData("simulate", "--outcomes", "", "Give --outcomes FILE")]
    [InlineData("train-router", "--outcomes", "", "Give --outcomes FILE")]
    [InlineData("train-router", "--outcomes", "missing.jsonl", "--outcomes: Could not find file")]
    public async Task MissingOrEmptySources_AreOneLine(string command, string option, string value, string expected)
    {
        var line = AssertBadInput(await RunAsync(command, option, value));
        Assert.Contains(expected, line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--json")]
    [InlineData("--png")]
    [InlineData("--save-router")]
    public async Task OutputIntoAMissingFolder_CreatesTheFolder(string option)
    {
        WriteOutcomes("o.jsonl", SyntheticOutcomes.Create(100));
        var (code, output, err) = await RunAsync(WithOutput(option, Path.Combine("new", "deeper", "out.file")));

        Assert.True(code == 0, err + output);
        Assert.True(File.Exists(Path.Combine(_dir, "new", "deeper", "out.file")));
    }

    [Theory]
    [InlineData("--json")]
    [InlineData("--png")]
    [InlineData("--save-router")]
    public async Task OutputWhoseFolderCannotBeCreated_IsOneLineBeforeAnyWork(string option)
    {
        WriteOutcomes("o.jsonl", SyntheticOutcomes.Create(100));
        Write("blocker", "a file where a folder would go");

        var line = AssertBadInput(await RunAsync(WithOutput(option, Path.Combine("blocker", "out.file"))));

        Assert.StartsWith($"{option}: cannot create the folder of ", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--json")]
    [InlineData("--png")]
    [InlineData("--save-router")]
    public async Task OutputThatIsAFolder_IsOneLine(string option)
    {
        WriteOutcomes("o.jsonl", SyntheticOutcomes.Create(100));
        Directory.CreateDirectory(Path.Combine(_dir, "folder"));

        var line = AssertBadInput(await RunAsync(WithOutput(option, "folder")));

        Assert.EndsWith("is a folder; give a file name.", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TrainRouter_OutIntoAMissingFolder_CreatesTheFolder()
    {
        WriteOutcomes("o.jsonl", SyntheticOutcomes.Create(100));
        var (code, output, err) = await RunAsync("train-router", "--outcomes", "o.jsonl", "--out", Path.Combine("routers", "r.json"));
        Assert.True(code == 0, err + output);
        Assert.True(File.Exists(Path.Combine(_dir, "routers", "r.json")));
    }

    [Fact]
    public async Task SmallQualityGap_WarnsInOneLine_AndStillSucceeds()
    {
        // The weak model fails one prompt in 40: a gap of 2.5 points.
        var rows = Enumerable.Range(0, 400).Select(i => new OutcomeRecord(
            $"r{i}",
            [new ChatMessage(ChatRole.User, i % 40 == 0 ? SyntheticOutcomes.HardPrompt(i) : SyntheticOutcomes.EasyPrompt(i))],
            new Dictionary<string, ModelOutcome> { [Weak] = new(i % 40 == 0 ? 0 : 1), [Strong] = new(1) }));
        WriteOutcomes("o.jsonl", rows);

        var (code, output, err) = await RunAsync("simulate", "--outcomes", "o.jsonl", "--weak", Weak, "--strong", Strong, "--png", "");

        Assert.True(code == 0, err + output);
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var warning = Assert.Single(lines);
        Assert.StartsWith("warning: the strong–weak gap in mean quality on the test set is under 5 points", warning, StringComparison.Ordinal);
        Assert.Contains("mostly noise", warning, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LargeQualityGap_NoWarning()
    {
        WriteOutcomes("o.jsonl", SyntheticOutcomes.Create(200));
        var (code, output, err) = await RunAsync("simulate", "--outcomes", "o.jsonl", "--weak", Weak, "--strong", Strong, "--png", "");
        Assert.True(code == 0, err + output);
        Assert.Equal(string.Empty, err.Trim());
    }
}
