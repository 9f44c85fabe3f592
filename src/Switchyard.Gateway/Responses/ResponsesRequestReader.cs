using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchyard.Gateway.OpenAI;
using Switchyard.Wire;
using static Switchyard.Gateway.OpenAI.WireRead;

namespace Switchyard.Gateway.Responses;

/// <summary>
/// Reads an OpenAI <c>POST /v1/responses</c> body into <see cref="ResponsesRequest"/>. Every rejection is a
/// <see cref="WireFormatException"/> naming the parameter path (e.g. <c>input[2].content[0].type</c>), so the client
/// gets a 400 it can act on.
/// </summary>
/// <remarks>
/// <para>
/// Only the stateless subset is served: Switchyard keeps no responses, so <c>"store": true</c>,
/// <c>previous_response_id</c>, <c>conversation</c> and <c>"background": true</c> are refused with
/// <c>unsupported_parameter</c> (an absent <c>store</c> is accepted although the API's default is
/// <see langword="true"/>). Built-in tools (web search, file search, …) and input items that only they produce are
/// refused the same way; unknown fields are refused with <c>unknown_parameter</c>.
/// </para>
/// <para>
/// Input items map to messages in order: a <c>message</c> item (<c>developer</c> becomes <see cref="ChatRole.System"/>)
/// is one message; a <c>function_call</c> item is a <see cref="FunctionCallContent"/> added to the preceding assistant
/// message (or a new one); a <c>function_call_output</c> item is a <see cref="FunctionResultContent"/> added to the
/// preceding tool message (or a new one). <c>reasoning</c> items are accepted and dropped: Switchyard never emits them,
/// and their encrypted content is only meaningful to the provider that produced it. <c>metadata</c>,
/// <c>service_tier</c>, <c>safety_identifier</c>, <c>prompt_cache_key</c>, <c>prompt_cache_retention</c>,
/// <c>truncation</c> and <c>stream_options</c> are validated for shape and otherwise ignored.
/// </para>
/// </remarks>
public static class ResponsesRequestReader
{
    private static readonly HashSet<string> s_ignoredStrings = new(StringComparer.Ordinal)
    {
        "service_tier", "safety_identifier", "prompt_cache_key", "prompt_cache_retention",
    };

    private static readonly HashSet<string> s_unsupported = new(StringComparer.Ordinal)
    {
        "conversation", "prompt", "include", "top_logprobs", "max_tool_calls",
    };

    private static readonly HashSet<string> s_builtInItems = new(StringComparer.Ordinal)
    {
        "item_reference", "file_search_call", "web_search_call", "computer_call", "computer_call_output",
        "image_generation_call", "code_interpreter_call", "local_shell_call", "local_shell_call_output",
        "mcp_list_tools", "mcp_approval_request", "mcp_approval_response", "mcp_call", "custom_tool_call",
        "custom_tool_call_output", "shell_call", "shell_call_output", "apply_patch_call", "apply_patch_call_output",
        "compaction",
    };

    private static readonly JsonElement s_emptySchema = JsonDocument.Parse("""{"type":"object","properties":{}}""").RootElement.Clone();

