using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchyard.Wire;

namespace Switchyard.Providers.OpenAI;

/// <summary>Writes a Chat Completions request body from Microsoft.Extensions.AI messages and options.</summary>
internal static class OpenAIRequestWriter
{
    private static readonly JsonWriterOptions s_options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly IReadOnlyDictionary<string, object?> s_noFields = new Dictionary<string, object?>();

    /// <param name="buffer">Receives the UTF-8 body.</param>
    /// <param name="model">The upstream model name.</param>
    /// <param name="messages">The conversation.</param>
    /// <param name="options">Sampling, tools, format.</param>
    /// <param name="stream">Whether to ask for server-sent events (with usage).</param>
    /// <param name="maxTokensField"><c>max_completion_tokens</c> for OpenAI itself, <c>max_tokens</c> for compatible servers.</param>
    public static void Write(System.Buffers.IBufferWriter<byte> buffer, string model, IEnumerable<ChatMessage> messages, ChatOptions? options, bool stream, string maxTokensField)
    {
        using var w = new Utf8JsonWriter(buffer, s_options);
        w.WriteStartObject();
        w.WriteString("model", model);
        w.WriteStartArray("messages");
        foreach (var message in messages)
        {
            WriteMessage(w, message);
        }

        w.WriteEndArray();
        if (stream)
        {
            w.WriteBoolean("stream", true);
            w.WriteStartObject("stream_options");
            w.WriteBoolean("include_usage", true);
            w.WriteEndObject();
        }

        if (options is not null)
        {
            WriteOptions(w, options, maxTokensField);
        }

        w.WriteEndObject();
    }

