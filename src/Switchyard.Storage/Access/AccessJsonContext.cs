using System.Text.Json.Serialization;

namespace Switchyard.Storage.Access;

/// <summary>Source-generated JSON for the lists and labels the access tables keep as text.</summary>
[JsonSerializable(typeof(List<string>))]
[JsonSerializable(typeof(Dictionary<string, string>))]
internal sealed partial class AccessJsonContext : JsonSerializerContext;
