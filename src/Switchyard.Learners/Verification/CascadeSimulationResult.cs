using System.Globalization;
using System.Text;

namespace Switchyard.Routing.Learners.Verification;

/// <summary>What <see cref="CascadeSimulation.Run"/> measured: each verifier's figures and the learned verifier's out-of-fold predictions.</summary>
public sealed record CascadeSimulationResult
{
    /// <summary>The cheap model.</summary>
    public required string Weak { get; init; }

    /// <summary>The strong model.</summary>
    public required string Strong { get; init; }

    /// <summary>Prompts evaluated: those with both outcomes whose weak outcome carries its answer.</summary>
    public required int Prompts { get; init; }

    /// <summary>Outer cross-validation folds (grouped by prompt).</summary>
    public required int Folds { get; init; }

    /// <summary>The seed of the fold assignment and the random router.</summary>
    public required int Seed { get; init; }

    /// <summary>The margin of the good-enough label.</summary>
    public required double Margin { get; init; }

    /// <summary>The prompt-embedding length the learned verifier read (0: answer features only).</summary>
    public required int EmbeddingDimensions { get; init; }

    /// <summary>The weak model's mean score (PGR 0).</summary>
    public required double WeakMean { get; init; }

    /// <summary>The strong model's mean score (PGR 1).</summary>
    public required double StrongMean { get; init; }

    /// <summary>Share of prompts whose weak answer was good enough.</summary>
    public required double GoodShare { get; init; }

    /// <summary>What the cascade costs are in: <c>usd</c> (every prompt had both models' recorded cost) or <c>relative</c> (weak 1, strong <see cref="StrongCostRatio"/>).</summary>
    public required string CostUnit { get; init; }

    /// <summary>The strong call's cost relative to the weak call's, used when costs were not recorded.</summary>
    public required double StrongCostRatio { get; init; }

    /// <summary>Mean cost per prompt of the weak call (the cascade's cost when nothing escalates).</summary>
    public required double WeakCostMean { get; init; }

    /// <summary>Mean cost per prompt of the strong call (what each escalation adds).</summary>
    public required double StrongCostMean { get; init; }

    /// <summary>The learned verifier (out-of-fold P(good); routing score 1 − P(good)).</summary>
    public required CascadeFigures Learned { get; init; }

    /// <summary>The baseline verifier that sees only the answer's length (a logistic regression on ln(1 + characters), cross-validated the same way).</summary>
    public required CascadeFigures AnswerLength { get; init; }

    /// <summary>The prompt-only baseline: longest prompts go to the strong model first (no answer seen, so it is costed as a router that decides before calling).</summary>
    public required CascadeFigures PromptLength { get; init; }

    /// <summary>Random escalation (RouteLLM's random router, averaged over 10 runs).</summary>
    public required CascadeFigures Random { get; init; }

    /// <summary>The oracle: escalates exactly the prompts where the strong model is better, largest gain first.</summary>
    public required CascadeFigures Oracle { get; init; }

    /// <summary>ROC AUC of the learned verifier's P(good) against the good-enough label.</summary>
    public required double LearnedAuc { get; init; }

    /// <summary>ROC AUC of the answer-length verifier's P(good) against the label.</summary>
    public required double AnswerLengthAuc { get; init; }

    /// <summary>Mean held-out log-loss of the learned verifier's P(good).</summary>
    public required double LearnedLogLoss { get; init; }

    /// <summary>The penalty each outer fold's learned verifier chose.</summary>
    public required IReadOnlyList<double> FoldL2 { get; init; }

    /// <summary>The embedding block weight each outer fold's learned verifier chose (1 without an embedding).</summary>
    public required IReadOnlyList<double> FoldEmbeddingWeight { get; init; }

    /// <summary>The learned verifier's out-of-fold prediction of every prompt, in record order.</summary>
    public required IReadOnlyList<CascadePrediction> Predictions { get; init; }

    /// <summary>Every verifier's figures, learned first.</summary>
    public IReadOnlyList<CascadeFigures> All => [Learned, AnswerLength, PromptLength, Random, Oracle];

    /// <summary>A plain-text table of the figures and the cost note.</summary>
    /// <returns>Several lines of text.</returns>
    public string FormatTable()
    {
        var c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.Append(c, $"cascade {Weak} -> {Strong}: {Prompts} prompts, {Folds} folds, seed {Seed}, margin {Margin:0.###}, ");
        text.Append(EmbeddingDimensions > 0 ? string.Create(c, $"answer features + {EmbeddingDimensions}-d prompt embedding") : "answer features only");
        text.AppendLine();
        text.Append(c, $"weak mean {WeakMean:0.0000}, strong mean {StrongMean:0.0000}, weak good enough {GoodShare:0.0000}; ");
        text.Append(c, $"learned AUC {LearnedAuc:0.0000}, log-loss {LearnedLogLoss:0.0000}, answer-length AUC {AnswerLengthAuc:0.0000}; ");
        text.Append("fold l2 " + string.Join("/", FoldL2.Select(v => v.ToString("0.####", c))));
        text.AppendLine(EmbeddingDimensions > 0 ? ", embedding weight " + string.Join("/", FoldEmbeddingWeight.Select(v => v.ToString("0.###", c))) : string.Empty);
        text.AppendLine("verifier        pays cheap   APGR    CPT50   AIQ(share)  AIQ(cost)  cost@CPT50");
        foreach (var f in All)
        {
            text.AppendLine(string.Create(c, $"{f.Verifier,-14} {(f.PaysCheapCall ? "yes" : "no"),10} {f.Apgr,7:0.0000} {f.Cpt50,7:0.0000} {f.Aiq,10:0.0000} {f.CostAiq,10:0.0000} {f.CostAtCpt50,11:0.####}"));
        }

        text.Append(c, $"cost ({CostUnit}): weak {WeakCostMean:0.######} per prompt, strong {StrongCostMean:0.######}; a cascade pays the weak call on every prompt ");
        text.Append(c, $"(all accepted {WeakCostMean:0.######}, all escalated {WeakCostMean + StrongCostMean:0.######}), a router one call per prompt (all strong {StrongCostMean:0.######}).");
        text.AppendLine();
        text.AppendLine("learned curve (share -> cascade cost, PGR):");
        foreach (var p in Learned.ByCost.Curve)
        {
            text.AppendLine(string.Create(c, $"  {p.StrongShare,6:0.000} -> {p.Cost,10:0.######}  {p.Pgr,7:0.0000}"));
        }

        return text.ToString();
    }
}
