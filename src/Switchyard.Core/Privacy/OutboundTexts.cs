using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Switchyard.Privacy;

/// <summary>One piece of a request that can reach a provider, with the field it came from.</summary>
/// <param name="Path">Where it is, in the OpenAI wire's terms: <c>messages[2].name</c>, <c>tools[0].function.description</c>, <c>user</c>.</param>
/// <param name="Text">The text; empty for content the gateway cannot read.</param>
/// <param name="Message">Index of the message it belongs to, or -1 for request-level fields.</param>
/// <param name="Inspectable">False for content whose bytes the gateway cannot read as text (an image, audio, a remote URL's target).</param>
/// <param name="Pseudonymizable">Whether pseudonymisation rewrites this field (message text, tool-call arguments, tool results).</param>
/// <param name="Opaque">
/// A provider-issued opaque token (a thinking block's signature, redacted thinking's data): random-looking by design,
/// so the high-entropy secret pass does not count in it (<see cref="OpaqueTokens"/>); every other detector does.
/// </param>
public readonly record struct OutboundText(string Path, string Text, int Message, bool Inspectable, bool Pseudonymizable, bool Opaque = false);

/// <summary>
/// Enumerates every string of a request (<see cref="ChatMessage"/>s and <see cref="ChatOptions"/>) that a provider
/// client can send, so the privacy guard scans all of them: message text, names, reasoning, tool calls (name, id,
/// every argument key and value), tool results, text data URIs, URLs, instructions, stop sequences, the <c>user</c>
/// and any other extra property, tool definitions (name, description, the whole parameter schema: descriptions, enums,
/// defaults, examples, property names), the tool choice, the response format's name, description and schema.
/// </summary>
/// <remarks>
/// <see cref="Covered"/> and <see cref="NotText"/> name every public member of the request model that can hold text; a
/// test enumerates the model's members by reflection and fails when one is in neither, so a field added by a future
/// <c>Microsoft.Extensions.AI</c> cannot be forgotten silently.
/// </remarks>
public static class OutboundTexts
{
    /// <summary>Members the walker reads, with the path it records for them.</summary>
    public static IReadOnlyDictionary<string, string> Covered { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["ChatMessage.AuthorName"] = "messages[i].name",
        ["ChatMessage.Contents"] = "messages[i].content[j]",
        ["ChatMessage.MessageId"] = "messages[i].id",
        ["ChatMessage.AdditionalProperties"] = "messages[i].<key>",
        ["AIContent.AdditionalProperties"] = "messages[i].content[j].<key>",
        ["TextContent.Text"] = "messages[i].content[j]",
        ["TextReasoningContent.Text"] = "messages[i].content[j].reasoning",
        ["TextReasoningContent.ProtectedData"] = "messages[i].content[j].signature",
        ["FunctionCallContent.CallId"] = "messages[i].tool_calls[j].id",
        ["FunctionCallContent.Name"] = "messages[i].tool_calls[j].function.name",
        ["FunctionCallContent.Arguments"] = "messages[i].tool_calls[j].function.arguments.<key>",
        ["FunctionResultContent.CallId"] = "messages[i].tool_call_id",
        ["FunctionResultContent.Result"] = "messages[i].content",
        ["DataContent.Uri"] = "messages[i].content[j].data (text media types decoded; others uninspectable)",
        ["DataContent.Data"] = "messages[i].content[j].data",
        ["DataContent.Base64Data"] = "messages[i].content[j].data",
        ["DataContent.MediaType"] = "messages[i].content[j].media_type",
        ["DataContent.Name"] = "messages[i].content[j].name",
        ["UriContent.Uri"] = "messages[i].content[j].url (the URL is scanned; its target is uninspectable)",
        ["UriContent.MediaType"] = "messages[i].content[j].media_type",
        ["ChatOptions.Instructions"] = "instructions",
        ["ChatOptions.StopSequences"] = "stop[k]",
        ["ChatOptions.AdditionalProperties"] = "user, <key>",
        ["ChatOptions.Tools"] = "tools[k].function.(name|description|parameters…)",
        ["ChatOptions.ToolMode"] = "tool_choice.function.name",
        ["ChatOptions.ResponseFormat"] = "response_format.json_schema.(name|description|schema…)",
        ["ChatOptions.ConversationId"] = "conversation_id",
        ["AITool.Name"] = "tools[k].function.name",
        ["AITool.Description"] = "tools[k].function.description",
        ["AITool.AdditionalProperties"] = "tools[k].<key>",
        ["AIFunctionDeclaration.JsonSchema"] = "tools[k].function.parameters…",
        ["AIFunctionDeclaration.ReturnJsonSchema"] = "tools[k].function.returns…",
        ["ChatResponseFormatJson.Schema"] = "response_format.json_schema.schema…",
        ["ChatResponseFormatJson.SchemaName"] = "response_format.json_schema.name",
        ["ChatResponseFormatJson.SchemaDescription"] = "response_format.json_schema.description",
        ["RequiredChatToolMode.RequiredFunctionName"] = "tool_choice.function.name",
    };

