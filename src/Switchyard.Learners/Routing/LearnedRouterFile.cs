using System.Text.Json.Serialization;

namespace Switchyard.Routing.Learners;

/// <summary>The on-disk shape of a <see cref="LearnedRouterModel"/> (<c>switchyard.difficulty-router/2</c>).</summary>
internal sealed class LearnedRouterFile
{
    public string? Format { get; set; }

    public DateTimeOffset? Created { get; set; }

    public string? Source { get; set; }

    /// <summary>Every model, cheapest first, the strongest last.</summary>
    public List<string>? Models { get; set; }

    /// <summary>The sentence embedder the learners read, or null when none needs one.</summary>
    public EmbedderFile? Embedder { get; set; }

    public int Folds { get; set; }

    public int Seed { get; set; }

    public double Margin { get; set; }

    public List<PairFile>? Pairs { get; set; }

    public CalibrationFile? Calibration { get; set; }

    internal sealed class EmbedderFile
    {
        public string? Name { get; set; }

        public int Dimensions { get; set; }

        public int MaxTokens { get; set; }
    }

    internal sealed class PairFile
    {
        public string? Weak { get; set; }

        public string? Strong { get; set; }

        public string? Chosen { get; set; }

        public bool FellBackToBaseline { get; set; }

        public string? Reason { get; set; }

        public double RandomApgr { get; set; }

        public double OracleApgr { get; set; }

        public List<LearnerCvRow>? CrossValidation { get; set; }

        public FittedLearner? Learner { get; set; }
    }

    internal sealed class CalibrationFile
    {
        /// <summary>Per cheaper model, per prompt: the chosen learner's out-of-fold P(good enough).</summary>
        public List<double[]>? PGood { get; set; }

        /// <summary>Per model, per prompt: its score.</summary>
        public List<double[]>? Scores { get; set; }

        /// <summary>Per model, per prompt: the recorded cost in dollars, when every outcome had one.</summary>
        public List<double[]>? Costs { get; set; }

        /// <summary>Per prompt: estimated input tokens (characters / 4), for pricing when costs were not recorded.</summary>
        public int[]? InputTokens { get; set; }

        /// <summary>Per model: mean recorded output tokens, or null when not recorded.</summary>
        public double?[]? OutputTokens { get; set; }
    }
}
