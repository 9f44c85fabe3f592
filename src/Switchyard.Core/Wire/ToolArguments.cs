using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Switchyard.Wire;

/// <summary>
/// Tool-call arguments as wire formats carry them (a JSON object, encoded as a string in OpenAI's format) and as
/// Microsoft.Extensions.AI holds them (a dictionary of <see cref="JsonElement"/> values).
/// </summary>
public static class ToolArguments
{
    /// <summary>Parses a JSON object; an empty or blank string is an empty dictionary.</summary>
    /// <exception cref="JsonException">The text is not JSON, or not a JSON object.</exception>
    public static Dictionary<string, object?> Parse(string? json)
    {
        var args = new Dictionary<string, object?>();
        if (string.IsNullOrWhiteSpace(json))
        {
            return args;
        }

        using var doc = JsonDocument.Parse(json);
        if (doc.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("Tool-call arguments must be a JSON object.");
        }

        foreach (var p in doc.RootElement.EnumerateObject())
        {
            args[p.Name] = p.Value.Clone();
        }

        return args;
    }

    /// <summary>Serialises arguments as a JSON object string (<c>{}</c> when null).</summary>
    public static string Serialize(IDictionary<string, object?>? arguments) =>
        arguments is null ? "{}" : JsonSerializer.Serialize(arguments, AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(IDictionary<string, object?>)));
}