    /// <summary>Reads and validates a request body.</summary>
    /// <param name="root">The parsed body.</param>
    /// <returns>The request.</returns>
    /// <exception cref="WireFormatException">The body is not a valid (stateless) Responses API request.</exception>
    public static ResponsesRequest Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new WireFormatException("The request body must be a JSON object.", null, "invalid_request_body");
        }

        string? model = null;
        List<ChatMessage>? messages = null;
        string? instructions = null;
        var options = new ChatOptions();
        var stream = false;
        string? user = null;

        foreach (var property in root.EnumerateObject())
        {
            var value = property.Value;
            var name = property.Name;
            if (value.ValueKind == JsonValueKind.Null && name is not "model" and not "input")
            {
                continue; // null means "not set" for optional parameters
            }

            switch (name)
            {
                case "model":
                    model = RequireString(value, name);
                    break;
                case "input":
                    messages = ReadInput(value);
                    break;
                case "instructions":
                    instructions = RequireString(value, name);
                    break;
                case "stream":
                    stream = RequireBool(value, name);
                    break;
                case "stream_options":
                    CheckKeys(RequireObject(value, name), name, "include_obfuscation");
                    break;
                case "temperature":
                    options.Temperature = (float)RequireNumber(value, name, 0, 2);
                    break;
                case "top_p":
                    options.TopP = (float)RequireNumber(value, name, 0, 1);
                    break;
                case "max_output_tokens":
                    options.MaxOutputTokens = RequireInt(value, name, 1, int.MaxValue);
                    break;
                case "user":
                    user = RequireString(value, name);
                    break;
                case "metadata":
                    foreach (var m in RequireObject(value, name).EnumerateObject())
                    {
                        RequireString(m.Value, name + "." + m.Name);
                    }

                    FieldFidelity.NoteIgnored(options, name);

                    break;
                case "tools":
                    options.Tools = ReadTools(value);
                    break;
                case "tool_choice":
                    options.ToolMode = ReadToolChoice(value);
                    break;
                case "parallel_tool_calls":
                    options.AllowMultipleToolCalls = RequireBool(value, name);
                    break;
                case "text":
                    ReadText(value, options);
                    break;
                case "reasoning":
                    ReadReasoning(value, options);
                    break;
                case "truncation":
                    if (RequireString(value, name) is not ("disabled" or "auto"))
                    {
                        throw Invalid(name, "must be \"disabled\" or \"auto\"");
                    }

                    FieldFidelity.NoteIgnored(options, name);

                    break;
                case "store":
                    if (RequireBool(value, name))
                    {
                        throw new WireFormatException("Stored responses are not supported; send store: false or omit it.", name, "unsupported_parameter");
                    }

                    FieldFidelity.NoteIgnored(options, name);

                    break;
                case "background":
                    if (RequireBool(value, name))
                    {
                        throw new WireFormatException("Background responses are not supported; send background: false or omit it.", name, "unsupported_parameter");
                    }

                    break;
                case "previous_response_id":
                    throw new WireFormatException("Stored responses are not supported, so 'previous_response_id' cannot be used: send the whole conversation in 'input'.", name, "unsupported_parameter");
                default:
                    if (s_ignoredStrings.Contains(name))
                    {
                        RequireString(value, name);
                        FieldFidelity.NoteIgnored(options, name);
                        break;
                    }

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

        if (messages is null)
        {
            throw Missing("input");
        }

        if (instructions is not null)
        {
            messages.Insert(0, new ChatMessage(ChatRole.System, instructions));
        }

        options.ModelId = model;
        if (user is not null)
        {
            (options.AdditionalProperties ??= [])["user"] = user;
        }

        return new ResponsesRequest(model, messages, options, stream, user);
    }

    private static List<ChatMessage> ReadInput(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                return [new ChatMessage(ChatRole.User, value.GetString())];
            case JsonValueKind.Array:
                break;
            case JsonValueKind.Null:
                throw Missing("input");
            default:
                throw Invalid("input", "must be a string or an array of input items");
        }

        if (value.GetArrayLength() == 0)
        {
            throw Invalid("input", "must contain at least one item");
        }

        var list = new List<ChatMessage>();
        var i = 0;
        foreach (var item in value.EnumerateArray())
        {
            ReadItem(item, $"input[{i++}]", list);
        }

        return list;
    }

    private static void ReadItem(JsonElement item, string path, List<ChatMessage> into)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(path, "must be an object");
        }

        string type;
        if (item.TryGetProperty("type", out var t) && t.ValueKind != JsonValueKind.Null)
        {
            type = RequireString(t, path + ".type");
        }
        else if (item.TryGetProperty("role", out _))
        {
            type = "message"; // an easy input message: {"role","content"}
        }
        else
        {
            throw Missing(path + ".type");
        }

        switch (type)
        {
            case "message":
                into.Add(ReadMessage(item, path));
                break;
            case "function_call":
                CheckKeys(item, path, "call_id", "name", "arguments", "id", "status");
                var callId = RequireProperty(item, path, "call_id");
                var name = RequireProperty(item, path, "name");
                var argumentsJson = RequireProperty(item, path, "arguments");
                Dictionary<string, object?> arguments;
                try
                {
                    arguments = ToolArguments.Parse(argumentsJson);
                }
                catch (JsonException)
                {
                    throw Invalid(path + ".arguments", "must be a JSON object encoded as a string");
                }

                Append(into, ChatRole.Assistant, new FunctionCallContent(callId, name, arguments));
                break;
            case "function_call_output":
                CheckKeys(item, path, "call_id", "output", "id", "status");
                var resultId = RequireProperty(item, path, "call_id");
                if (!item.TryGetProperty("output", out var output) || output.ValueKind == JsonValueKind.Null)
                {
                    throw Missing(path + ".output");
                }

                Append(into, ChatRole.Tool, new FunctionResultContent(resultId, ReadFunctionOutput(output, path + ".output")));
                break;
            case "reasoning":
                CheckKeys(item, path, "id", "summary", "content", "encrypted_content", "status");
                break; // accepted and dropped (see the class remarks)
            default:
                if (s_builtInItems.Contains(type))
                {
                    throw new WireFormatException($"Input items of type '{type}' are not supported by Switchyard.", path + ".type", "unsupported_parameter");
                }

                throw Invalid(path + ".type", $"'{type}' is not a known input item type (message, function_call, function_call_output, reasoning)");
        }
    }

    private static void Append(List<ChatMessage> into, ChatRole role, AIContent content)
    {
        if (into.Count > 0 && into[^1].Role == role)
        {
            into[^1].Contents.Add(content);
            return;
        }

        into.Add(new ChatMessage(role, [content]));
    }

    private static ChatMessage ReadMessage(JsonElement item, string path)
    {
        CheckKeys(item, path, "role", "content", "id", "status");
        var role = RequireProperty(item, path, "role");
        var chatRole = role switch
        {
            "user" => ChatRole.User,
            "assistant" => ChatRole.Assistant,
            "system" or "developer" => ChatRole.System,
            _ => throw Invalid(path + ".role", $"'{role}' is not one of user, assistant, system, developer"),
        };

        if (!item.TryGetProperty("content", out var content) || content.ValueKind == JsonValueKind.Null)
        {
            throw Missing(path + ".content");
        }

        if (content.ValueKind == JsonValueKind.String)
        {
            return new ChatMessage(chatRole, content.GetString());
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            throw Invalid(path + ".content", "must be a string or an array of content parts");
        }

        var message = new ChatMessage { Role = chatRole };
        var i = 0;
        foreach (var part in content.EnumerateArray())
        {
            var partPath = $"{path}.content[{i++}]";
            var type = TypeOf(part, partPath);
            switch (type)
            {
                case "input_text":
                    CheckKeys(part, partPath, "text");
                    message.Contents.Add(new TextContent(RequireProperty(part, partPath, "text")));
                    break;
                case "output_text" when chatRole == ChatRole.Assistant:
                    CheckKeys(part, partPath, "text", "annotations", "logprobs");
                    message.Contents.Add(new TextContent(RequireProperty(part, partPath, "text")));
                    break;
                case "refusal" when chatRole == ChatRole.Assistant:
                    CheckKeys(part, partPath, "refusal");
                    message.Contents.Add(new TextContent(RequireProperty(part, partPath, "refusal")));
                    break;
                case "input_image" when chatRole == ChatRole.User:
                    message.Contents.Add(ReadImage(part, partPath));
                    break;
                case "output_text" or "refusal" or "input_image":
                    throw Invalid(partPath + ".type", $"a '{type}' part is not allowed in a {role} message");
                case "input_file" or "input_audio":
                    throw new WireFormatException($"Content parts of type '{type}' are not supported by Switchyard.", partPath + ".type", "unsupported_parameter");
                default:
                    throw Invalid(partPath + ".type", $"'{type}' is not a known content part type (input_text, input_image, output_text, refusal)");
            }
        }

        return message;
    }

    private static AIContent ReadImage(JsonElement part, string path)
    {
        CheckKeys(part, path, "image_url", "file_id", "detail");
        if (part.TryGetProperty("detail", out var detail) && detail.ValueKind != JsonValueKind.Null
            && RequireString(detail, path + ".detail") is not ("auto" or "low" or "high"))
        {
            throw Invalid(path + ".detail", "must be one of auto, low, high");
        }

        if (part.TryGetProperty("file_id", out var fileId) && fileId.ValueKind != JsonValueKind.Null)
        {
            throw new WireFormatException("Images by 'file_id' are not supported by Switchyard: send an image_url (http(s) or data: URL).", path + ".file_id", "unsupported_parameter");
        }

        var url = RequireProperty(part, path, "image_url");
        if (url.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                return new DataContent(url);
            }
            catch (Exception ex) when (ex is FormatException or ArgumentException)
            {
                throw Invalid(path + ".image_url", "is not a valid base64 data URL");
            }
        }

        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
        {
            throw Invalid(path + ".image_url", "must be an absolute http(s) URL or a data: URL");
        }

        return new UriContent(uri, "image/*");
    }

    /// <summary>A string stays a string; text-only parts are joined into one string; parts with images stay a list.</summary>
    private static object ReadFunctionOutput(JsonElement output, string path)
    {
        if (output.ValueKind == JsonValueKind.String)
        {
            return output.GetString()!;
        }

        if (output.ValueKind != JsonValueKind.Array)
        {
            throw Invalid(path, "must be a string or an array of input_text and input_image parts");
        }

        var items = new List<AIContent>();
        var i = 0;
        foreach (var part in output.EnumerateArray())
        {
            var partPath = $"{path}[{i++}]";
            switch (TypeOf(part, partPath))
            {
                case "input_text":
                    CheckKeys(part, partPath, "text");
                    items.Add(new TextContent(RequireProperty(part, partPath, "text")));
                    break;
                case "input_image":
                    items.Add(ReadImage(part, partPath));
                    break;
                case var other:
                    throw Invalid(partPath + ".type", $"'{other}' is not allowed in a function call output (input_text, input_image)");
            }
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
            var type = TypeOf(tool, path);
            if (type != "function")
            {
                throw new WireFormatException($"Tool type '{type}' is not supported by Switchyard: only \"function\" tools are.", path + ".type", "unsupported_parameter");
            }

            CheckKeys(tool, path, "name", "description", "parameters", "strict");
            var name = RequireProperty(tool, path, "name");
            if (name.Length is 0 or > 64 || name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '_' or '-')))
            {
                throw Invalid(path + ".name", "must be 1–64 characters of a-z, A-Z, 0-9, _ or -");
            }

            string? description = tool.TryGetProperty("description", out var d) && d.ValueKind != JsonValueKind.Null ? RequireString(d, path + ".description") : null;
            var schema = s_emptySchema;
            if (tool.TryGetProperty("parameters", out var parameters) && parameters.ValueKind != JsonValueKind.Null)
            {
                schema = parameters.ValueKind == JsonValueKind.Object ? parameters.Clone() : throw Invalid(path + ".parameters", "must be a JSON Schema object");
            }

            // The Responses API's function tools are strict unless they say otherwise.
            var strict = !(tool.TryGetProperty("strict", out var s) && s.ValueKind != JsonValueKind.Null) || RequireBool(s, path + ".strict");
            tools.Add(Switchyard.Wire.StrictSchema.WithStrict(AIFunctionFactory.CreateDeclaration(name, description, schema), strict));
        }

        return tools;
    }

    private static ChatToolMode ReadToolChoice(JsonElement value)
    {
        const string Path = "tool_choice";
        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString() switch
            {
                "auto" => ChatToolMode.Auto,
                "none" => ChatToolMode.None,
                "required" => ChatToolMode.RequireAny,
                var other => throw Invalid(Path, $"'{other}' is not one of auto, none, required"),
            };
        }

        var type = TypeOf(value, Path);
        if (type != "function")
        {
            throw new WireFormatException($"tool_choice of type '{type}' is not supported by Switchyard: use auto, none, required or {{\"type\":\"function\",\"name\":…}}.", Path + ".type", "unsupported_parameter");
        }

        CheckKeys(value, Path, "name");
        return ChatToolMode.RequireSpecific(RequireProperty(value, Path, "name"));
    }

    private static void ReadText(JsonElement value, ChatOptions options)
    {
        CheckKeys(RequireObject(value, "text"), "text", "format", "verbosity");
        if (value.TryGetProperty("verbosity", out var verbosity) && verbosity.ValueKind != JsonValueKind.Null
            && RequireString(verbosity, "text.verbosity") is not ("low" or "medium" or "high"))
        {
            throw Invalid("text.verbosity", "must be one of low, medium, high");
        }

        if (!value.TryGetProperty("format", out var format) || format.ValueKind == JsonValueKind.Null)
        {
            return;
        }

        const string Path = "text.format";
        var type = TypeOf(format, Path);
        switch (type)
        {
            case "text":
                CheckKeys(format, Path);
                options.ResponseFormat = ChatResponseFormat.Text;
                break;
            case "json_object":
                CheckKeys(format, Path);
                options.ResponseFormat = ChatResponseFormat.Json;
                break;
            case "json_schema":
                CheckKeys(format, Path, "name", "schema", "description", "strict");
                var name = RequireProperty(format, Path, "name");
                string? description = format.TryGetProperty("description", out var d) && d.ValueKind != JsonValueKind.Null ? RequireString(d, Path + ".description") : null;
                if (!format.TryGetProperty("schema", out var schema) || schema.ValueKind == JsonValueKind.Null)
                {
                    throw Missing(Path + ".schema");
                }

                if (schema.ValueKind != JsonValueKind.Object)
                {
                    throw Invalid(Path + ".schema", "must be a JSON Schema object");
                }

                if (format.TryGetProperty("strict", out var strict) && strict.ValueKind != JsonValueKind.Null)
                {
                    Switchyard.Wire.StrictSchema.SetForResponseFormat(options, RequireBool(strict, Path + ".strict"));
                }

                options.ResponseFormat = ChatResponseFormat.ForJsonSchema(schema.Clone(), name, description);
                break;
            default:
                throw Invalid(Path + ".type", $"'{type}' is not one of text, json_object, json_schema");
        }
    }

    private static void ReadReasoning(JsonElement value, ChatOptions options)
    {
        CheckKeys(RequireObject(value, "reasoning"), "reasoning", "effort", "summary", "generate_summary");
        if (value.TryGetProperty("effort", out var effort) && effort.ValueKind != JsonValueKind.Null)
        {
            options.Reasoning = new ReasoningOptions
            {
                Effort = RequireString(effort, "reasoning.effort") switch
                {
                    "none" => ReasoningEffort.None,
                    "minimal" or "low" => ReasoningEffort.Low,
                    "medium" => ReasoningEffort.Medium,
                    "high" or "xhigh" => ReasoningEffort.High,
                    _ => throw Invalid("reasoning.effort", "must be one of none, minimal, low, medium, high, xhigh"),
                },
            };
        }

        foreach (var key in (ReadOnlySpan<string>)["summary", "generate_summary"])
        {
            if (value.TryGetProperty(key, out var summary) && summary.ValueKind != JsonValueKind.Null)
            {
                RequireString(summary, "reasoning." + key);
            }
        }
    }

    private static void CheckKeys(JsonElement obj, string path, params ReadOnlySpan<string> allowed) => WireRead.CheckKeys(obj, path, null, allowed);

    private static JsonElement RequireObject(JsonElement value, string param)
    {
        WireRead.RequireObject(value, param);
        return value;
    }
}
