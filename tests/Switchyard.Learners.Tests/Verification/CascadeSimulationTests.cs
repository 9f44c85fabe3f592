using Microsoft.Extensions.AI;
using Switchyard.Evaluation;
using Switchyard.Evaluation.RouteLlm;
using Switchyard.Routing.Learners.Verification;
using Xunit.Abstractions;

namespace Switchyard.Learners.Tests.Verification;

/// <summary>Cascade simulation on synthetic records, where the right verifier is known.</summary>
public sealed class CascadeSimulationTests
{
    [Fact]
    public void Learned_verifier_finds_the_good_answers_and_costs_include_the_cheap_call()
    {
        var records = Records(VerifierSynthetic.Examples(400, seed: 21));

        // One record without the weak answer and one without the strong outcome are left out.
        records.Add(new OutcomeRecord("no-answer", [new ChatMessage(ChatRole.User, "q")], new Dictionary<string, ModelOutcome>
        {
            [VerifierSynthetic.Weak] = new(1),
            [VerifierSynthetic.Strong] = new(1),
        }));
        records.Add(new OutcomeRecord("no-strong", [new ChatMessage(ChatRole.User, "q")], new Dictionary<string, ModelOutcome>
        {
            [VerifierSynthetic.Weak] = new(1) { Response = "#### 1" },
        }));

        var result = CascadeSimulation.Run(records, VerifierSynthetic.Weak, VerifierSynthetic.Strong, embedder: null, folds: 4, seed: 3, strongCostRatio: 20);

        Assert.Equal(400, result.Prompts);
        Assert.Equal(400, result.Predictions.Count);
        Assert.Equal("s/0", result.Predictions[0].Id);
        Assert.True(result.LearnedAuc > 0.95, result.FormatTable());
        Assert.True(result.Learned.Apgr > result.Random.Apgr + 0.2, result.FormatTable());
        Assert.True(result.Learned.Apgr <= result.Oracle.Apgr + 1e-9);
        Assert.Equal(4, result.FoldL2.Count);

        // Relative costs: the cheap call is always paid, each escalation adds 20.
        Assert.Equal("relative", result.CostUnit);
        Assert.Equal(1, result.WeakCostMean);
        Assert.Equal(20, result.StrongCostMean);
        foreach (var point in result.Learned.ByCost.Curve)
        {
            Assert.Equal(1 + (20 * point.StrongShare), point.Cost, 9);
        }

        Assert.Equal(result.Learned.ByShare.Curve.Select(p => p.Pgr), result.Learned.ByCost.Curve.Select(p => p.Pgr));
        Assert.Equal(1 + (20 * result.Learned.Cpt50), result.Learned.CostAtCpt50, 9);

        // The prompt-length router decides before calling: one call per prompt.
        Assert.False(result.PromptLength.PaysCheapCall);
        Assert.All(result.All.Where(f => f.Verifier != "prompt-length"), f => Assert.True(f.PaysCheapCall));
        foreach (var point in result.PromptLength.ByCost.Curve)
        {
            Assert.Equal(((1 - point.StrongShare) * 1) + (20 * point.StrongShare), point.Cost, 9);
        }
        Assert.Contains("learned", result.FormatTable(), StringComparison.Ordinal);
    }

    [Fact]
    public void Prompt_embeddings_are_joined_to_the_answer_features()
    {
        var records = Records(VerifierSynthetic.Examples(120, seed: 24));

        var result = CascadeSimulation.Run(records, VerifierSynthetic.Weak, VerifierSynthetic.Strong, new HashEmbedder(), folds: 3);

        Assert.Equal(8, result.EmbeddingDimensions);
        Assert.Equal(3, result.FoldEmbeddingWeight.Count);
        Assert.All(result.FoldEmbeddingWeight, w => Assert.Contains(w, VerifierTrainerSettings.DefaultEmbeddingWeights));
        Assert.True(result.LearnedAuc > 0.9, result.FormatTable());
    }

