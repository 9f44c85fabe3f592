using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.AI;

namespace Switchyard.Privacy.Pseudonymization;

/// <summary>
/// Applies a string rewrite (pseudonymise or restore) to every string a model sees or returns: text, reasoning
/// text, function-call arguments and function results, recursively through JSON and collections.
/// </summary>
/// <remarks>
/// Copy on write: an object none of whose strings change is returned as the same instance; one that changes is a new
/// object, and the input is never mutated. A changed message or content loses its
/// <see cref="ChatMessage.RawRepresentation"/>/<see cref="AIContent.RawRepresentation"/>, which still holds the
/// old text and which some provider adapters would otherwise send as is.
/// </remarks>
internal static class ContentRewriter
{
    /// <summary>Rewrites every message; null when none changed.</summary>
    public static List<ChatMessage>? RewriteMessages(IEnumerable<ChatMessage> messages, Func<string, string> rewrite)
    {
        var result = new List<ChatMessage>();
        bool changed = false;
        foreach (ChatMessage message in messages)
        {
            ChatMessage rewritten = RewriteMessage(message, rewrite);
            changed |= !ReferenceEquals(rewritten, message);
            result.Add(rewritten);
        }

        return changed ? result : null;
    }

    /// <summary>Rewrites one message's contents; the same instance when none changed.</summary>
    public static ChatMessage RewriteMessage(ChatMessage message, Func<string, string> rewrite)
    {
        List<AIContent>? contents = RewriteContents(message.Contents, rewrite);
        if (contents is null)
        {
            return message;
        }

        ChatMessage clone = message.Clone();
        clone.Contents = contents;
        clone.RawRepresentation = null;
        return clone;
    }

    /// <summary>Rewrites a list of contents; null when none changed.</summary>
    public static List<AIContent>? RewriteContents(IList<AIContent> contents, Func<string, string> rewrite)
    {
        List<AIContent>? result = null;
        for (int i = 0; i < contents.Count; i++)
        {
            AIContent rewritten = RewriteContent(contents[i], rewrite);
            if (result is null && !ReferenceEquals(rewritten, contents[i]))
            {
                result = new List<AIContent>(contents.Count);
                for (int j = 0; j < i; j++)
                {
                    result.Add(contents[j]);
                }
            }

            result?.Add(rewritten);
        }

        return result;
    }

    /// <summary>Rewrites one content; the same instance when nothing changed or the content carries no text.</summary>
    public static AIContent RewriteContent(AIContent content, Func<string, string> rewrite)
    {
        switch (content)
        {
            case TextContent text:
            {
                string rewritten = rewrite(text.Text);
                return ReferenceEquals(rewritten, text.Text) ? text : WithText(text, rewritten);
            }

            case TextReasoningContent reasoning:
            {
                string rewritten = rewrite(reasoning.Text);
                return ReferenceEquals(rewritten, reasoning.Text) ? reasoning : WithText(reasoning, rewritten);
            }

            case FunctionCallContent call when call.Arguments is not null:
            {
                IDictionary<string, object?>? arguments = RewriteDictionary(call.Arguments, rewrite);
                return arguments is null ? call : new FunctionCallContent(call.CallId, call.Name, arguments)
                {
                    Exception = call.Exception,
                    InformationalOnly = call.InformationalOnly,
                    AdditionalProperties = call.AdditionalProperties,
                    Annotations = call.Annotations,
                };
            }

            case FunctionResultContent result when result.Result is not null:
            {
                object? rewritten = RewriteValue(result.Result, rewrite);
                return ReferenceEquals(rewritten, result.Result) ? result : new FunctionResultContent(result.CallId, rewritten)
                {
                    Exception = result.Exception,
                    AdditionalProperties = result.AdditionalProperties,
                    Annotations = result.Annotations,
                };
            }

            default:
                return content;
        }
    }

    /// <summary>A text content like <paramref name="original"/> but with <paramref name="text"/>.</summary>
    public static TextContent WithText(TextContent original, string text) =>
        new(text) { AdditionalProperties = original.AdditionalProperties, Annotations = original.Annotations };

    /// <summary>A reasoning content like <paramref name="original"/> but with <paramref name="text"/>.</summary>
    public static TextReasoningContent WithText(TextReasoningContent original, string text) =>
        new(text) { ProtectedData = original.ProtectedData, AdditionalProperties = original.AdditionalProperties, Annotations = original.Annotations };

