using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchyard.Gateway.OpenAI;
using Switchyard.Routing;

namespace Switchyard.Gateway.Responses;

/// <summary>Writes Microsoft.Extensions.AI responses as OpenAI Responses API <c>response</c> objects.</summary>
/// <remarks>
/// Text becomes <c>message</c> output items holding one <c>output_text</c> part each (text on either side of a function
/// call goes into separate items, in order); each <see cref="FunctionCallContent"/> becomes a <c>function_call</c> item.
/// Reasoning is not written (as in Switchyard's Chat Completions output). Item ids are derived from the response id:
/// <c>resp_abc</c> gives <c>msg_abc_0</c>, <c>fc_abc_1</c>, … (the suffix is the output index). A response cut short
/// by <see cref="ChatFinishReason.Length"/> or <see cref="ChatFinishReason.ContentFilter"/> is <c>incomplete</c> with
/// <c>incomplete_details.reason</c> <c>max_output_tokens</c> or <c>content_filter</c>.
/// </remarks>
public static class ResponsesResponseWriter
{
    /// <summary>Writes a whole non-streamed response.</summary>
    /// <param name="w">The writer.</param>
    /// <param name="id">The response id (OpenAI's look like <c>resp_…</c>).</param>
    /// <param name="createdAt">Creation time, in Unix seconds.</param>
    /// <param name="model">The model name to report.</param>
    /// <param name="response">The response.</param>
    public static void Write(Utf8JsonWriter w, string id, long createdAt, string model, ChatResponse response)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(response);
        var items = new List<OutputItem>();
        StringBuilder? text = null;
        foreach (var message in response.Messages)
        {
            foreach (var content in message.Contents)
            {
                switch (content)
                {
                    case TextContent t when t.Text.Length > 0:
                        (text ??= new StringBuilder()).Append(t.Text);
                        break;
                    case FunctionCallContent call:
                        FlushText(items, id, ref text);
                        items.Add(new FunctionCallItem(ItemId("fc", id, items.Count), call.CallId, call.Name, ArgumentsJson(call.Arguments)) { Done = true });
                        break;
                }
            }
        }

        FlushText(items, id, ref text);
        var (status, reason) = Outcome(response.FinishReason);
        if (reason is not null && items.Count > 0 && items[^1] is MessageItem last)
        {
            last.Status = "incomplete";
        }

