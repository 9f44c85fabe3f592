using System.Text.Json.Serialization;

namespace Switchyard.Providers;

/// <summary>Source-generated JSON for the few values the provider adapters serialize themselves.</summary>
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(float))]
internal sealed partial class ProviderJsonContext : JsonSerializerContext;
