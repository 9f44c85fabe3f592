using Switchyard.Embeddings;
using Switchyard.Routing.Difficulty;

namespace Switchyard.Routing.Learners.Verification;

/// <summary>
/// Fits a learned cascade verifier (<see cref="VerifierModel"/>): an L2-penalised logistic regression that predicts,
/// from <see cref="AnswerFeatures"/> of the cheap model's answer (optionally joined with the prompt's embedding),
/// P(the cheap answer is good enough), i.e. weak score ≥ strong score − margin.
/// </summary>
/// <remarks>
/// <para>
/// Every column is standardised on the training prompts. The penalty λ (and, with an embedding, the weight of the
/// embedding columns, <see cref="VerifierTrainerSettings.EmbeddingWeights"/>) is chosen by grouped k-fold cross-validation
/// on the training prompts (prompts with the same id or conversation share a fold) by the mean held-out log-loss; the
/// held-out predictions at the chosen λ are kept in the model as its calibration set, so thresholds for a target
/// (a strong-call share or a PGR) are found on predictions of prompts the predicting model did not see. The final
/// model is then fitted on all training prompts with the chosen λ.
/// </para>
/// <para>Deterministic for a seed (parallel loops write by index only).</para>
/// </remarks>
public sealed class VerifierTrainer
{
    /// <summary>Creates a trainer.</summary>
    /// <param name="settings">Margin, penalties, folds, seed (defaults when null).</param>
    public VerifierTrainer(VerifierTrainerSettings? settings = null)
    {
        settings ??= new VerifierTrainerSettings();
        settings.Validate();
        Settings = settings;
    }

    /// <summary>The settings.</summary>
    public VerifierTrainerSettings Settings { get; }

