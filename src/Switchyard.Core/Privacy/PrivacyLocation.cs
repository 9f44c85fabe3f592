using System.Text.Json.Serialization;

namespace Switchyard.Privacy;

/// <summary>Where in a request a value of a class was found (the field path, never the value), for the audit trail.</summary>
/// <param name="DataClass">The data class.</param>
/// <param name="Path">The field, e.g. <c>messages[2].name</c>, <c>tools[0].function.description</c>, <c>user</c>.</param>
public sealed record PrivacyLocation(
    [property: JsonPropertyName("class")] string DataClass,
    [property: JsonPropertyName("path")] string Path);
