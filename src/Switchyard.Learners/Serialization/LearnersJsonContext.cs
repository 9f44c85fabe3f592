using System.Text.Json.Serialization;

namespace Switchyard.Routing.Learners;

/// <summary>Source-generated JSON for fitted learners (no reflection at load).</summary>
[JsonSourceGenerationOptions(WriteIndented = false, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(FittedLearnerFile))]
internal sealed partial class LearnersJsonContext : JsonSerializerContext;