    /// <summary>Members that can hold a string but carry none of the caller's text to a provider, and why.</summary>
    public static IReadOnlyDictionary<string, string> NotText { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["ChatMessage.Role"] = "one of the fixed roles the gateway reads (system, user, assistant, tool)",
        ["ChatMessage.Text"] = "computed from Contents, which are covered",
        ["ChatMessage.RawRepresentation"] = "never serialised by the provider clients",
        ["ChatMessage.CreatedAt"] = "a timestamp, not sent",
        ["AIContent.RawRepresentation"] = "never serialised by the provider clients",
        ["AIContent.Annotations"] = "response-side citations, not sent upstream",
        ["FunctionCallContent.Exception"] = "a parsing failure kept in process",
        ["FunctionCallContent.InformationalOnly"] = "a flag",
        ["FunctionResultContent.Exception"] = "kept in process",
        ["ChatOptions.ModelId"] = "replaced by the candidate's upstream model name before the call",
        ["ChatOptions.RawRepresentationFactory"] = "a delegate of the in-process caller",
        ["ChatOptions.ContinuationToken"] = "an opaque token from an earlier response",
        ["ChatOptions.Reasoning"] = "an effort level and an output mode (enums)",
    };

    /// <summary>Additional properties that belong to Switchyard itself (the trace, declared classes): never sent.</summary>
    public const string InternalPropertyPrefix = "switchyard.";

    /// <summary>Every piece of text of the request, in order: instructions, messages, then the other options.</summary>
    public static List<OutboundText> Collect(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var texts = new List<OutboundText>();
        if (!string.IsNullOrEmpty(options?.Instructions))
        {
            texts.Add(new OutboundText("instructions", options.Instructions, -1, true, false));
        }

        int i = 0;
        foreach (ChatMessage message in messages)
        {
            string path = $"messages[{i}]";
            Add(texts, path + ".name", message.AuthorName, i, false);
            Add(texts, path + ".id", message.MessageId, i, false);
            Properties(texts, path, message.AdditionalProperties, i, false);
            int j = 0;
            foreach (AIContent content in message.Contents)
            {
                Content(texts, $"{path}.content[{j}]", content, i);
                j++;
            }

            i++;
        }

        if (options is not null)
        {
            OptionTexts(texts, options);
        }

        return texts;
    }