        WriteResponse(w, id, createdAt, model, status, reason, null, items, response.Usage);
    }

    /// <summary>
    /// Writes the <c>usage</c> property: <c>input_tokens</c> (cached included, as OpenAI counts them),
    /// <c>input_tokens_details.cached_tokens</c>, <c>output_tokens</c>, <c>output_tokens_details.reasoning_tokens</c>
    /// and <c>total_tokens</c>; <see langword="null"/> when unknown.
    /// </summary>
    /// <param name="w">The writer.</param>
    /// <param name="usage">The usage, if known.</param>
    public static void WriteUsage(Utf8JsonWriter w, UsageDetails? usage)
    {
        ArgumentNullException.ThrowIfNull(w);
        if (usage is null)
        {
            w.WriteNull("usage");
            return;
        }

        var input = usage.InputTokenCount ?? 0;
        var output = usage.OutputTokenCount ?? 0;
        w.WriteStartObject("usage");
        w.WriteNumber("input_tokens", input);
        w.WriteStartObject("input_tokens_details");
        w.WriteNumber("cached_tokens", usage.CachedInputTokenCount ?? 0);
        w.WriteEndObject();
        w.WriteNumber("output_tokens", output);
        w.WriteStartObject("output_tokens_details");
        w.WriteNumber("reasoning_tokens", usage.ReasoningTokenCount ?? 0);
        w.WriteEndObject();
        w.WriteNumber("total_tokens", usage.TotalTokenCount ?? (input + output));
        w.WriteEndObject();
    }

    /// <summary>The response <c>status</c> and <c>incomplete_details.reason</c> for an MEAI finish reason.</summary>
    /// <param name="reason">The finish reason, if known.</param>
    /// <returns><c>("completed", null)</c>, or <c>("incomplete", "max_output_tokens" | "content_filter")</c>.</returns>
    public static (string Status, string? IncompleteReason) Outcome(ChatFinishReason? reason)
    {
        if (reason == ChatFinishReason.Length)
        {
            return ("incomplete", "max_output_tokens");
        }

        return reason == ChatFinishReason.ContentFilter ? ("incomplete", "content_filter") : ("completed", null);
    }

    /// <summary>Tool-call arguments as a compact JSON object string (<c>{}</c> when null).</summary>
    internal static string ArgumentsJson(IDictionary<string, object?>? arguments)
    {
        if (arguments is null)
        {
            return "{}";
        }

        // Serialising through a writer keeps its (compact) formatting; AIJsonUtilities.DefaultOptions indents.
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, WireJson.WriterOptions))
        {
            JsonSerializer.Serialize(w, arguments, AIJsonUtilities.DefaultOptions.GetTypeInfo(typeof(IDictionary<string, object?>)));
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>An output item id: <paramref name="prefix"/>, the response id without <c>resp_</c>, the output index.</summary>
    internal static string ItemId(string prefix, string responseId, int outputIndex)
    {
        var stem = responseId.StartsWith("resp_", StringComparison.Ordinal) ? responseId["resp_".Length..] : responseId;
        return string.Create(CultureInfo.InvariantCulture, $"{prefix}_{stem}_{outputIndex}");
    }

    /// <summary>Writes the response object.</summary>
    internal static void WriteResponse(
        Utf8JsonWriter w, string id, long createdAt, string model, string status, string? incompleteReason, FailureInfo? error, IReadOnlyList<OutputItem> items, UsageDetails? usage)
    {
        w.WriteStartObject();
        w.WriteString("id", id);
        w.WriteString("object", "response");
        w.WriteNumber("created_at", createdAt);
        w.WriteString("status", status);
        if (error is null)
        {
            w.WriteNull("error");
        }
        else
        {
            w.WriteStartObject("error");
            w.WriteString("code", error.Code);
            w.WriteString("message", error.Message);
            w.WriteEndObject();
        }

        if (incompleteReason is null)
        {
            w.WriteNull("incomplete_details");
        }
        else
        {
            w.WriteStartObject("incomplete_details");
            w.WriteString("reason", incompleteReason);
            w.WriteEndObject();
        }

        w.WriteString("model", model);
        w.WriteStartArray("output");
        foreach (var item in items)
        {
            item.Write(w);
        }

        w.WriteEndArray();
        WriteUsage(w, usage);
        w.WriteEndObject();
    }

    private static void FlushText(List<OutputItem> items, string id, ref StringBuilder? text)
    {
        if (text is null)
        {
            return;
        }

        var item = new MessageItem(ItemId("msg", id, items.Count)) { Status = "completed" };
        item.Text.Append(text);
        items.Add(item);
        text = null;
    }

    /// <summary>One entry of a response's <c>output</c>, as written so far.</summary>
    internal abstract class OutputItem(string id)
    {
        /// <summary>The item id.</summary>
        public string Id { get; } = id;

        /// <summary>Writes the item object.</summary>
        public abstract void Write(Utf8JsonWriter w);
    }

    /// <summary>An assistant <c>message</c> item with one <c>output_text</c> part.</summary>
    internal sealed class MessageItem(string id) : OutputItem(id)
    {
        /// <summary>The text so far.</summary>
        public StringBuilder Text { get; } = new();

        /// <summary><c>in_progress</c>, <c>completed</c> or <c>incomplete</c>.</summary>
        public string Status { get; set; } = "in_progress";

        /// <inheritdoc />
        public override void Write(Utf8JsonWriter w)
        {
            w.WriteStartObject();
            w.WriteString("type", "message");
            w.WriteString("id", Id);
            w.WriteString("status", Status);
            w.WriteString("role", "assistant");
            w.WriteStartArray("content");
            if (Status != "in_progress")
            {
                WritePart(w, Text.ToString());
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        /// <summary>Writes an <c>output_text</c> part.</summary>
        public static void WritePart(Utf8JsonWriter w, string text)
        {
            w.WriteStartObject();
            w.WriteString("type", "output_text");
            w.WriteString("text", text);
            w.WriteStartArray("annotations");
            w.WriteEndArray();
            w.WriteEndObject();
        }
    }

    /// <summary>A <c>function_call</c> item.</summary>
    internal sealed class FunctionCallItem(string id, string callId, string name, string arguments) : OutputItem(id)
    {
        /// <summary>The arguments, a JSON object as a string.</summary>
        public string Arguments { get; } = arguments;

        /// <summary>Whether the call is complete (else it is written <c>in_progress</c> with empty arguments).</summary>
        public bool Done { get; set; }

        /// <inheritdoc />
        public override void Write(Utf8JsonWriter w)
        {
            w.WriteStartObject();
            w.WriteString("type", "function_call");
            w.WriteString("id", Id);
            w.WriteString("call_id", callId);
            w.WriteString("name", name);
            w.WriteString("arguments", Done ? Arguments : "");
            w.WriteString("status", Done ? "completed" : "in_progress");
            w.WriteEndObject();
        }
    }
}
