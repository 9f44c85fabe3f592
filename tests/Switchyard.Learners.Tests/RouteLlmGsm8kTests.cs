using Switchyard.Evaluation;
using Switchyard.Evaluation.RouteLlm;
using Switchyard.Routing.Learners;
using Xunit.Abstractions;

namespace Switchyard.Learners.Tests;

/// <summary>
/// The learners cross-validated on RouteLLM's published GSM8K outcomes (Mixtral-8x7B vs GPT-4, 1,307 prompts) with
/// real MiniLM embeddings. Only what must hold is asserted; the table is printed.
/// </summary>
[Collection(SharedEmbedder.Name)]
public sealed class RouteLlmGsm8kTests(EmbedderFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public void Learner_selection_on_gsm8k_never_chooses_below_the_length_baseline()
    {
        var set = RouteLlmReader.ReadGsm8k(Path.Combine(RepoRoot(), "data", "routellm-evals", "gsm8k"));

        var result = LearnerEvaluation.Run(set, RouteLlmReader.WeakModel, RouteLlmReader.StrongModel, fixture.Embedder);
        output.WriteLine(result.FormatTable());

        Assert.Equal(1_307, result.Prompts);
        Assert.Equal(["length", "knn", "cluster", "logistic"], result.Table.Select(r => r.Learner));
        Assert.All(result.Table, r => Assert.InRange(r.Apgr, 0, 1));
        Assert.All(result.Table, r => Assert.InRange(r.Brier, 0, 1));
        Assert.True(result.ChosenRow.Apgr >= result.Table[0].Apgr - 0.000001, result.Reason);
        Assert.Equal(result.Chosen == "length", result.FellBackToBaseline);
    }

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
