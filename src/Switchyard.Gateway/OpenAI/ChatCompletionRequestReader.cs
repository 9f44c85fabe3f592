using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchyard.Wire;

using static Switchyard.Gateway.OpenAI.WireRead;

namespace Switchyard.Gateway.OpenAI;

/// <summary>
/// Reads an OpenAI <c>POST /v1/chat/completions</c> body into <see cref="ChatCompletionRequest"/>. Every rejection is a
/// <see cref="WireFormatException"/> naming the parameter, so the client gets a 400 it can act on.
/// </summary>
/// <remarks>
/// Parameters Switchyard cannot honour (<c>n</c> &gt; 1, <c>logprobs</c>, audio output, …) are refused rather than
/// silently dropped; parameters that only concern OpenAI's own service (<c>store</c>, <c>metadata</c>, …) are accepted
/// and ignored. Unknown parameters are refused, as OpenAI itself does.
/// </remarks>
public static class ChatCompletionRequestReader
{
    private static readonly HashSet<string> s_ignored = new(StringComparer.Ordinal)
    {
        "store", "metadata", "service_tier", "safety_identifier", "prompt_cache_key", "prompt_cache_retention", "verbosity",
    };

    /// <summary>Reads and validates a request body.</summary>
    public static ChatCompletionRequest Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new WireFormatException("The request body must be a JSON object.", null, "invalid_request_body");
        }

        string? model = null;
        List<ChatMessage>? messages = null;
        var options = new ChatOptions();
        bool stream = false, includeUsage = false;
        string? user = null;

        foreach (var property in root.EnumerateObject())
        {
            var value = property.Value;
            var name = property.Name;
            if (value.ValueKind == JsonValueKind.Null && name is not "messages" and not "model")
            {
                continue; // null means "not set" for optional parameters
            }

            switch (name)
            {
                case "model":
                    model = RequireString(value, name);
                    break;
                case "messages":
                    messages = ReadMessages(value);
                    break;
                case "stream":
                    stream = RequireBool(value, name);
                    break;
                case "stream_options":
                    RequireObject(value, name);
                    foreach (var so in value.EnumerateObject())
                    {
                        if (so.Name == "include_usage")
                        {
                            includeUsage = so.Value.ValueKind != JsonValueKind.Null && RequireBool(so.Value, "stream_options.include_usage");
                        }
                        else if (so.Name != "include_obfuscation")
                        {
                            throw Unknown("stream_options." + so.Name);
                        }
                    }

                    break;
                case "temperature":
                    options.Temperature = (float)RequireNumber(value, name, 0, 2);
                    break;
                case "top_p":
                    options.TopP = (float)RequireNumber(value, name, 0, 1);
                    break;
                case "frequency_penalty":
                    options.FrequencyPenalty = (float)RequireNumber(value, name, -2, 2);
                    break;
                case "top_k":
                    // llama.cpp / vLLM sampling fields: passed to embedded and OpenAI-compatible candidates, not to OpenAI.
                    options.TopK = RequireInt(value, name, 0, 1_000_000);
                    break;
                case "min_p":
                    (options.AdditionalProperties ??= [])["min_p"] = (float)RequireNumber(value, name, 0, 1);
                    break;
                case "repetition_penalty":
                    (options.AdditionalProperties ??= [])["repetition_penalty"] = (float)RequireNumber(value, name, 0.01, 10);
                    break;
                case "presence_penalty":
                    options.PresencePenalty = (float)RequireNumber(value, name, -2, 2);
                    break;
                case "max_tokens":
                case "max_completion_tokens":
                    options.MaxOutputTokens = RequireInt(value, name, 1, int.MaxValue);
                    break;
                case "stop":
                    options.StopSequences = ReadStop(value);
                    break;
                case "seed":
                    if (value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var seed))
                    {
                        throw Invalid(name, "must be an integer");
                    }

                    options.Seed = seed;
                    break;
                case "user":
                    user = RequireString(value, name);
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
                case "response_format":
                    options.ResponseFormat = ReadResponseFormat(value, options);
                    break;
                case "n":
                    if (RequireInt(value, name, 1, 128) != 1)
                    {
                        throw new WireFormatException("Only n=1 is supported: Switchyard routes each choice separately, so ask for one completion per request.", name, "unsupported_parameter");
                    }

                    break;
                case "logprobs":
                    if (RequireBool(value, name))
                    {
                        throw new WireFormatException("logprobs is not supported by Switchyard.", name, "unsupported_parameter");
                    }

                    break;
                case "top_logprobs":
                case "logit_bias":
                case "audio":
                case "prediction":
                case "functions":
                case "function_call":
                case "web_search_options":
                    throw new WireFormatException($"'{name}' is not supported by Switchyard.", name, "unsupported_parameter");
                case "modalities":
                    if (value.ValueKind != JsonValueKind.Array || value.EnumerateArray().Any(m => m.ValueKind != JsonValueKind.String || m.GetString() != "text"))
                    {
                        throw new WireFormatException("Only the \"text\" modality is supported.", name, "unsupported_parameter");
                    }

                    break;
                case "extra_body":
                    (options.AdditionalProperties ??= [])[Switchyard.Wire.ExtraBody.Key] = ReadExtraBody(value);
                    break;
                case "reasoning_effort":
                    options.Reasoning = new ReasoningOptions { Effort = RequireString(value, name) switch
                    {
                        "none" => ReasoningEffort.None,
                        "minimal" or "low" => ReasoningEffort.Low,
                        "medium" => ReasoningEffort.Medium,
                        "high" => ReasoningEffort.High,
                        _ => throw Invalid(name, "must be one of none, minimal, low, medium, high"),
                    } };
                    break;
                default:
                    if (!s_ignored.Contains(name))
                    {
                        throw Unknown(name);
                    }

                    Switchyard.Wire.FieldFidelity.NoteIgnored(options, name);

                    break;
            }
        }

        if (string.IsNullOrEmpty(model))
        {
            throw new WireFormatException("'model' is required: name a configured model or route (GET /v1/models lists them).", "model", "missing_required_parameter");
        }

        if (messages is null)
        {
            throw new WireFormatException("'messages' is required.", "messages", "missing_required_parameter");
        }

        if (!stream && includeUsage)
        {
            includeUsage = false;
        }

        options.ModelId = model;
        if (user is not null)
        {
            (options.AdditionalProperties ??= [])["user"] = user;
        }

        return new ChatCompletionRequest(model, messages, options, stream, includeUsage, user);
    }

    private static List<ChatMessage> ReadMessages(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Invalid("messages", "must be an array of messages");
        }

        var list = new List<ChatMessage>(value.GetArrayLength());
        var i = 0;
        foreach (var m in value.EnumerateArray())
        {
            list.Add(ReadMessage(m, $"messages[{i}]"));
            i++;
        }

        if (list.Count == 0)
        {
            throw new WireFormatException("'messages' must contain at least one message.", "messages", "invalid_value");
        }

        return list;
    }

    private static ChatMessage ReadMessage(JsonElement m, string path)
    {
        if (m.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(path, "must be an object");
        }

        if (!m.TryGetProperty("role", out var roleElement) || roleElement.ValueKind != JsonValueKind.String)
        {
            throw new WireFormatException($"'{path}.role' is required: system, developer, user, assistant or tool.", path + ".role", "missing_required_parameter");
        }

        var role = roleElement.GetString();
        var message = new ChatMessage
        {
            Role = role switch
            {
                "system" or "developer" => ChatRole.System,
                "user" => ChatRole.User,
                "assistant" => ChatRole.Assistant,
                "tool" => ChatRole.Tool,
                _ => throw Invalid(path + ".role", $"'{role}' is not a supported role (system, developer, user, assistant, tool)"),
            },
        };

        JsonElement content = default;
        var hasContent = false;
        foreach (var p in m.EnumerateObject())
        {
            switch (p.Name)
            {
                case "role":
                    break;
                case "content":
                    content = p.Value;
                    hasContent = p.Value.ValueKind != JsonValueKind.Null;
                    break;
                case "name":
                    if (p.Value.ValueKind != JsonValueKind.Null)
                    {
                        message.AuthorName = RequireString(p.Value, path + ".name");
                    }

                    break;
                case "tool_calls":
                case "tool_call_id":
                case "refusal":
                case "audio":
                case "function_call":
                    break; // handled below per role
                default:
                    throw Unknown(path + "." + p.Name);
            }
        }

        if (message.Role == ChatRole.Tool)
        {
            if (!m.TryGetProperty("tool_call_id", out var idElement) || idElement.ValueKind != JsonValueKind.String)
            {
                throw new WireFormatException($"'{path}.tool_call_id' is required for a tool message.", path + ".tool_call_id", "missing_required_parameter");
            }

            var text = hasContent ? ReadText(content, path + ".content") : "";
            message.Contents.Add(new FunctionResultContent(idElement.GetString()!, text));
            return message;
        }

        if (hasContent)
        {
            ReadContent(content, path + ".content", message);
        }

        if (message.Role == ChatRole.Assistant && m.TryGetProperty("tool_calls", out var calls) && calls.ValueKind != JsonValueKind.Null)
        {
            ReadToolCalls(calls, path + ".tool_calls", message);
        }
        else if (!hasContent && message.Role != ChatRole.Assistant)
        {
            throw new WireFormatException($"'{path}.content' is required.", path + ".content", "missing_required_parameter");
        }

        return message;
    }

    private static void ReadContent(JsonElement content, string path, ChatMessage message)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            message.Contents.Add(new TextContent(content.GetString()));
            return;
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            throw Invalid(path, "must be a string or an array of content parts");
        }

        var i = 0;
        foreach (var part in content.EnumerateArray())
        {
            var partPath = $"{path}[{i++}]";
            if (part.ValueKind != JsonValueKind.Object || !part.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
            {
                throw Invalid(partPath, "must be an object with a 'type'");
            }

            switch (type.GetString())
            {
                case "text":
                    message.Contents.Add(new TextContent(part.TryGetProperty("text", out var t) ? RequireString(t, partPath + ".text") : throw Missing(partPath + ".text")));
                    break;
                case "refusal":
                    message.Contents.Add(new TextContent(part.TryGetProperty("refusal", out var r) ? RequireString(r, partPath + ".refusal") : ""));
                    break;
                case "image_url" when message.Role == ChatRole.User:
                    if (!part.TryGetProperty("image_url", out var img) || img.ValueKind != JsonValueKind.Object || !img.TryGetProperty("url", out var urlElement))
                    {
                        throw Missing(partPath + ".image_url.url");
                    }

                    var url = RequireString(urlElement, partPath + ".image_url.url");
                    if (url.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
                    {
                        try
                        {
                            message.Contents.Add(new DataContent(url));
                        }
                        catch (Exception ex) when (ex is FormatException or ArgumentException)
                        {
                            throw Invalid(partPath + ".image_url.url", "is not a valid data URI");
                        }
                    }
                    else if (Uri.TryCreate(url, UriKind.Absolute, out var uri))
                    {
                        message.Contents.Add(new UriContent(uri, "image/*"));
                    }
                    else
                    {
                        throw Invalid(partPath + ".image_url.url", "must be an absolute URL or a data URI");
                    }

                    break;
                default:
                    throw new WireFormatException($"Content part type '{type.GetString()}' is not supported here.", partPath + ".type", "unsupported_parameter");
            }
        }
    }

    private static string ReadText(JsonElement content, string path)
    {
        if (content.ValueKind == JsonValueKind.String)
        {
            return content.GetString()!;
        }

        if (content.ValueKind != JsonValueKind.Array)
        {
            throw Invalid(path, "must be a string or an array of text parts");
        }

        var parts = new List<string>();
        var i = 0;
        foreach (var part in content.EnumerateArray())
        {
            var partPath = $"{path}[{i++}]";
            if (part.ValueKind != JsonValueKind.Object || !part.TryGetProperty("type", out var type) || type.GetString() != "text" || !part.TryGetProperty("text", out var text))
            {
                throw Invalid(partPath, "must be a text part {\"type\":\"text\",\"text\":…}");
            }

            parts.Add(RequireString(text, partPath + ".text"));
        }

        return string.Concat(parts);
    }

    private static void ReadToolCalls(JsonElement calls, string path, ChatMessage message)
    {
        if (calls.ValueKind != JsonValueKind.Array)
        {
            throw Invalid(path, "must be an array");
        }

        var i = 0;
        foreach (var call in calls.EnumerateArray())
        {
            var callPath = $"{path}[{i++}]";
            if (call.ValueKind != JsonValueKind.Object)
            {
                throw Invalid(callPath, "must be an object");
            }

            var id = call.TryGetProperty("id", out var idElement) ? RequireString(idElement, callPath + ".id") : throw Missing(callPath + ".id");
            if (call.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString() != "function")
            {
                throw Invalid(callPath + ".type", "must be \"function\"");
            }

            if (!call.TryGetProperty("function", out var function) || function.ValueKind != JsonValueKind.Object)
            {
                throw Missing(callPath + ".function");
            }

            var name = function.TryGetProperty("name", out var n) ? RequireString(n, callPath + ".function.name") : throw Missing(callPath + ".function.name");
            var args = function.TryGetProperty("arguments", out var a) ? RequireString(a, callPath + ".function.arguments") : "{}";
            message.Contents.Add(new FunctionCallContent(id, name, ParseArguments(args, callPath + ".function.arguments")));
        }
    }

    private static Dictionary<string, object?> ParseArguments(string json, string path)
    {
        try
        {
            return ToolArguments.Parse(json);
        }
        catch (JsonException)
        {
            throw Invalid(path, "must be a JSON object encoded as a string");
        }
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

            if (!tool.TryGetProperty("type", out var type) || type.GetString() != "function")
            {
                throw new WireFormatException("Only tools of type \"function\" are supported.", path + ".type", "unsupported_parameter");
            }

            if (!tool.TryGetProperty("function", out var function) || function.ValueKind != JsonValueKind.Object)
            {
                throw Missing(path + ".function");
            }

            var name = function.TryGetProperty("name", out var n) ? RequireString(n, path + ".function.name") : throw Missing(path + ".function.name");
            if (name.Length is 0 or > 64 || name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '_' or '-')))
            {
                throw Invalid(path + ".function.name", "must be 1–64 characters of a-z, A-Z, 0-9, _ or -");
            }

            string? description = function.TryGetProperty("description", out var d) && d.ValueKind != JsonValueKind.Null ? RequireString(d, path + ".function.description") : null;
            JsonElement schema;
            if (function.TryGetProperty("parameters", out var parameters) && parameters.ValueKind != JsonValueKind.Null)
            {
                if (parameters.ValueKind != JsonValueKind.Object)
                {
                    throw Invalid(path + ".function.parameters", "must be a JSON Schema object");
                }

                schema = parameters.Clone();
            }
            else
            {
                schema = EmptySchema;
            }

            var declaration = AIFunctionFactory.CreateDeclaration(name, description, schema);
            tools.Add(function.TryGetProperty("strict", out var strict) && strict.ValueKind != JsonValueKind.Null
                ? Switchyard.Wire.StrictSchema.WithStrict(declaration, RequireBool(strict, path + ".function.strict"))
                : declaration);
        }

        return tools;
    }

    private static Dictionary<string, object?> ReadExtraBody(JsonElement value)
    {
        RequireObject(value, "extra_body");
        var fields = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var field in value.EnumerateObject())
        {
            if (Switchyard.Wire.ExtraBody.Reserved.Contains(field.Name))
            {
                throw Invalid("extra_body." + field.Name, "is a Chat Completions field: set it at the top level of the request");
            }

            fields[field.Name] = field.Value.Clone();
        }

        return fields;
    }

    private static readonly JsonElement EmptySchema = JsonDocument.Parse("""{"type":"object","properties":{}}""").RootElement.Clone();

    private static ChatToolMode ReadToolChoice(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            return value.GetString() switch
            {
                "auto" => ChatToolMode.Auto,
                "none" => ChatToolMode.None,
                "required" => ChatToolMode.RequireAny,
                var other => throw Invalid("tool_choice", $"'{other}' is not one of auto, none, required"),
            };
        }

        if (value.ValueKind == JsonValueKind.Object && value.TryGetProperty("function", out var f) && f.ValueKind == JsonValueKind.Object && f.TryGetProperty("name", out var name))
        {
            return ChatToolMode.RequireSpecific(RequireString(name, "tool_choice.function.name"));
        }

        throw Invalid("tool_choice", "must be auto, none, required or {\"type\":\"function\",\"function\":{\"name\":…}}");
    }

    private static ChatResponseFormat ReadResponseFormat(JsonElement value, ChatOptions options)
    {
        if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
        {
            throw Invalid("response_format", "must be an object with a 'type'");
        }

        switch (type.GetString())
        {
            case "text":
                return ChatResponseFormat.Text;
            case "json_object":
                return ChatResponseFormat.Json;
            case "json_schema":
                if (!value.TryGetProperty("json_schema", out var js) || js.ValueKind != JsonValueKind.Object)
                {
                    throw Missing("response_format.json_schema");
                }

                var name = js.TryGetProperty("name", out var n) ? RequireString(n, "response_format.json_schema.name") : throw Missing("response_format.json_schema.name");
                string? description = js.TryGetProperty("description", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString() : null;
                if (!js.TryGetProperty("schema", out var schema) || schema.ValueKind != JsonValueKind.Object)
                {
                    throw Missing("response_format.json_schema.schema");
                }

                if (js.TryGetProperty("strict", out var strict) && strict.ValueKind != JsonValueKind.Null)
                {
                    Switchyard.Wire.StrictSchema.SetForResponseFormat(options, RequireBool(strict, "response_format.json_schema.strict"));
                }

                return ChatResponseFormat.ForJsonSchema(schema.Clone(), name, description);
            default:
                throw Invalid("response_format.type", $"'{type.GetString()}' is not one of text, json_object, json_schema");
        }
    }

    private static List<string> ReadStop(JsonElement value)
    {
        if (value.ValueKind == JsonValueKind.String)
        {
            return [value.GetString()!];
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw Invalid("stop", "must be a string or an array of up to 4 strings");
        }

        var list = new List<string>();
        foreach (var s in value.EnumerateArray())
        {
            list.Add(RequireString(s, "stop"));
        }

        if (list.Count > 4)
        {
            throw Invalid("stop", "may hold at most 4 sequences");
        }

        return list;
    }
}