    private static void OptionTexts(List<OutboundText> texts, ChatOptions options)
    {
        Add(texts, "conversation_id", options.ConversationId, -1, false);
        if (options.StopSequences is { } stop)
        {
            for (int k = 0; k < stop.Count; k++)
            {
                Add(texts, $"stop[{k}]", stop[k], -1, false);
            }
        }

        if (options.AdditionalProperties is { } properties)
        {
            foreach (var (key, value) in properties)
            {
                if (!key.StartsWith(InternalPropertyPrefix, StringComparison.Ordinal))
                {
                    Value(texts, key == "user" ? "user" : key, value, -1, false);
                }
            }
        }

        if (options.Tools is { } tools)
        {
            for (int k = 0; k < tools.Count; k++)
            {
                string path = $"tools[{k}].function";
                AITool tool = tools[k];
                Add(texts, path + ".name", tool.Name, -1, false);
                Add(texts, path + ".description", tool.Description, -1, false);
                Properties(texts, $"tools[{k}]", tool.AdditionalProperties, -1, false);
                if (tool is AIFunctionDeclaration function)
                {
                    Json(texts, path + ".parameters", function.JsonSchema, -1, false);
                    if (function.ReturnJsonSchema is { } returns)
                    {
                        Json(texts, path + ".returns", returns, -1, false);
                    }
                }
            }
        }

        if (options.ToolMode is RequiredChatToolMode { RequiredFunctionName: { } required })
        {
            Add(texts, "tool_choice.function.name", required, -1, false);
        }

        if (options.ResponseFormat is ChatResponseFormatJson format)
        {
            Add(texts, "response_format.json_schema.name", format.SchemaName, -1, false);
            Add(texts, "response_format.json_schema.description", format.SchemaDescription, -1, false);
            if (format.Schema is { } schema)
            {
                Json(texts, "response_format.json_schema.schema", schema, -1, false);
            }
        }
    }

    private static void Content(List<OutboundText> texts, string path, AIContent content, int message)
    {
        switch (content)
        {
            case TextContent text:
                Add(texts, path, text.Text, message, true);
                break;
            case TextReasoningContent reasoning:
                Add(texts, path + ".reasoning", reasoning.Text, message, true);
                if (!string.IsNullOrEmpty(reasoning.ProtectedData))
                {
                    texts.Add(new OutboundText(path + ".signature", reasoning.ProtectedData, message, true, false, Opaque: true));
                }

                break;
            case FunctionCallContent call:
                Add(texts, path + ".id", call.CallId, message, false);
                Add(texts, path + ".function.name", call.Name, message, false);
                if (call.Arguments is { } arguments)
                {
                    foreach (var (key, value) in arguments)
                    {
                        string argument = $"{path}.function.arguments.{key}";
                        Add(texts, argument + " (name)", key, message, false);
                        Value(texts, argument, value, message, true);
                    }
                }

                break;
            case FunctionResultContent result:
                Add(texts, path + ".tool_call_id", result.CallId, message, false);
                Value(texts, path + ".result", result.Result, message, true);
                break;
            case DataContent data:
                Add(texts, path + ".name", data.Name, message, false);
                if (IsTextMediaType(data.MediaType))
                {
                    Add(texts, path + ".data", DecodeText(data.Data.Span), message, false);
                }
                else
                {
                    texts.Add(new OutboundText(path + ".data", string.Empty, message, false, false));
                }

                break;
            case UriContent uri:
                Add(texts, path + ".url", uri.Uri.OriginalString, message, false);
                texts.Add(new OutboundText(path + ".url", string.Empty, message, false, false));
                break;
            default:
                // Usage, errors and whatever a future version adds: their text is not known here, so fail closed.
                texts.Add(new OutboundText(path, string.Empty, message, false, false));
                break;
        }

        Properties(texts, path, content.AdditionalProperties, message, false);
    }