    /// <summary>Fits a verifier on <paramref name="examples"/>.</summary>
    /// <param name="examples">Weak answers with both models' scores (<see cref="VerifierExample.FromRecords"/>).</param>
    /// <param name="weak">The cheap model's name (recorded in the model).</param>
    /// <param name="strong">The strong model's name (recorded in the model).</param>
    /// <param name="embedder">Embeds the prompts, joining the embedding to the answer features; null for answer features only.
    /// The same embedder (or one with the same output) must be given to the verifier at serve time.</param>
    /// <returns>The fitted model with its out-of-fold calibration set.</returns>
    /// <exception cref="ArgumentException">There are no examples or fewer than two prompt groups.</exception>
    public VerifierModel Fit(IReadOnlyList<VerifierExample> examples, string weak, string strong, ITextEmbedder? embedder = null)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentException.ThrowIfNullOrEmpty(weak);
        ArgumentException.ThrowIfNullOrEmpty(strong);
        var data = VerifierMatrix.Build(examples, embedder, Settings.Margin);
        return Fit(data, [.. Enumerable.Range(0, data.Count)], weak, strong);
    }

    /// <summary>Fits on the given rows of <paramref name="data"/> (which must have the full answer features).</summary>
    internal VerifierModel Fit(VerifierMatrix data, IReadOnlyList<int> rows, string weak, string strong)
    {
        var fit = FitCore(data, rows);
        var calibration = new CalibrationSet(fit.OutOfFold, [.. rows.Select(i => data.Weak[i])], [.. rows.Select(i => data.Strong[i])]);
        return new VerifierModel(weak, strong, Settings.Margin, data.EmbeddingDimensions, fit.L2, fit.EmbeddingWeight, fit.Center, fit.Scale, fit.Weights, fit.Bias, calibration);
    }

    /// <summary>
    /// Standardises the rows, chooses λ (and the embedding block weight) by inner grouped cross-validation (log-loss), and fits on all the rows. Returns
    /// the model's parts and the held-out predictions at the chosen λ (in <paramref name="rows"/> order).
    /// </summary>
    internal LogisticFit FitCore(VerifierMatrix data, IReadOnlyList<int> rows)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(rows);
        var n = rows.Count;
        var width = data.Width;
        if (n == 0)
        {
            throw new ArgumentException("The verifier needs at least one training prompt.", nameof(rows));
        }

        var groups = rows.Select(i => data.Groups[i]).ToArray();
        var distinct = groups.Distinct().Count();
        if (distinct < 2)
        {
            throw new ArgumentException($"The verifier needs at least two distinct training prompts to cross-validate; it has {distinct}.", nameof(rows));
        }

        var x = new float[n * width];
        var y = new double[n];
        for (var k = 0; k < n; k++)
        {
            data.X.AsSpan(rows[k] * width, width).CopyTo(x.AsSpan(k * width, width));
            y[k] = data.Labels[rows[k]];
        }

        var (center, scale) = Standardizer.Fit(x, n, width);
        for (var k = 0; k < n; k++)
        {
            Standardizer.Apply(x.AsSpan(k * width, width), center, scale);
        }

        // Candidate settings: every penalty, and for the embedding columns every block weight (a weight γ on the
        // standardised column is a penalty λ/γ² on its coefficient; it is folded into the scale).
        var penalties = Settings.L2.Distinct().OrderDescending().ToArray();
        double[] embeddingWeights = data.EmbeddingDimensions > 0 ? [.. Settings.EmbeddingWeights.Distinct().OrderDescending()] : [1.0];
        var blocks = new float[embeddingWeights.Length][];
        for (var g = 0; g < embeddingWeights.Length; g++)
        {
            blocks[g] = embeddingWeights[g] == 1 ? x : WeightEmbedding(x, n, width, AnswerFeatures.Count, (float)embeddingWeights[g]);
        }

        var candidates = embeddingWeights.Length * penalties.Length;
        var folds = GroupedFolds.Assign(groups, Math.Min(Settings.TuningFolds, distinct), Settings.Seed);
        var foldCount = folds.Max() + 1;
        var heldOut = new double[candidates][];
        for (var a = 0; a < candidates; a++)
        {
            heldOut[a] = new double[n];
        }

        Parallel.For(0, candidates * foldCount, job =>
        {
            var (a, f) = (job / foldCount, job % foldCount);
            var rowsX = blocks[a / penalties.Length];
            var train = GroupedFolds.Rows(folds, f, inFold: false);
            var (w, b) = DenseLogistic.Fit(rowsX, width, train, [.. train.Select(k => y[k])], penalties[a % penalties.Length], Settings.Iterations);
            foreach (var k in GroupedFolds.Rows(folds, f, inFold: true))
            {
                heldOut[a][k] = DenseLogistic.Predict(w, b, rowsX.AsSpan(k * width, width));
            }
        });

        // The lowest held-out log-loss; ties go to the earlier candidate (full embedding weight, larger penalty).
        var losses = heldOut.Select(p => LogLoss(p, y)).ToArray();
        var best = 0;
        for (var a = 1; a < candidates; a++)
        {
            if (losses[a] < losses[best])
            {
                best = a;
            }
        }

        var (chosenBlock, chosenPenalty) = (best / penalties.Length, best % penalties.Length);
        var all = Enumerable.Range(0, n).ToArray();
        var (weights, bias) = DenseLogistic.Fit(blocks[chosenBlock], width, all, y, penalties[chosenPenalty], Settings.Iterations);
        var gamma = (float)embeddingWeights[chosenBlock];
        for (var j = AnswerFeatures.Count; j < width && gamma != 1; j++)
        {
            scale[j] *= gamma;
        }

        return new LogisticFit(center, scale, weights, bias, penalties[chosenPenalty], embeddingWeights[chosenBlock], heldOut[best], losses[best]);
    }

    /// <summary>A copy of the standardised rows with the columns from <paramref name="from"/> on multiplied by <paramref name="weight"/>.</summary>
    private static float[] WeightEmbedding(float[] x, int n, int width, int from, float weight)
    {
        var copy = (float[])x.Clone();
        for (var i = 0; i < n; i++)
        {
            var row = copy.AsSpan((i * width) + from, width - from);
            for (var j = 0; j < row.Length; j++)
            {
                row[j] *= weight;
            }
        }

        return copy;
    }

    /// <summary>Mean cross-entropy of the predictions, each clipped to [1e-12, 1 − 1e-12].</summary>
    internal static double LogLoss(IReadOnlyList<double> predicted, IReadOnlyList<double> labels)
    {
        var sum = 0.0;
        for (var i = 0; i < predicted.Count; i++)
        {
            var p = Math.Clamp(predicted[i], 1e-12, 1 - 1e-12);
            sum -= (labels[i] * Math.Log(p)) + ((1 - labels[i]) * Math.Log(1 - p));
        }

        return predicted.Count > 0 ? sum / predicted.Count : 0;
    }

    /// <summary>A standardised logistic fit and its held-out predictions.</summary>
    internal sealed record LogisticFit(float[] Center, float[] Scale, float[] Weights, double Bias, double L2, double EmbeddingWeight, double[] OutOfFold, double OutOfFoldLogLoss)
    {
        /// <summary>P(good) of one unstandardised row.</summary>
        public double Predict(ReadOnlySpan<float> row) => VerifierModel.Score(row, Center, Scale, Weights, Bias);
    }
}