    /// <summary>
    /// Rewrites a value of a tool argument or result: strings, JSON (<see cref="JsonElement"/>, <see cref="JsonNode"/>),
    /// dictionaries, lists and AI contents, recursively. Numbers, booleans, dates and enums are returned as they are;
    /// any other object is rewritten as the JSON it serialises to (which is what a provider would send), becoming a
    /// <see cref="JsonElement"/> if a string in it changed. Returns the same instance when nothing changed.
    /// </summary>
    public static object? RewriteValue(object? value, Func<string, string> rewrite)
    {
        switch (value)
        {
            case null:
                return null;
            case string s:
                return rewrite(s);
            case JsonElement element:
                return RewriteJson(element, rewrite) is { } rewrittenElement ? rewrittenElement : value;
            case JsonNode node:
            {
                using JsonDocument document = JsonDocument.Parse(node.ToJsonString());
                return RewriteJson(document.RootElement, rewrite) is { } rewrittenNode ? rewrittenNode : value;
            }

            case AIContent content:
                return RewriteContent(content, rewrite);
            case IList<AIContent> contents:
                return RewriteContents(contents, rewrite) ?? value;
            case IDictionary<string, object?> dictionary:
                return RewriteDictionary(dictionary, rewrite) ?? value;
            case string[] strings:
                return RewriteStrings(strings, rewrite) ?? value;
            case IEnumerable<object?> items:
                return RewriteItems(items, rewrite) ?? value;
            case IConvertible or Guid or DateTimeOffset or TimeSpan:
                return value; // Numbers, booleans, dates, enums: no text to rewrite.
            default:
                return RewriteSerialized(value, rewrite);
        }
    }

    /// <summary>Rewrites a JSON value; null when no string in it changed.</summary>
    public static JsonElement? RewriteJson(JsonElement element, Func<string, string> rewrite)
    {
        if (element.ValueKind is not (JsonValueKind.String or JsonValueKind.Object or JsonValueKind.Array))
        {
            return null;
        }

        var buffer = new ArrayBufferWriter<byte>();
        bool changed;
        using (var writer = new Utf8JsonWriter(buffer))
        {
            changed = WriteJson(element, writer, rewrite);
        }

        if (!changed)
        {
            return null;
        }

        using JsonDocument document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    // Any other object (a result record, a Dictionary<string, string>) reaches the provider serialised as JSON, so it
    // is rewritten as that JSON; it stays as it is when it serialises to nothing that changes, or not at all.
    private static object RewriteSerialized(object value, Func<string, string> rewrite)
    {
        JsonElement element;
        try
        {
            element = JsonSerializer.SerializeToElement(value, AIJsonUtilities.DefaultOptions.GetTypeInfo(value.GetType()));
        }
        catch (Exception ex) when (ex is NotSupportedException or InvalidOperationException or JsonException)
        {
            return value;
        }

        return RewriteJson(element, rewrite) is { } rewritten ? rewritten : value;
    }

    private static Dictionary<string, object?>? RewriteDictionary(IDictionary<string, object?> dictionary, Func<string, string> rewrite)
    {
        Dictionary<string, object?>? result = null;
        foreach (KeyValuePair<string, object?> pair in dictionary)
        {
            object? rewritten = RewriteValue(pair.Value, rewrite);
            if (!ReferenceEquals(rewritten, pair.Value))
            {
                result ??= new Dictionary<string, object?>(dictionary, StringComparer.Ordinal);
                result[pair.Key] = rewritten;
            }
        }

        return result;
    }

    private static string[]? RewriteStrings(string[] strings, Func<string, string> rewrite)
    {
        string[]? result = null;
        for (int i = 0; i < strings.Length; i++)
        {
            string rewritten = rewrite(strings[i]);
            if (!ReferenceEquals(rewritten, strings[i]))
            {
                result ??= (string[])strings.Clone();
                result[i] = rewritten;
            }
        }

        return result;
    }

    private static List<object?>? RewriteItems(IEnumerable<object?> items, Func<string, string> rewrite)
    {
        var result = new List<object?>();
        bool changed = false;
        foreach (object? item in items)
        {
            object? rewritten = RewriteValue(item, rewrite);
            changed |= !ReferenceEquals(rewritten, item);
            result.Add(rewritten);
        }

        return changed ? result : null;
    }

    private static bool WriteJson(JsonElement element, Utf8JsonWriter writer, Func<string, string> rewrite)
    {
        bool changed = false;
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
            {
                string original = element.GetString()!;
                string rewritten = rewrite(original);
                changed = !ReferenceEquals(rewritten, original);
                writer.WriteStringValue(rewritten);
                break;
            }

            case JsonValueKind.Object:
                writer.WriteStartObject();
                foreach (JsonProperty property in element.EnumerateObject())
                {
                    // Property names can hold values too (a map keyed by e-mail address).
                    string name = rewrite(property.Name);
                    changed |= !ReferenceEquals(name, property.Name);
                    writer.WritePropertyName(name);
                    changed |= WriteJson(property.Value, writer, rewrite);
                }

                writer.WriteEndObject();
                break;

            case JsonValueKind.Array:
                writer.WriteStartArray();
                foreach (JsonElement item in element.EnumerateArray())
                {
                    changed |= WriteJson(item, writer, rewrite);
                }

                writer.WriteEndArray();
                break;

            default:
                element.WriteTo(writer);
                break;
        }

        return changed;
    }
}
