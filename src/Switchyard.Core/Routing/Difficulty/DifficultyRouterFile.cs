using System.Text.Json.Serialization;

namespace Switchyard.Routing.Difficulty;

/// <summary>The on-disk shape of a trained router (see <see cref="DifficultyRouterModel"/>).</summary>
internal sealed class DifficultyRouterFile
{
    [JsonPropertyName("format")]
    public string? Format { get; set; }

    [JsonPropertyName("created")]
    public DateTimeOffset? Created { get; set; }

    [JsonPropertyName("source")]
    public string? Source { get; set; }

    [JsonPropertyName("featurizer")]
    public FeaturizerSettings? Featurizer { get; set; }

    [JsonPropertyName("training")]
    public TrainingSettings? Training { get; set; }

    [JsonPropertyName("pairs")]
    public List<PairFile>? Pairs { get; set; }

    internal sealed class PairFile
    {
        [JsonPropertyName("weak")]
        public string? Weak { get; set; }

        [JsonPropertyName("strong")]
        public string? Strong { get; set; }

        [JsonPropertyName("examples")]
        public int Examples { get; set; }

        [JsonPropertyName("good_enough_rate")]
        public double GoodEnoughRate { get; set; }

        [JsonPropertyName("bias")]
        public double Bias { get; set; }

        /// <summary>The weights as little-endian float32, base64.</summary>
        [JsonPropertyName("weights")]
        public string? Weights { get; set; }

        [JsonPropertyName("calibration")]
        public CalibrationSet? Calibration { get; set; }
    }
}
