using Switchyard.Evaluation;
using Switchyard.Routing.Learners.Verification;
using Switchyard.Tests.Gateway;
using Switchyard.Tests.Infrastructure;
using Switchyard.Tests.Routing.Difficulty;

namespace Switchyard.Tests.Cli;

/// <summary><c>switchyard train-verifier</c> run as the real executable (answer features only: each run takes seconds).</summary>
public sealed class TrainVerifierCommandTests : IDisposable
{
    private const string RouteLlmWeak = "mistralai/Mixtral-8x7B-Instruct-v0.1";

    private readonly string _dir = Directory.CreateTempSubdirectory("train-verifier-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private Task<(int Code, string Out, string Err)> RunAsync(params string[] args) => CliRunner.RunAsync(_dir, ["train-verifier", .. args]);

    /// <summary>The cells of the table row whose first cell is <paramref name="name"/>.</summary>
    private static string[] Row(string output, string name) =>
        output.Split('\n').Select(l => l.Split('│', StringSplitOptions.TrimEntries)).Single(c => c.Length > 2 && c[1] == name)[1..^1];

    [Fact]
    public async Task RouteLlmGsm8k_NoEmbeddings_WritesTheVerifierInANewFolder_AndPrintsTheCascadeTable()
    {
        var data = Path.Combine(RepoPaths.Root, "data", "routellm-evals", "gsm8k");

        var (code, output, err) = await RunAsync("--outcomes", data, "--no-embeddings", "--out", Path.Combine("sub", "dir", "verifier.json"));

        Assert.True(code == 0, err + output);
        var model = VerifierModelJson.Load(Path.Combine(_dir, "sub", "dir", "verifier.json"));
        Assert.Equal(RouteLlmWeak, model.Weak);
        Assert.Equal(0, model.EmbeddingDimensions);
        Assert.Equal(1307, model.Calibration.Count);

        Assert.Contains("1307 of 1307 prompts have outcomes of both models and the answer of " + RouteLlmWeak, output, StringComparison.Ordinal);
        Assert.Contains("cross-validating cascades (5 folds, seed 1)", output, StringComparison.Ordinal);
        foreach (var header in new[] { "pays cheap call", "APGR", "CPT(50%)", "AIQ (cost)", "cost at CPT(50%)" })
        {
            Assert.Contains(header, output, StringComparison.Ordinal);
        }

        var learned = Row(output, "learned");
        Assert.Equal("yes", learned[1]);
        Assert.Equal("no", Row(output, "prompt-length")[1]);
        var apgr = double.Parse(learned[2], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(apgr > double.Parse(Row(output, "random")[2], System.Globalization.CultureInfo.InvariantCulture) + 0.1, output);
        Assert.True(apgr > double.Parse(Row(output, "answer-length")[2], System.Globalization.CultureInfo.InvariantCulture), output);
        Assert.True(apgr < double.Parse(Row(output, "oracle")[2], System.Globalization.CultureInfo.InvariantCulture), output);

        foreach (var target in new[] { "strong_share 0.2", "strong_share 0.5", "pgr 0.8", "pgr 0.95" })
        {
            Assert.Contains("│ " + target + " ", output, StringComparison.Ordinal);
        }

        Assert.Contains("verifier written to " + Path.Combine(_dir, "sub", "dir", "verifier.json"), output, StringComparison.Ordinal);
        Assert.Equal(string.Empty, err);
    }

    [Fact]
    public async Task OurJsonl_WithResponses_TrainsUnderTheDataModelNames()
    {
        WriteOutcomes(WithAnswers(LearnedCascadeTests.Examples(80), "small", "large"));

        var (code, output, err) = await RunAsync("--outcomes", "o.jsonl", "--weak", "small", "--strong", "large", "--no-embeddings", "--folds", "4", "--seed", "3");

        Assert.True(code == 0, err + output);
        var model = VerifierModelJson.Load(Path.Combine(_dir, "verifier.json"));
        Assert.Equal(("small", "large", 80), (model.Weak, model.Strong, model.Calibration.Count));
        Assert.Contains("cross-validating cascades (4 folds, seed 3)", output, StringComparison.Ordinal);
        Assert.Contains("relative (weak call 1, strong call 10", output, StringComparison.Ordinal);
    }

    private void WriteOutcomes(IEnumerable<OutcomeRecord> rows) => OutcomeJsonl.Write(Path.Combine(_dir, "o.jsonl"), rows);

    /// <summary>The examples as outcome records of <paramref name="weak"/> (with its answer) and <paramref name="strong"/>.</summary>
    private static IEnumerable<OutcomeRecord> WithAnswers(IEnumerable<VerifierExample> examples, string weak, string strong) =>
        examples.Select(e => new OutcomeRecord(e.Id, e.Messages, new Dictionary<string, ModelOutcome>
        {
            [weak] = new(e.WeakScore) { Response = e.Answer },
            [strong] = new(e.StrongScore) { Response = "#### 1" },
        }));

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
    public async Task OutcomesWithoutAnswers_OneLineExit2()
    {
        WriteOutcomes(SyntheticOutcomes.Create(40));

        var line = AssertBadInput(await RunAsync("--outcomes", "o.jsonl", "--no-embeddings"));

        Assert.Equal("No outcome of 'local' in o.jsonl carries its answer text (\"response\"): the learned verifier reads the cheap model's answers (RouteLLM's gsm8k has them, mmlu does not; 'switchyard eval' records them).", line);
        Assert.False(File.Exists(Path.Combine(_dir, "verifier.json")));
    }

    [Fact]
    public async Task RouteLlmMmlu_HasNoAnswers_OneLineExit2()
    {
        var mmlu = Path.Combine(RepoPaths.Root, "data", "routellm-evals", "mmlu");

        var line = AssertBadInput(await RunAsync("--outcomes", mmlu, "--no-embeddings"));

        Assert.Contains("carries its answer text", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TooFewAnswersForTheFolds_OneLineExit2()
    {
        var rows = SyntheticOutcomes.Create(40).Select((r, i) => i < 3
            ? r with { Outcomes = r.Outcomes.ToDictionary(o => o.Key, o => o.Key == SyntheticOutcomes.Weak ? o.Value with { Response = "#### 4" } : o.Value) }
            : r);
        WriteOutcomes(rows);

        var line = AssertBadInput(await RunAsync("--outcomes", "o.jsonl", "--no-embeddings"));

        Assert.Equal("3 prompts with answers of 'local': 3 groups of prompts cannot fill 5 folds.", line);
        Assert.False(File.Exists(Path.Combine(_dir, "verifier.json")));
    }

    [Theory]
    [InlineData(new[] { "--outcomes", "missing.jsonl" }, "missing.jsonl")]
    [InlineData(new[] { "--outcomes", "o.jsonl", "--weak", "nobody" }, "'nobody' has no outcomes")]
    [InlineData(new[] { "--outcomes", "o.jsonl", "--folds", "1" }, "--folds: must be from 2 to 20, not 1.")]
    [InlineData(new[] { "--outcomes", "o.jsonl", "--out", "" }, "--out needs a file name.")]
    [InlineData(new[] { "--outcomes", "o.jsonl", "--out", "." }, "--out: '")]
    public async Task BadArguments_OneLineExit2(string[] args, string expected)
    {
        WriteOutcomes(WithAnswers(LearnedCascadeTests.Examples(20), "local", "backup"));

        var line = AssertBadInput(await RunAsync([.. args, "--no-embeddings"]));

        Assert.Contains(expected, line, StringComparison.Ordinal);
    }
}
