using System.Buffers;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchyard.Gateway.OpenAI;

namespace Switchyard.Gateway.Anthropic;

/// <summary>Writes Microsoft.Extensions.AI responses as Anthropic Messages API <c>message</c> objects.</summary>
/// <remarks>
/// Microsoft.Extensions.AI counts input tokens OpenAI's way (cache reads and cache writes included in
/// <see cref="UsageDetails.InputTokenCount"/>); Anthropic reports them apart, so <c>input_tokens</c> is the
/// uncached remainder: input − <see cref="UsageDetails.CachedInputTokenCount"/> − cache-creation tokens (read from
/// <see cref="UsageDetails.AdditionalCounts"/> under <c>CacheCreationInputTokens</c> or
/// <c>cache_creation_input_tokens</c>, when a provider reports them).
/// </remarks>
public static class MessagesResponseWriter
{
    /// <summary>Writes a whole non-streamed response as <c>{"id","type":"message","role":"assistant",…}</c>.</summary>
    /// <param name="w">The writer.</param>
    /// <param name="id">The message id (Anthropic's look like <c>msg_…</c>).</param>
    /// <param name="model">The model name to report.</param>
    /// <param name="response">The response.</param>
    public static void Write(Utf8JsonWriter w, string id, string model, ChatResponse response)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(response);
        w.WriteStartObject();
        w.WriteString("id", id);
        w.WriteString("type", "message");
        w.WriteString("role", "assistant");
        w.WriteString("model", model);
        w.WriteStartArray("content");

        string? text = null;
        var hadToolUse = false;
        foreach (var message in response.Messages)
        {
            foreach (var content in message.Contents)
            {
                if (content is TextContent t)
                {
                    text = text is null ? t.Text : text + t.Text;
                    continue;
                }

                if (content is not (TextReasoningContent or FunctionCallContent))
                {
                    continue;
                }

                FlushText(w, ref text);
                if (content is FunctionCallContent call)
                {
                    WriteToolUse(w, call, withInput: true);
                    hadToolUse = true;
                }
                else
                {
                    WriteThinking(w, (TextReasoningContent)content, withText: true);
                }
            }
        }

        FlushText(w, ref text);
        w.WriteEndArray();
        w.WriteString("stop_reason", StopReason(response.FinishReason, hadToolUse));
        w.WriteNull("stop_sequence");
        WriteUsage(w, response.Usage);
        w.WriteEndObject();
    }

    /// <summary>Anthropic's <c>stop_reason</c> for an MEAI finish reason.</summary>
    /// <param name="reason">The finish reason, if known.</param>
    /// <param name="hadToolUse">Whether the response called tools (a tool call with no reason is <c>tool_use</c>).</param>
    /// <returns><c>end_turn</c>, <c>max_tokens</c>, <c>tool_use</c> or <c>refusal</c>.</returns>
    public static string StopReason(ChatFinishReason? reason, bool hadToolUse)
    {
        if (reason == ChatFinishReason.Length)
        {
            return "max_tokens";
        }

        if (reason == ChatFinishReason.ContentFilter)
        {
            return "refusal";
        }

        return reason == ChatFinishReason.ToolCalls || hadToolUse ? "tool_use" : "end_turn";
    }

    /// <summary>
    /// Writes the <c>usage</c> property: <c>input_tokens</c> (uncached), <c>cache_creation_input_tokens</c>,
    /// <c>cache_read_input_tokens</c> and <c>output_tokens</c>; zeros when unknown.
    /// </summary>
    /// <param name="w">The writer.</param>
    /// <param name="usage">The usage, if known.</param>
    public static void WriteUsage(Utf8JsonWriter w, UsageDetails? usage)
    {
        ArgumentNullException.ThrowIfNull(w);
        var (input, cacheCreation, cacheRead) = InputTokens(usage);
        w.WriteStartObject("usage");
        w.WriteNumber("input_tokens", input);
        w.WriteNumber("cache_creation_input_tokens", cacheCreation);
        w.WriteNumber("cache_read_input_tokens", cacheRead);
        w.WriteNumber("output_tokens", usage?.OutputTokenCount ?? 0);
        w.WriteEndObject();
    }

    /// <summary>Splits MEAI input tokens into Anthropic's uncached input, cache-creation and cache-read counts.</summary>
    /// <param name="usage">The usage, if known.</param>
    /// <returns>The three counts, never negative.</returns>
    public static (long Input, long CacheCreation, long CacheRead) InputTokens(UsageDetails? usage)
    {
        if (usage is null)
        {
            return (0, 0, 0);
        }

        var cacheRead = Math.Max(0, usage.CachedInputTokenCount ?? 0);
        var cacheCreation = Metering.UsageCounts.CacheWriteTokens(usage);

        var input = Math.Max(0, (usage.InputTokenCount ?? 0) - cacheRead - cacheCreation);
        return (input, cacheCreation, cacheRead);
    }

    /// <summary>Writes a <c>tool_use</c> block; in a stream's <c>content_block_start</c> the input is <c>{}</c>.</summary>
    internal static void WriteToolUse(Utf8JsonWriter w, FunctionCallContent call, bool withInput)
    {
        w.WriteStartObject();
        w.WriteString("type", "tool_use");
        w.WriteString("id", call.CallId);
        w.WriteString("name", call.Name);
        w.WritePropertyName("input");
        if (withInput)
        {
            WriteArguments(w, call.Arguments);
        }
        else
        {
            w.WriteStartObject();
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    /// <summary>Writes tool-call arguments as a compact JSON object (<c>{}</c> when null).</summary>
    internal static void WriteArguments(Utf8JsonWriter w, IDictionary<string, object?>? arguments)
    {
        if (arguments is null)
        {
            w.WriteStartObject();
            w.WriteEndObject();
            return;
        }

        // Serialising through the writer keeps its (compact) formatting; AIJsonUtilities.DefaultOptions indents.
        JsonSerializer.Serialize(w, arguments, AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(IDictionary<string, object?>)));
    }

    /// <summary>Tool-call arguments as a compact JSON string, for <c>input_json_delta</c>.</summary>
    internal static string ArgumentsJson(IDictionary<string, object?>? arguments)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, WireJson.WriterOptions))
        {
            WriteArguments(w, arguments);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// Writes a <c>thinking</c> block (<c>{"thinking","signature"}</c>) or, for content read from
    /// <c>redacted_thinking</c>, a <c>redacted_thinking</c> block (<c>{"data"}</c>).
    /// </summary>
    internal static void WriteThinking(Utf8JsonWriter w, TextReasoningContent reasoning, bool withText)
    {
        w.WriteStartObject();
        if (IsRedacted(reasoning))
        {
            w.WriteString("type", "redacted_thinking");
            w.WriteString("data", reasoning.ProtectedData);
        }
        else
        {
            w.WriteString("type", "thinking");
            w.WriteString("thinking", withText ? reasoning.Text : "");
            w.WriteString("signature", withText ? reasoning.ProtectedData ?? "" : "");
        }

        w.WriteEndObject();
    }

    /// <summary>Whether reasoning content stands for a <c>redacted_thinking</c> block.</summary>
    internal static bool IsRedacted(TextReasoningContent reasoning) =>
        reasoning.AdditionalProperties?.TryGetValue(MessagesRequestReader.RedactedThinkingKey, out var r) == true && r is true;

    private static void FlushText(Utf8JsonWriter w, ref string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            text = null;
            return;
        }

        w.WriteStartObject();
        w.WriteString("type", "text");
        w.WriteString("text", text);
        w.WriteEndObject();
        text = null;
    }
}
