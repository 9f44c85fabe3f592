using System.Text.Json.Serialization;

namespace Switchyard.Gateway;

/// <summary>Source-generated JSON metadata for the gateway's own small responses.</summary>
[JsonSerializable(typeof(HealthStatus))]
internal sealed partial class GatewayJsonContext : JsonSerializerContext;
