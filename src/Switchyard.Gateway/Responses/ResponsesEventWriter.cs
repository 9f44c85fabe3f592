using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchyard.Gateway.OpenAI;
using Switchyard.Routing;
using static Switchyard.Gateway.Responses.ResponsesResponseWriter;

namespace Switchyard.Gateway.Responses;

/// <summary>
/// Writes a streamed response as OpenAI Responses API server-sent events (<c>event: &lt;type&gt;\ndata: &lt;json&gt;\n\n</c>,
/// each with a <c>sequence_number</c> counting from 0): <c>response.created</c> and <c>response.in_progress</c>, then
/// per output item <c>response.output_item.added</c> … <c>response.output_item.done</c>, then
/// <c>response.completed</c> (or <c>response.incomplete</c> when the output was cut short) carrying the whole response
/// with usage. Each update is written and flushed as it arrives.
/// </summary>
/// <remarks>
/// <para>
/// Text opens a <c>message</c> item: <c>response.output_item.added</c>, <c>response.content_part.added</c>, one
/// <c>response.output_text.delta</c> per update, and on closing <c>response.output_text.done</c>,
/// <c>response.content_part.done</c> and <c>response.output_item.done</c>. A <see cref="FunctionCallContent"/>, which
/// Microsoft.Extensions.AI delivers whole, closes any open message and becomes a <c>function_call</c> item with a
/// single <c>response.function_call_arguments.delta</c> carrying all the arguments, then
/// <c>response.function_call_arguments.done</c> and <c>response.output_item.done</c>. Reasoning is not written.
/// Item ids follow <see cref="ResponsesResponseWriter"/>.
/// </para>
/// <para>
/// A failure becomes an <c>error</c> event (<c>code</c>, <c>message</c>, <c>param</c>) followed by
/// <c>response.failed</c>, whose response has <c>status</c> <c>failed</c>, the <c>error</c> and the items written so
/// far; there is no <c>[DONE]</c> sentinel in this format. Not thread-safe: one instance per response.
/// </para>
/// </remarks>
public sealed class ResponsesEventWriter : IDisposable
{
    private static readonly byte[] s_event = "event: "u8.ToArray();
    private static readonly byte[] s_data = "\ndata: "u8.ToArray();
    private static readonly byte[] s_end = "\n\n"u8.ToArray();

    private readonly PipeWriter _pipe;
    private readonly Utf8JsonWriter _json;
    private readonly string _id;
    private readonly long _createdAt;
    private readonly string _model;
    private readonly List<OutputItem> _items = [];
    private bool _started;
    private MessageItem? _open;
    private int _sequence;
    private ChatFinishReason? _finish;
    private UsageDetails? _usage;

    /// <summary>Starts a stream on <paramref name="pipe"/>.</summary>
    /// <param name="pipe">The response body.</param>
    /// <param name="id">The response id (<c>resp_…</c>).</param>
    /// <param name="createdAt">Creation time, in Unix seconds.</param>
    /// <param name="model">The model name to report.</param>
    public ResponsesEventWriter(PipeWriter pipe, string id, long createdAt, string model)
    {
        ArgumentNullException.ThrowIfNull(pipe);
        ArgumentNullException.ThrowIfNull(id);
        _pipe = pipe;
        _json = new Utf8JsonWriter(pipe, WireJson.WriterOptions);
        _id = id;
        _createdAt = createdAt;
        _model = model;
    }

    /// <summary>Writes the events for one update (usage and the finish reason are held for the final event).</summary>
    /// <param name="update">The update.</param>
    /// <param name="cancellationToken">Cancels the flush.</param>
    /// <returns>The flush result.</returns>
    public ValueTask<FlushResult> WriteAsync(ChatResponseUpdate update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        _finish = update.FinishReason ?? _finish;
        EnsureStarted();
        foreach (var content in update.Contents)
        {
            switch (content)
            {
                case UsageContent u:
                    (_usage ??= new UsageDetails()).Add(u.Details);
                    break;
                case TextContent t when t.Text.Length > 0:
                    WriteText(t.Text);
                    break;
                case FunctionCallContent call:
                    WriteFunctionCall(call);
                    break;
            }
        }

        return _pipe.FlushAsync(cancellationToken);
    }

