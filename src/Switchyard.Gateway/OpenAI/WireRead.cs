using System.Text.Json;

namespace Switchyard.Gateway.OpenAI;

/// <summary>Strict reading of JSON request fields for every wire format: each failure is a 400 naming the field's path.</summary>
public static class WireRead
{
    /// <summary>The string at <paramref name="param"/>, else 400 naming it.</summary>
    public static string RequireString(JsonElement value, string param) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Invalid(param, "must be a string");

    /// <summary>The boolean at <paramref name="param"/>, else 400 naming it.</summary>
    public static bool RequireBool(JsonElement value, string param) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw Invalid(param, "must be a boolean"),
    };

    /// <summary>Throws 400 naming <paramref name="param"/> unless the value is an object.</summary>
    public static void RequireObject(JsonElement value, string param)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(param, "must be an object");
        }
    }

    /// <summary>The number at <paramref name="param"/> within [<paramref name="min"/>, <paramref name="max"/>], else 400 naming it.</summary>
    public static double RequireNumber(JsonElement value, string param, double min, double max)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetDouble(out var d))
        {
            throw Invalid(param, "must be a number");
        }

        return d < min || d > max ? throw Invalid(param, $"must be between {min} and {max}") : d;
    }

    /// <summary>The integer at <paramref name="param"/> within [<paramref name="min"/>, <paramref name="max"/>], else 400 naming it.</summary>
    public static int RequireInt(JsonElement value, string param, int min, int max)
    {
        if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt32(out var i))
        {
            throw Invalid(param, "must be an integer");
        }

        return i < min || i > max ? throw Invalid(param, max == int.MaxValue ? $"must be at least {min}" : $"must be between {min} and {max}") : i;
    }

    /// <summary>400 <c>invalid_value</c>: <paramref name="param"/> <paramref name="what"/>.</summary>
    public static WireFormatException Invalid(string param, string what) => new($"'{param}' {what}.", param, "invalid_value");

    /// <summary>400 <c>missing_required_parameter</c> naming <paramref name="param"/>.</summary>
    public static WireFormatException Missing(string param) => new($"'{param}' is required.", param, "missing_required_parameter");

    /// <summary>400 <c>unknown_parameter</c> naming <paramref name="param"/>.</summary>
    public static WireFormatException Unknown(string param) => new($"Unrecognized request argument supplied: {param}", param, "unknown_parameter");

    /// <summary>The <c>type</c> of a typed object (a content block or part, a tool, a tool choice, a format), else 400 naming the path.</summary>
    public static string TypeOf(JsonElement obj, string path)
    {
        if (obj.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(path, "must be an object");
        }

        if (!obj.TryGetProperty("type", out var type) || type.ValueKind == JsonValueKind.Null)
        {
            throw Missing(path + ".type");
        }

        return RequireString(type, path + ".type");
    }

    /// <summary>The required string property <paramref name="name"/> of <paramref name="obj"/>, else 400 naming it.</summary>
    public static string RequireProperty(JsonElement obj, string path, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? RequireString(value, path + "." + name) : throw Missing(path + "." + name);

    /// <summary>Refuses (400 <c>unknown_parameter</c>) any property of <paramref name="obj"/> other than <c>type</c>, <paramref name="extra"/> and <paramref name="allowed"/>.</summary>
    public static void CheckKeys(JsonElement obj, string path, string? extra, ReadOnlySpan<string> allowed)
    {
        foreach (var p in obj.EnumerateObject())
        {
            if (p.Name == "type" || p.Name == extra || allowed.Contains(p.Name))
            {
                continue;
            }

            throw Unknown(path + "." + p.Name);
        }
    }
}
