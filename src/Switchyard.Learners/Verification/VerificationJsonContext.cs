using System.Text.Json.Serialization;

namespace Switchyard.Routing.Learners.Verification;

/// <summary>Source-generated JSON for saved verifiers (no reflection at load).</summary>
[JsonSourceGenerationOptions(WriteIndented = false, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(VerifierModelFile))]
internal sealed partial class VerificationJsonContext : JsonSerializerContext;
