using System.Text.Json.Serialization;
using Switchyard.Routing.Difficulty;

namespace Switchyard.Routing.Learners.Verification;

/// <summary>The JSON shape of a saved verifier (<see cref="VerifierModelJson"/>).</summary>
internal sealed class VerifierModelFile
{
    [JsonPropertyName("format")]
    public string? Format { get; set; }

    [JsonPropertyName("weak")]
    public string? Weak { get; set; }

    [JsonPropertyName("strong")]
    public string? Strong { get; set; }

    [JsonPropertyName("margin")]
    public double Margin { get; set; }

    [JsonPropertyName("answer_features")]
    public string[]? AnswerFeatures { get; set; }

    [JsonPropertyName("embedding_dimensions")]
    public int EmbeddingDimensions { get; set; }

    [JsonPropertyName("l2")]
    public double L2 { get; set; }

    [JsonPropertyName("embedding_weight")]
    public double EmbeddingWeight { get; set; } = 1;

    [JsonPropertyName("center")]
    [JsonConverter(typeof(Base64FloatArrayConverter))]
    public float[]? Center { get; set; }

    [JsonPropertyName("scale")]
    [JsonConverter(typeof(Base64FloatArrayConverter))]
    public float[]? Scale { get; set; }

    [JsonPropertyName("weights")]
    [JsonConverter(typeof(Base64FloatArrayConverter))]
    public float[]? Weights { get; set; }

    [JsonPropertyName("bias")]
    public double Bias { get; set; }

    [JsonPropertyName("calibration")]
    public CalibrationSet? Calibration { get; set; }
}
