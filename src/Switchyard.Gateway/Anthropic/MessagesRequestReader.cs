using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchyard.Gateway.OpenAI;
using Switchyard.Wire;

using static Switchyard.Gateway.OpenAI.WireRead;

namespace Switchyard.Gateway.Anthropic;

/// <summary>
/// Reads an Anthropic <c>POST /v1/messages</c> body into <see cref="MessagesRequest"/>. Every rejection is a
/// <see cref="WireFormatException"/> naming the parameter path (e.g. <c>messages[2].content[0].type</c>), so the
/// client gets a 400 it can act on.
/// </summary>
/// <remarks>
/// <para>
/// <c>tool_result</c> blocks of a user message are moved into <see cref="ChatRole.Tool"/> messages, as
/// Microsoft.Extensions.AI expects; the blocks around them keep their order (a user turn
/// <c>[tool_result, text]</c> becomes a tool message followed by a user message).
/// </para>
/// <para>
/// <c>cache_control</c> (on blocks, tools and the request), <c>citations</c> on text blocks, <c>service_tier</c>,
/// <c>thinking</c> and <c>tool_choice.disable_parallel_tool_use</c> (mapped to
/// <see cref="ChatOptions.AllowMultipleToolCalls"/>) are accepted. What Microsoft.Extensions.AI cannot express is kept
/// beside the translated request (<see cref="AnthropicNative"/>: the top-level <c>thinking</c>, <c>service_tier</c>,
/// <c>metadata</c>, <c>cache_control</c>, <c>tools</c> and <c>tool_choice</c> as sent, and each block's
/// <c>cache_control</c>) so an Anthropic upstream receives them intact; <c>citations</c> in a request are dropped. Documented features
/// Switchyard cannot route (server tools, documents, MCP servers, containers) are refused with
/// <c>unsupported_parameter</c>; unknown fields are refused with <c>unknown_parameter</c>.
/// </para>
/// </remarks>
public static class MessagesRequestReader
{
    /// <summary>
    /// Key set to <see langword="true"/> in <see cref="AIContent.AdditionalProperties"/> of a
    /// <see cref="TextReasoningContent"/> read from a <c>redacted_thinking</c> block (its <c>data</c> is in
    /// <see cref="TextReasoningContent.ProtectedData"/>).
    /// </summary>
    public const string RedactedThinkingKey = AnthropicNative.RedactedThinkingKey;

    /// <summary>
    /// Key set to <see langword="true"/> in <see cref="AIContent.AdditionalProperties"/> of a
    /// <see cref="FunctionResultContent"/> read from a <c>tool_result</c> block with <c>"is_error": true</c>.
    /// </summary>
    public const string ToolResultIsErrorKey = "anthropic.is_error";

    private static readonly HashSet<string> s_imageTypes = new(StringComparer.Ordinal) { "image/jpeg", "image/png", "image/gif", "image/webp" };

    private static readonly HashSet<string> s_unsupported = new(StringComparer.Ordinal)
    {
        "mcp_servers", "container", "context_management", "output_config", "output_format", "inference_geo",
    };

