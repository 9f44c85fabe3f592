using System.Text.Json.Serialization;

namespace Switchyard.Cli.BenchBackend;

/// <summary>Source-generated JSON for <c>switchyard bench-backend</c> (snake_case keys).</summary>
[JsonSerializable(typeof(BackendBenchmarkReport))]
[JsonSerializable(typeof(SelfHostedProfileSnippet))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
internal sealed partial class BenchBackendJsonContext : JsonSerializerContext;
