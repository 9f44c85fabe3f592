using System.Text.Json.Serialization;

namespace Switchyard.Routing.Learners;

/// <summary>The JSON shape of a saved learner: a format tag and the learner (its <c>kind</c> first).</summary>
internal sealed class FittedLearnerFile
{
    [JsonPropertyName("format")]
    public string? Format { get; set; }

    [JsonPropertyName("learner")]
    public FittedLearner? Learner { get; set; }
}
