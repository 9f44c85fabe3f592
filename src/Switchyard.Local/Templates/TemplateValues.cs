using System.Collections;
using System.Text.Json;
using PyList = System.Collections.Generic.List<object?>;

namespace Switchyard.Local.Templates;

/// <summary>Turns caller-supplied .NET values into template values (see <see cref="PyOps"/> for the value kinds).</summary>
internal static class TemplateValues
{
    public static PyDict FromMessage(ChatTemplateMessage message) => new()
    {
        ["role"] = message.Role,
        ["content"] = message.Content,
    };

    public static object? FromClr(object? value, string name) => value switch
    {
        null => null,
        string s => s,
        bool b => b,
        int or long or short or sbyte or byte or ushort or uint => Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture),
        ulong u => u <= long.MaxValue ? (long)u : (object)(double)u,
        float or double or decimal => Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture),
        JsonElement json => FromJson(json),
        ChatTemplateMessage message => FromMessage(message),
        IDictionary<string, object?> dict => FromPairs(dict, name),
        IReadOnlyDictionary<string, object?> dict => FromPairs(dict, name),
        IDictionary dict => FromDictionary(dict, name),
        IEnumerable items => FromEnumerable(items, name),
        _ => throw new ArgumentException($"Template variable '{name}' has a value of type {value.GetType().Name}, which templates cannot use.", nameof(value)),
    };

    private static PyDict FromPairs(IEnumerable<KeyValuePair<string, object?>> pairs, string name)
    {
        var dict = new PyDict();
        foreach (KeyValuePair<string, object?> pair in pairs)
        {
            dict[pair.Key] = FromClr(pair.Value, $"{name}.{pair.Key}");
        }

        return dict;
    }

    private static PyDict FromDictionary(IDictionary source, string name)
    {
        var dict = new PyDict();
        foreach (DictionaryEntry entry in source)
        {
            string key = Convert.ToString(entry.Key, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty;
            dict[key] = FromClr(entry.Value, $"{name}.{key}");
        }

        return dict;
    }

    private static PyList FromEnumerable(IEnumerable items, string name)
    {
        var list = new PyList();
        foreach (object? item in items)
        {
            list.Add(FromClr(item, $"{name}[{list.Count}]"));
        }

        return list;
    }

    public static object? FromJson(JsonElement json)
    {
        switch (json.ValueKind)
        {
            case JsonValueKind.Object:
                var dict = new PyDict();
                foreach (JsonProperty property in json.EnumerateObject())
                {
                    dict[property.Name] = FromJson(property.Value);
                }

                return dict;
            case JsonValueKind.Array:
                var list = new PyList(json.GetArrayLength());
                foreach (JsonElement item in json.EnumerateArray())
                {
                    list.Add(FromJson(item));
                }

                return list;
            case JsonValueKind.String:
                return json.GetString();
            case JsonValueKind.Number:
                return IsIntegerLiteral(json) && json.TryGetInt64(out long l) ? l : (object)json.GetDouble();
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            default:
                return null;
        }
    }

    private static bool IsIntegerLiteral(JsonElement number) => number.GetRawText().AsSpan().IndexOfAny(".eE") < 0;
}