    [Fact]
    public void Recorded_costs_are_used_when_every_prompt_has_them()
    {
        var records = Records(VerifierSynthetic.Examples(60, seed: 22), weakCost: 0.001m, strongCost: 0.03m);

        var result = CascadeSimulation.Run(records, VerifierSynthetic.Weak, VerifierSynthetic.Strong, embedder: null, folds: 3);

        Assert.Equal("usd", result.CostUnit);
        Assert.Equal(0.001, result.WeakCostMean, 12);
        Assert.Equal(0.03, result.StrongCostMean, 12);
        Assert.Equal(0.031, result.Learned.ByCost.Curve[^1].Cost, 9);
        Assert.Equal(0.001, result.Learned.ByCost.Curve[0].Cost, 9);
    }

    [Fact]
    public void Too_few_prompts_for_the_folds_are_refused()
    {
        var records = Records(VerifierSynthetic.Examples(3, seed: 23));

        Assert.Throws<ArgumentException>(() => CascadeSimulation.Run(records, VerifierSynthetic.Weak, VerifierSynthetic.Strong, null, folds: 5));
        Assert.Throws<ArgumentException>(() => CascadeSimulation.Run(records, "other", VerifierSynthetic.Strong, null));
        Assert.Throws<ArgumentOutOfRangeException>(() => CascadeSimulation.Run(records, VerifierSynthetic.Weak, VerifierSynthetic.Strong, null, strongCostRatio: 0));
    }

    private static List<OutcomeRecord> Records(IEnumerable<VerifierExample> examples, decimal? weakCost = null, decimal? strongCost = null) =>
    [
        .. examples.Select(e => new OutcomeRecord(e.Id, e.Messages, new Dictionary<string, ModelOutcome>
        {
            [VerifierSynthetic.Weak] = new(e.WeakScore) { Response = e.Answer, Cost = weakCost },
            [VerifierSynthetic.Strong] = new(e.StrongScore) { Response = "#### 1", Cost = strongCost },
        })),
    ];
}

/// <summary>
/// The learned cascade verifier cross-validated on RouteLLM's published GSM8K answers (Mixtral-8x7B's answer to each
/// prompt, GPT-4 as the strong model). Figures are printed; only what must hold is asserted.
/// </summary>
public sealed class CascadeSimulationGsm8kTests(ITestOutputHelper output)
{
    [Fact]
    public void Answer_features_beat_prompt_length_and_random_on_gsm8k()
    {
        var set = Gsm8k.Read();

        var result = CascadeSimulation.Run(set.Records, RouteLlmReader.WeakModel, RouteLlmReader.StrongModel, embedder: null, folds: 5, seed: 1);
        output.WriteLine(result.FormatTable());

        Assert.Equal(set.Records.Count, result.Prompts);
        Assert.Equal(0, result.EmbeddingDimensions);
        Assert.True(result.Learned.Apgr > result.PromptLength.Apgr, result.FormatTable());
        Assert.True(result.Learned.Apgr > result.Random.Apgr, result.FormatTable());
        Assert.True(result.Learned.Apgr <= result.Oracle.Apgr);
        Assert.True(result.LearnedAuc > 0.5, result.FormatTable());
    }
}

/// <summary>The same with the prompt's all-MiniLM-L6-v2 embedding joined to the answer features.</summary>
[Collection(SharedEmbedder.Name)]
public sealed class CascadeSimulationGsm8kMiniLmTests(EmbedderFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public void Answer_features_with_prompt_embeddings_beat_random_on_gsm8k()
    {
        var set = Gsm8k.Read();

        var result = CascadeSimulation.Run(set.Records, RouteLlmReader.WeakModel, RouteLlmReader.StrongModel, fixture.Embedder, folds: 5, seed: 1);
        output.WriteLine(result.FormatTable());

        Assert.Equal(384, result.EmbeddingDimensions);
        Assert.True(result.Learned.Apgr > result.Random.Apgr, result.FormatTable());
    }
}

internal static class Gsm8k
{
    public static OutcomeSet Read() => RouteLlmReader.ReadGsm8k(Path.Combine(RepoRoot(), "data", "routellm-evals", "gsm8k"));

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Switchyard.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Could not find the repository root (Switchyard.slnx) above " + AppContext.BaseDirectory);
    }
}