    /// <summary>Whether data of this media type is text the scanner can read.</summary>
    public static bool IsTextMediaType(string? mediaType)
    {
        if (string.IsNullOrEmpty(mediaType))
        {
            return false;
        }

        int semicolon = mediaType.IndexOf(';', StringComparison.Ordinal);
        ReadOnlySpan<char> type = (semicolon < 0 ? mediaType.AsSpan() : mediaType.AsSpan(0, semicolon)).Trim();
        return type.StartsWith("text/", StringComparison.OrdinalIgnoreCase)
            || type.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || type.Equals("application/xml", StringComparison.OrdinalIgnoreCase)
            || type.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase)
            || type.Equals("application/javascript", StringComparison.OrdinalIgnoreCase)
            || type.Equals("application/x-ndjson", StringComparison.OrdinalIgnoreCase)
            || type.Equals("application/csv", StringComparison.OrdinalIgnoreCase)
            || type.Equals("application/yaml", StringComparison.OrdinalIgnoreCase)
            || (type.StartsWith("application/", StringComparison.OrdinalIgnoreCase) && (type.EndsWith("+json", StringComparison.OrdinalIgnoreCase) || type.EndsWith("+xml", StringComparison.OrdinalIgnoreCase)));
    }

    /// <summary>Bytes as text: UTF-8 (invalid sequences become U+FFFD, which no detector needs).</summary>
    public static string DecodeText(ReadOnlySpan<byte> bytes) => Encoding.UTF8.GetString(bytes);

    private static void Properties(List<OutboundText> texts, string path, IEnumerable<KeyValuePair<string, object?>>? properties, int message, bool pseudonymizable)
    {
        if (properties is null)
        {
            return;
        }

        foreach (var (key, value) in properties)
        {
            if (!key.StartsWith(InternalPropertyPrefix, StringComparison.Ordinal))
            {
                Value(texts, $"{path}.{key}", value, message, pseudonymizable);
            }
        }
    }

    private static void Value(List<OutboundText> texts, string path, object? value, int message, bool pseudonymizable)
    {
        switch (value)
        {
            case null:
                break;
            case string s:
                Add(texts, path, s, message, pseudonymizable);
                break;
            case JsonElement element:
                Json(texts, path, element, message, pseudonymizable);
                break;
            case System.Text.Json.Nodes.JsonNode node:
                Add(texts, path, node.ToJsonString(), message, pseudonymizable);
                break;
            case AIContent content:
                Content(texts, path, content, message);
                break;
            case IDictionary<string, object?> dictionary:
                foreach (var (key, item) in dictionary)
                {
                    Add(texts, $"{path}.{key} (name)", key, message, false);
                    Value(texts, $"{path}.{key}", item, message, pseudonymizable);
                }

                break;
            case System.Collections.IEnumerable items:
                int k = 0;
                foreach (object? item in items)
                {
                    Value(texts, $"{path}[{k++}]", item, message, pseudonymizable);
                }

                break;
            default:
                Add(texts, path, Convert.ToString(value, CultureInfo.InvariantCulture), message, pseudonymizable);
                break;
        }
    }

    /// <summary>Every string value and property name of a JSON document.</summary>
    private static void Json(List<OutboundText> texts, string path, JsonElement element, int message, bool pseudonymizable)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                Add(texts, path, element.GetString(), message, pseudonymizable);
                break;
            case JsonValueKind.Object:
                foreach (JsonProperty property in element.EnumerateObject())
                {
                    Add(texts, $"{path}.{property.Name} (name)", property.Name, message, false);
                    Json(texts, $"{path}.{property.Name}", property.Value, message, pseudonymizable);
                }

                break;
            case JsonValueKind.Array:
                int k = 0;
                foreach (JsonElement item in element.EnumerateArray())
                {
                    Json(texts, $"{path}[{k++}]", item, message, pseudonymizable);
                }

                break;
            case JsonValueKind.Number:
                Add(texts, path, element.GetRawText(), message, pseudonymizable);
                break;
        }
    }

    private static void Add(List<OutboundText> texts, string path, string? text, int message, bool pseudonymizable)
    {
        if (!string.IsNullOrEmpty(text))
        {
            texts.Add(new OutboundText(path, text, message, true, pseudonymizable));
        }
    }
}