    private static void WriteMessage(Utf8JsonWriter w, ChatMessage message)
    {
        if (message.Role == ChatRole.Tool)
        {
            // One OpenAI tool message per result.
            foreach (var result in message.Contents.OfType<FunctionResultContent>())
            {
                w.WriteStartObject();
                w.WriteString("role", "tool");
                w.WriteString("tool_call_id", result.CallId);
                w.WriteString("content", ResultText(result.Result));
                w.WriteEndObject();
            }

            return;
        }

        w.WriteStartObject();
        var role = message.Role == ChatRole.System ? "system" : message.Role == ChatRole.Assistant ? "assistant" : "user";
        w.WriteString("role", role);
        if (!string.IsNullOrEmpty(message.AuthorName))
        {
            w.WriteString("name", message.AuthorName);
        }

        var hasMedia = message.Contents.Any(c => c is DataContent or UriContent);
        var calls = message.Contents.OfType<FunctionCallContent>().ToList();
        if (hasMedia && role == "user")
        {
            w.WriteStartArray("content");
            foreach (var content in message.Contents)
            {
                switch (content)
                {
                    case TextContent t:
                        w.WriteStartObject();
                        w.WriteString("type", "text");
                        w.WriteString("text", t.Text);
                        w.WriteEndObject();
                        break;
                    case DataContent d:
                        WriteImage(w, d.Uri);
                        break;
                    case UriContent u:
                        WriteImage(w, u.Uri.ToString());
                        break;
                }
            }

            w.WriteEndArray();
        }
        else
        {
            var text = string.Concat(message.Contents.OfType<TextContent>().Select(t => t.Text));
            if (text.Length == 0 && calls.Count > 0)
            {
                w.WriteNull("content");
            }
            else
            {
                w.WriteString("content", text);
            }
        }

        if (calls.Count > 0 && role == "assistant")
        {
            w.WriteStartArray("tool_calls");
            foreach (var call in calls)
            {
                OpenAIToolCall.Write(w, call);
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
    }

    private static void WriteImage(Utf8JsonWriter w, string url)
    {
        w.WriteStartObject();
        w.WriteString("type", "image_url");
        w.WriteStartObject("image_url");
        w.WriteString("url", url);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static string ResultText(object? result) => result switch
    {
        null => "",
        string s => s,
        JsonElement e when e.ValueKind == JsonValueKind.String => e.GetString() ?? "",
        JsonElement e => e.GetRawText(),
        _ => JsonSerializer.Serialize(result, AIJsonUtilities.DefaultOptions.GetTypeInfo(result.GetType())),
    };

    private static void WriteOptions(Utf8JsonWriter w, ChatOptions o, string maxTokensField)
    {
        if (o.Temperature is { } temperature)
        {
            w.WriteNumber("temperature", temperature);
        }

        if (o.TopP is { } topP)
        {
            w.WriteNumber("top_p", topP);
        }

        if (o.MaxOutputTokens is { } max)
        {
            w.WriteNumber(maxTokensField, max);
        }

        if (o.FrequencyPenalty is { } frequency)
        {
            w.WriteNumber("frequency_penalty", frequency);
        }

        if (o.PresencePenalty is { } presence)
        {
            w.WriteNumber("presence_penalty", presence);
        }

        if (o.Seed is { } seed)
        {
            w.WriteNumber("seed", seed);
        }

        // Sampling fields only llama.cpp, vLLM and similar servers understand; OpenAI refuses them, so they are dropped there.
        if (maxTokensField == "max_tokens")
        {
            if (o.TopK is { } topK)
            {
                w.WriteNumber("top_k", topK);
            }

            foreach (var field in (ReadOnlySpan<string>)["min_p", "repetition_penalty"])
            {
                if (o.AdditionalProperties?.TryGetValue(field, out var value) == true && value is float number)
                {
                    w.WriteNumber(field, number);
                }
            }

            // extra_body: the serving engine's own fields, at the top level as the OpenAI SDKs' extra_body sends them.
            foreach (var (name, value) in Switchyard.Wire.ExtraBody.Of(o) ?? s_noFields)
            {
                if (value is System.Text.Json.JsonElement element)
                {
                    w.WritePropertyName(name);
                    element.WriteTo(w);
                }
            }
        }

        if (o.StopSequences is { Count: > 0 } stop)
        {
            w.WriteStartArray("stop");
            foreach (var s in stop)
            {
                w.WriteStringValue(s);
            }

            w.WriteEndArray();
        }

        if (o.AdditionalProperties?.TryGetValue("user", out var user) == true && user is string u)
        {
            w.WriteString("user", u);
        }

        if (o.Reasoning?.Effort is { } effort && effort != ReasoningEffort.None)
        {
            w.WriteString("reasoning_effort", effort == ReasoningEffort.Low ? "low" : effort == ReasoningEffort.High ? "high" : "medium");
        }

        var functions = o.Tools?.OfType<AIFunctionDeclaration>().ToList();
        if (functions is { Count: > 0 })
        {
            w.WriteStartArray("tools");
            foreach (var f in functions)
            {
                w.WriteStartObject();
                w.WriteString("type", "function");
                w.WriteStartObject("function");
                w.WriteString("name", f.Name);
                if (!string.IsNullOrEmpty(f.Description))
                {
                    w.WriteString("description", f.Description);
                }

                w.WritePropertyName("parameters");
                f.JsonSchema.WriteTo(w);
                if (Switchyard.Wire.StrictSchema.Of(f) is { } strictTool)
                {
                    w.WriteBoolean("strict", strictTool);
                }

                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndArray();
            switch (o.ToolMode)
            {
                case NoneChatToolMode:
                    w.WriteString("tool_choice", "none");
                    break;
                case RequiredChatToolMode { RequiredFunctionName: { } name }:
                    w.WriteStartObject("tool_choice");
                    w.WriteString("type", "function");
                    w.WriteStartObject("function");
                    w.WriteString("name", name);
                    w.WriteEndObject();
                    w.WriteEndObject();
                    break;
                case RequiredChatToolMode:
                    w.WriteString("tool_choice", "required");
                    break;
                case AutoChatToolMode:
                    w.WriteString("tool_choice", "auto");
                    break;
            }

            if (o.AllowMultipleToolCalls is { } parallel)
            {
                w.WriteBoolean("parallel_tool_calls", parallel);
            }
        }

        switch (o.ResponseFormat)
        {
            case ChatResponseFormatJson { Schema: { } schema } json:
                w.WriteStartObject("response_format");
                w.WriteString("type", "json_schema");
                w.WriteStartObject("json_schema");
                w.WriteString("name", json.SchemaName ?? "response");
                if (json.SchemaDescription is { } description)
                {
                    w.WriteString("description", description);
                }

                w.WritePropertyName("schema");
                schema.WriteTo(w);
                if (Switchyard.Wire.StrictSchema.OfResponseFormat(o) is { } strict)
                {
                    w.WriteBoolean("strict", strict);
                }

                w.WriteEndObject();
                w.WriteEndObject();
                break;
            case ChatResponseFormatJson:
                w.WriteStartObject("response_format");
                w.WriteString("type", "json_object");
                w.WriteEndObject();
                break;
        }
    }
}