    /// <summary>Reads and validates a request body.</summary>
    /// <param name="root">The parsed body.</param>
    /// <param name="countTokens">A <c>/v1/messages/count_tokens</c> body: <c>max_tokens</c> is not required.</param>
    /// <exception cref="WireFormatException">The body is not a valid Messages API request.</exception>
    public static MessagesRequest Read(JsonElement root, bool countTokens = false)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new WireFormatException("The request body must be a JSON object.", null, "invalid_request_body");
        }

        string? model = null;
        int? maxTokens = null;
        List<ChatMessage>? messages = null;
        ChatMessage? system = null;
        var options = new ChatOptions();
        var stream = false;
        string? userId = null;
        Dictionary<string, object?>? native = null;

        foreach (var property in root.EnumerateObject())
        {
            var value = property.Value;
            var name = property.Name;
            if (value.ValueKind == JsonValueKind.Null && name is not "messages" and not "model" and not "max_tokens")
            {
                continue; // null means "not set" for optional parameters
            }

            switch (name)
            {
                case "model":
                    model = RequireString(value, name);
                    break;
                case "max_tokens":
                    maxTokens = RequireInt(value, name, 1, int.MaxValue);
                    break;
                case "messages":
                    messages = ReadMessages(value);
                    break;
                case "system":
                    system = ReadSystem(value);
                    break;
                case "stream":
                    stream = RequireBool(value, name);
                    break;
                case "temperature":
                    options.Temperature = (float)RequireNumber(value, name, 0, 1);
                    break;
                case "top_p":
                    options.TopP = (float)RequireNumber(value, name, 0, 1);
                    break;
                case "top_k":
                    options.TopK = RequireInt(value, name, 0, int.MaxValue);
                    break;
                case "stop_sequences":
                    options.StopSequences = ReadStopSequences(value);
                    break;
                case "metadata":
                    userId = ReadMetadata(value);
                    (native ??= [])[name] = value.Clone();
                    break;
                case "tools":
                    options.Tools = ReadTools(value);
                    (native ??= [])[name] = value.Clone();
                    break;
                case "tool_choice":
                    ReadToolChoice(value, options);
                    (native ??= [])[name] = value.Clone();
                    break;
                case "thinking":
                    ReadThinking(value);
                    (native ??= [])[name] = value.Clone();
                    break;
                case "cache_control":
                    ReadCacheControl(value, name);
                    (native ??= [])[name] = value.Clone();
                    break;
                case "service_tier":
                    if (RequireString(value, name) is not ("auto" or "standard_only"))
                    {
                        throw Invalid(name, "must be \"auto\" or \"standard_only\"");
                    }

                    (native ??= [])[name] = value.Clone();
                    break;
                default:
                    if (s_unsupported.Contains(name))
                    {
                        throw new WireFormatException($"'{name}' is not supported by Switchyard.", name, "unsupported_parameter");
                    }

                    throw Unknown(name);
            }
        }

        if (string.IsNullOrEmpty(model))
        {
            throw new WireFormatException("'model' is required: name a configured model or route (GET /v1/models lists them).", "model", "missing_required_parameter");
        }

        if (maxTokens is null && !countTokens)
        {
            throw Missing("max_tokens");
        }

        if (messages is null)
        {
            throw Missing("messages");
        }

        if (system is not null)
        {
            messages.Insert(0, system);
        }

        options.ModelId = model;
        options.MaxOutputTokens = maxTokens;
        if (userId is not null)
        {
            (options.AdditionalProperties ??= [])["user"] = userId;
        }

        if (native is not null)
        {
            // Passed verbatim to an Anthropic upstream; other providers drop what they cannot express.
            (options.AdditionalProperties ??= [])[AnthropicNative.BodyKey] = native;
        }

        return new MessagesRequest(model, messages, options, stream, userId);
    }

    private static ChatMessage? ReadSystem(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            return new ChatMessage(ChatRole.System, value.GetString());
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Invalid("system", "must be a string or an array of text blocks");
        }

        var message = new ChatMessage { Role = ChatRole.System };
        var i = 0;
        foreach (var block in value.EnumerateArray())
        {
            var path = $"system[{i++}]";
            var type = TypeOf(block, path);
            if (type != "text")
            {
                throw Invalid(path + ".type", "must be \"text\"");
            }

            message.Contents.Add(WithCacheControl(ReadTextBlock(block, path), block));
        }

        return message.Contents.Count == 0 ? null : message;
    }

    private static List<ChatMessage> ReadMessages(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Invalid("messages", "must be an array of messages");
        }

        var count = value.GetArrayLength();
        if (count == 0)
        {
            throw new WireFormatException("'messages' must contain at least one message.", "messages", "invalid_value");
        }

        var list = new List<ChatMessage>(count);
        var i = 0;
        foreach (var m in value.EnumerateArray())
        {
            ReadMessage(m, $"messages[{i}]", i == count - 1, list);
            i++;
        }

        return list;
    }

    private static void ReadMessage(JsonElement m, string path, bool last, List<ChatMessage> into)
    {
        if (m.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(path, "must be an object");
        }

        JsonElement content = default;
        string? role = null;
        foreach (var p in m.EnumerateObject())
        {
            switch (p.Name)
            {
                case "role":
                    role = RequireString(p.Value, path + ".role");
                    break;
                case "content":
                    content = p.Value;
                    break;
                default:
                    throw Unknown(path + "." + p.Name);
            }
        }

        var chatRole = role switch
        {
            null => throw Missing(path + ".role"),
            "user" => ChatRole.User,
            "assistant" => ChatRole.Assistant,
            "system" => throw Invalid(path + ".role", "'system' is not a message role here: use the top-level 'system' parameter"),
            _ => throw Invalid(path + ".role", $"'{role}' is not a supported role (user, assistant)"),
        };

        switch (content.ValueKind)
        {
            case JsonValueKind.Undefined or JsonValueKind.Null:
                throw Missing(path + ".content");
            case JsonValueKind.String:
                into.Add(new ChatMessage(chatRole, content.GetString()));
                return;
            case JsonValueKind.Array:
                break;
            default:
                throw Invalid(path + ".content", "must be a string or an array of content blocks");
        }

        if (content.GetArrayLength() == 0 && !(last && chatRole == ChatRole.Assistant))
        {
            throw Invalid(path + ".content", "must not be empty (only a final assistant message may be empty)");
        }

        ChatMessage? current = null;
        var i = 0;
        foreach (var block in content.EnumerateArray())
        {
            var blockPath = $"{path}.content[{i++}]";
            var type = TypeOf(block, blockPath);
            AIContent item;
            var itemRole = chatRole;
            switch (type)
            {
                case "text":
                    item = ReadTextBlock(block, blockPath);
                    break;
                case "image" when chatRole == ChatRole.User:
                    item = ReadImage(block, blockPath);
                    break;
                case "tool_result" when chatRole == ChatRole.User:
                    item = ReadToolResult(block, blockPath);
                    itemRole = ChatRole.Tool;
                    break;
                case "tool_use" when chatRole == ChatRole.Assistant:
                    item = ReadToolUse(block, blockPath);
                    break;
                case "thinking" when chatRole == ChatRole.Assistant:
                    CheckKeys(block, blockPath, "thinking", "signature");
                    item = new TextReasoningContent(RequireProperty(block, blockPath, "thinking"))
                    {
                        ProtectedData = RequireProperty(block, blockPath, "signature"),
                    };
                    break;
                case "redacted_thinking" when chatRole == ChatRole.Assistant:
                    CheckKeys(block, blockPath, "data");
                    item = new TextReasoningContent("")
                    {
                        ProtectedData = RequireProperty(block, blockPath, "data"),
                        AdditionalProperties = new() { [RedactedThinkingKey] = true },
                    };
                    break;
                case "text" or "image" or "tool_result" or "tool_use" or "thinking" or "redacted_thinking":
                    throw Invalid(blockPath + ".type", $"a '{type}' block is not allowed in a{(chatRole == ChatRole.User ? " user" : "n assistant")} message");
                case "document" or "search_result" or "server_tool_use" or "web_search_tool_result" or "container_upload" or "mcp_tool_use" or "mcp_tool_result":
                    throw new WireFormatException($"Content block type '{type}' is not supported by Switchyard.", blockPath + ".type", "unsupported_parameter");
                default:
                    throw Invalid(blockPath + ".type", $"'{type}' is not a known content block type");
            }

            if (current is null || current.Role != itemRole)
            {
                current = new ChatMessage { Role = itemRole };
                into.Add(current);
            }

            current.Contents.Add(WithCacheControl(item, block));
        }

        if (current is null)
        {
            into.Add(new ChatMessage { Role = chatRole }); // the empty final assistant turn (a prefill of nothing)
        }
    }

    private static TextContent ReadTextBlock(JsonElement block, string path)
    {
        CheckKeys(block, path, "text", "citations");
        if (block.TryGetProperty("citations", out var citations) && citations.ValueKind is not JsonValueKind.Null and not JsonValueKind.Array)
        {
            throw Invalid(path + ".citations", "must be an array");
        }

        return new TextContent(RequireProperty(block, path, "text"));
    }

    private static AIContent ReadImage(JsonElement block, string path)
    {
        CheckKeys(block, path, "source", "transformations");
        if (!block.TryGetProperty("source", out var source) || source.ValueKind == JsonValueKind.Null)
        {
            throw Missing(path + ".source");
        }

        var sourcePath = path + ".source";
        var type = TypeOf(source, sourcePath);
        switch (type)
        {
            case "base64":
                CheckKeys(source, sourcePath, "media_type", "data");
                var mediaType = RequireProperty(source, sourcePath, "media_type");
                if (!s_imageTypes.Contains(mediaType))
                {
                    throw Invalid(sourcePath + ".media_type", "must be one of image/jpeg, image/png, image/gif, image/webp");
                }

                var data = RequireProperty(source, sourcePath, "data");
                byte[] bytes;
                try
                {
                    bytes = Convert.FromBase64String(data);
                }
                catch (FormatException)
                {
                    throw Invalid(sourcePath + ".data", "is not valid base64");
                }

                return new DataContent(bytes, mediaType);
            case "url":
                CheckKeys(source, sourcePath, "url");
                var url = RequireProperty(source, sourcePath, "url");
                if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
                {
                    throw Invalid(sourcePath + ".url", "must be an absolute http(s) URL");
                }

                return new UriContent(uri, "image/*");
            case "file":
                throw new WireFormatException("Image sources of type 'file' are not supported by Switchyard.", sourcePath + ".type", "unsupported_parameter");
            default:
                throw Invalid(sourcePath + ".type", "must be \"base64\" or \"url\"");
        }
    }

    private static FunctionCallContent ReadToolUse(JsonElement block, string path)
    {
        // caller and toolset_name come back in history echoed from Anthropic responses: accepted, not used.
        CheckKeys(block, path, "id", "name", "input", "caller", "toolset_name");
        var id = RequireProperty(block, path, "id");
        var name = RequireProperty(block, path, "name");
        if (!block.TryGetProperty("input", out var input) || input.ValueKind == JsonValueKind.Null)
        {
            throw Missing(path + ".input");
        }

        if (input.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(path + ".input", "must be a JSON object");
        }

        var args = new Dictionary<string, object?>();
        foreach (var p in input.EnumerateObject())
        {
            args[p.Name] = p.Value.Clone();
        }

        return new FunctionCallContent(id, name, args);
    }

    private static FunctionResultContent ReadToolResult(JsonElement block, string path)
    {
        CheckKeys(block, path, "tool_use_id", "content", "is_error", "toolset_name");
        var id = RequireProperty(block, path, "tool_use_id");
        object? result = "";
        if (block.TryGetProperty("content", out var content) && content.ValueKind != JsonValueKind.Null)
        {
            result = ReadToolResultContent(content, path + ".content");
        }

        var fr = new FunctionResultContent(id, result);
        if (block.TryGetProperty("is_error", out var isError) && isError.ValueKind != JsonValueKind.Null && RequireBool(isError, path + ".is_error"))
        {
            fr.AdditionalProperties = new() { [ToolResultIsErrorKey] = true };
        }

        return fr;
    }

    /// <summary>A string stays a string; text-only blocks are joined into one string; blocks with images stay a list.</summary>
    private static object ReadToolResultContent(JsonElement content, string path)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            return content.GetString()!;
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            throw Invalid(path, "must be a string or an array of text and image blocks");
        }

        var items = new List<AIContent>();
        var i = 0;
        foreach (var block in content.EnumerateArray())
        {
            var blockPath = $"{path}[{i++}]";
            items.Add(TypeOf(block, blockPath) switch
            {
                "text" => ReadTextBlock(block, blockPath),
                "image" => ReadImage(block, blockPath),
                var other => throw Invalid(blockPath + ".type", $"'{other}' is not allowed in a tool result (text, image)"),
            });
        }

        return items.TrueForAll(c => c is TextContent) ? string.Concat(items.Cast<TextContent>().Select(t => t.Text)) : items;
    }

    private static List<AITool> ReadTools(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Invalid("tools", "must be an array");
        }

        var tools = new List<AITool>();
        var i = 0;
        foreach (var tool in value.EnumerateArray())
        {
            var path = $"tools[{i++}]";
            if (tool.ValueKind != JsonValueKind.Object)
            {
                throw Invalid(path, "must be an object");
            }

            if (tool.TryGetProperty("type", out var type) && type.ValueKind != JsonValueKind.Null)
            {
                var t = RequireString(type, path + ".type");
                if (t != "custom")
                {
                    throw new WireFormatException($"Tool type '{t}' is not supported by Switchyard: only client tools (\"custom\") are.", path + ".type", "unsupported_parameter");
                }
            }

            CheckKeys(tool, path, "name", "description", "input_schema", "strict");
            var name = RequireProperty(tool, path, "name");
            if (name.Length is 0 or > 128 || name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '_' or '-')))
            {
                throw Invalid(path + ".name", "must be 1–128 characters of a-z, A-Z, 0-9, _ or -");
            }

            string? description = tool.TryGetProperty("description", out var d) && d.ValueKind != JsonValueKind.Null ? RequireString(d, path + ".description") : null;
            if (!tool.TryGetProperty("input_schema", out var schema) || schema.ValueKind == JsonValueKind.Null)
            {
                throw Missing(path + ".input_schema");
            }

            if (schema.ValueKind != JsonValueKind.Object)
            {
                throw Invalid(path + ".input_schema", "must be a JSON Schema object");
            }

            var declaration = AIFunctionFactory.CreateDeclaration(name, description, schema.Clone());
            tools.Add(tool.TryGetProperty("strict", out var strict) && strict.ValueKind != JsonValueKind.Null
                ? StrictSchema.WithStrict(declaration, RequireBool(strict, path + ".strict"))
                : declaration);
        }

        return tools;
    }

    private static void ReadToolChoice(JsonElement value, ChatOptions options)
    {
        const string Path = "tool_choice";
        var type = TypeOf(value, Path);
        switch (type)
        {
            case "auto":
            case "any":
                CheckKeys(value, Path, "disable_parallel_tool_use");
                options.ToolMode = type == "auto" ? ChatToolMode.Auto : ChatToolMode.RequireAny;
                break;
            case "tool":
                CheckKeys(value, Path, "name", "disable_parallel_tool_use");
                options.ToolMode = ChatToolMode.RequireSpecific(RequireProperty(value, Path, "name"));
                break;
            case "none":
                CheckKeys(value, Path);
                options.ToolMode = ChatToolMode.None;
                break;
            default:
                throw Invalid(Path + ".type", $"'{type}' is not one of auto, any, tool, none");
        }

        if (value.TryGetProperty("disable_parallel_tool_use", out var disable) && disable.ValueKind != JsonValueKind.Null)
        {
            if (RequireBool(disable, Path + ".disable_parallel_tool_use"))
            {
                options.AllowMultipleToolCalls = false;
            }
        }
    }

    private static void ReadThinking(JsonElement value)
    {
        var type = TypeOf(value, "thinking");
        switch (type)
        {
            case "enabled":
                CheckKeys(value, "thinking", "budget_tokens", "display");
                if (!value.TryGetProperty("budget_tokens", out var budget))
                {
                    throw Missing("thinking.budget_tokens");
                }

                RequireInt(budget, "thinking.budget_tokens", 1, int.MaxValue);
                break;
            case "disabled":
            case "adaptive":
                CheckKeys(value, "thinking", "display");
                break;
            default:
                throw Invalid("thinking.type", $"'{type}' is not one of enabled, disabled, adaptive");
        }
    }

    private static void ReadCacheControl(JsonElement value, string path)
    {
        if (value.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        if (TypeOf(value, path) != "ephemeral")
        {
            throw Invalid(path + ".type", "must be \"ephemeral\"");
        }

        CheckKeys(value, path, "ttl");
    }

    private static List<string> ReadStopSequences(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Invalid("stop_sequences", "must be an array of strings");
        }

        var list = new List<string>();
        var i = 0;
        foreach (var s in value.EnumerateArray())
        {
            list.Add(RequireString(s, $"stop_sequences[{i++}]"));
        }

        return list;
    }

    private static string? ReadMetadata(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Object)
        {
            throw Invalid("metadata", "must be an object");
        }

        string? userId = null;
        foreach (var p in value.EnumerateObject())
        {
            if (p.Name != "user_id")
            {
                throw Unknown("metadata." + p.Name);
            }

            if (p.Value.ValueKind != JsonValueKind.Null)
            {
                userId = RequireString(p.Value, "metadata.user_id");
            }
        }

        return userId;
    }

    /// <summary>Keeps a block's <c>cache_control</c> on the content read from it, for an Anthropic upstream.</summary>
    private static AIContent WithCacheControl(AIContent item, JsonElement block)
    {
        if (block.TryGetProperty("cache_control", out var cache) && cache.ValueKind != JsonValueKind.Null)
        {
            (item.AdditionalProperties ??= [])[AnthropicNative.CacheControlKey] = cache.Clone();
        }

        return item;
    }

    /// <summary>Refuses properties other than <c>type</c>, <c>cache_control</c> (validated) and <paramref name="allowed"/>.</summary>
    private static void CheckKeys(JsonElement obj, string path, params ReadOnlySpan<string> allowed)
    {
        if (obj.TryGetProperty("cache_control", out var cache))
        {
            ReadCacheControl(cache, path + ".cache_control");
        }

        WireRead.CheckKeys(obj, path, "cache_control", allowed);
    }
}
