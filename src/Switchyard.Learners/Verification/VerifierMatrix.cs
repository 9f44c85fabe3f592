using Switchyard.Embeddings;
using Switchyard.Evaluation;
using Switchyard.Routing.Difficulty;

namespace Switchyard.Routing.Learners.Verification;

/// <summary>
/// The verifier's training rows, unstandardised and row-major: <see cref="AnswerFeatures"/> then, when there is an
/// embedder, the prompt's embedding; with each row's label, scores and prompt group.
/// </summary>
internal sealed class VerifierMatrix
{
    private VerifierMatrix(float[] x, int width, int embeddingDimensions, double[] labels, double[] weak, double[] strong, int[] groups, string[] ids)
    {
        X = x;
        Width = width;
        EmbeddingDimensions = embeddingDimensions;
        Labels = labels;
        Weak = weak;
        Strong = strong;
        Groups = groups;
        Ids = ids;
    }

    public float[] X { get; }

    public int Width { get; }

    public int EmbeddingDimensions { get; }

    public double[] Labels { get; }

    public double[] Weak { get; }

    public double[] Strong { get; }

    public int[] Groups { get; }

    public string[] Ids { get; }

    public int Count => Labels.Length;

    /// <summary>Features of every example; the prompts are embedded in one batch call.</summary>
    public static VerifierMatrix Build(IReadOnlyList<VerifierExample> examples, ITextEmbedder? embedder, double margin)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var n = examples.Count;
        var d = embedder?.Dimensions ?? 0;
        var width = AnswerFeatures.Count + d;
        var x = new float[n * width];
        var prompts = new string[n];
        for (var i = 0; i < n; i++)
        {
            prompts[i] = PromptEncoder.TextOf(examples[i].Messages);
            AnswerFeatures.Compute(prompts[i], examples[i].Answer, examples[i].LogProbs, x.AsSpan(i * width, AnswerFeatures.Count));
        }

        if (embedder is not null && n > 0)
        {
            var embeddings = embedder.Embed(prompts);
            for (var i = 0; i < n; i++)
            {
                if (embeddings[i].Length != d)
                {
                    throw new InvalidOperationException($"The embedder returned {embeddings[i].Length} dimensions, not the {d} it declares.");
                }

                embeddings[i].CopyTo(x.AsSpan((i * width) + AnswerFeatures.Count, d));
            }
        }

        var groups = PromptGroups.Of([.. examples.Select(e => new OutcomeRecord(e.Id, e.Messages, new Dictionary<string, ModelOutcome>()))]);
        return new VerifierMatrix(
            x,
            width,
            d,
            [.. examples.Select(e => DifficultyTrainer.Label(e.WeakScore, e.StrongScore, margin))],
            [.. examples.Select(e => Math.Clamp(e.WeakScore, 0, 1))],
            [.. examples.Select(e => Math.Clamp(e.StrongScore, 0, 1))],
            groups,
            [.. examples.Select(e => e.Id)]);
    }

    /// <summary>The same rows with only the given answer-feature columns (and no embedding).</summary>
    public VerifierMatrix Columns(IReadOnlyList<int> answerColumns)
    {
        var width = answerColumns.Count;
        var x = new float[Count * width];
        for (var i = 0; i < Count; i++)
        {
            for (var j = 0; j < width; j++)
            {
                x[(i * width) + j] = X[(i * Width) + answerColumns[j]];
            }
        }

        return new VerifierMatrix(x, width, 0, Labels, Weak, Strong, Groups, Ids);
    }
}