    /// <summary>Closes the open item and writes <c>response.completed</c> (or <c>response.incomplete</c>).</summary>
    /// <param name="cancellationToken">Cancels the flush.</param>
    public async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        EnsureStarted();
        var (status, reason) = Outcome(_finish);
        CloseMessage(reason is null ? "completed" : "incomplete");
        BeginEvent(reason is null ? "response.completed" : "response.incomplete");
        _json.WritePropertyName("response");
        WriteResponse(_json, _id, _createdAt, _model, status, reason, null, _items, _usage);
        EndEvent();
        await _pipe.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes an <c>error</c> event and <c>response.failed</c>; the stream then ends.</summary>
    /// <param name="failure">The failure (its <c>code</c> and <c>message</c> are reported).</param>
    /// <param name="cancellationToken">Cancels the flush.</param>
    public async ValueTask FailAsync(FailureInfo failure, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(failure);
        EnsureStarted();
        if (_open is not null)
        {
            _open.Status = "incomplete"; // left unclosed: the item is written as it stood in response.failed
            _open = null;
        }

        BeginEvent("error");
        _json.WriteString("code", failure.Code);
        _json.WriteString("message", failure.Message);
        _json.WriteNull("param");
        EndEvent();

        BeginEvent("response.failed");
        _json.WritePropertyName("response");
        WriteResponse(_json, _id, _createdAt, _model, "failed", null, failure, _items, _usage);
        EndEvent();
        await _pipe.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose() => _json.Dispose();

    private void EnsureStarted()
    {
        if (_started)
        {
            return;
        }

        _started = true;
        foreach (var type in (ReadOnlySpan<string>)["response.created", "response.in_progress"])
        {
            BeginEvent(type);
            _json.WritePropertyName("response");
            WriteResponse(_json, _id, _createdAt, _model, "in_progress", null, null, [], null);
            EndEvent();
        }
    }

    private void WriteText(string text)
    {
        if (_open is null)
        {
            _open = new MessageItem(ItemId("msg", _id, _items.Count));
            _items.Add(_open);
            WriteItemEvent("response.output_item.added", _open);
            BeginPartEvent("response.content_part.added", _open);
            _json.WritePropertyName("part");
            MessageItem.WritePart(_json, "");
            EndEvent();
        }

        _open.Text.Append(text);
        BeginPartEvent("response.output_text.delta", _open);
        _json.WriteString("delta", text);
        WriteEmptyLogprobs();
        EndEvent();
    }

    private void CloseMessage(string status)
    {
        if (_open is not { } item)
        {
            return;
        }

        _open = null;
        var text = item.Text.ToString();
        BeginPartEvent("response.output_text.done", item);
        _json.WriteString("text", text);
        WriteEmptyLogprobs();
        EndEvent();

        BeginPartEvent("response.content_part.done", item);
        _json.WritePropertyName("part");
        MessageItem.WritePart(_json, text);
        EndEvent();

        item.Status = status;
        WriteItemEvent("response.output_item.done", item);
    }

    private void WriteFunctionCall(FunctionCallContent call)
    {
        CloseMessage("completed");
        var index = _items.Count;
        var item = new FunctionCallItem(ItemId("fc", _id, index), call.CallId, call.Name, ArgumentsJson(call.Arguments));
        _items.Add(item);
        WriteItemEvent("response.output_item.added", item);

        BeginEvent("response.function_call_arguments.delta");
        _json.WriteString("item_id", item.Id);
        _json.WriteNumber("output_index", index);
        _json.WriteString("delta", item.Arguments);
        EndEvent();

        BeginEvent("response.function_call_arguments.done");
        _json.WriteString("item_id", item.Id);
        _json.WriteNumber("output_index", index);
        _json.WriteString("name", call.Name);
        _json.WriteString("arguments", item.Arguments);
        EndEvent();

        item.Done = true;
        WriteItemEvent("response.output_item.done", item);
    }

    private void WriteItemEvent(string type, OutputItem item)
    {
        BeginEvent(type);
        _json.WriteNumber("output_index", _items.IndexOf(item));
        _json.WritePropertyName("item");
        item.Write(_json);
        EndEvent();
    }

    /// <summary>Opens an event about the (single) <c>output_text</c> part of a message item.</summary>
    private void BeginPartEvent(string type, MessageItem item)
    {
        BeginEvent(type);
        _json.WriteString("item_id", item.Id);
        _json.WriteNumber("output_index", _items.IndexOf(item));
        _json.WriteNumber("content_index", 0);
    }

    private void WriteEmptyLogprobs()
    {
        _json.WriteStartArray("logprobs");
        _json.WriteEndArray();
    }

    /// <summary>Writes <c>event: type\ndata: </c> and opens the JSON object with its <c>type</c> and <c>sequence_number</c>.</summary>
    private void BeginEvent(string type)
    {
        _pipe.Write(s_event);
        _pipe.Write(Encoding.UTF8.GetBytes(type));
        _pipe.Write(s_data);
        _json.Reset();
        _json.WriteStartObject();
        _json.WriteString("type", type);
        _json.WriteNumber("sequence_number", _sequence++);
    }

    private void EndEvent()
    {
        _json.WriteEndObject();
        _json.Flush();
        _pipe.Write(s_end);
    }
}
