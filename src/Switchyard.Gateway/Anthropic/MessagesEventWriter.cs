using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchyard.Gateway.OpenAI;
using Switchyard.Routing;

namespace Switchyard.Gateway.Anthropic;

/// <summary>
/// Writes a streamed response as Anthropic Messages API server-sent events (<c>event: &lt;type&gt;\ndata: &lt;json&gt;\n\n</c>):
/// <c>message_start</c>, then per content block <c>content_block_start</c>, <c>content_block_delta</c>s and
/// <c>content_block_stop</c>, then <c>message_delta</c> (stop reason and usage) and <c>message_stop</c>. Each update is
/// written and flushed as it arrives. A failure after output has begun becomes an <c>error</c> event and the stream
/// ends without <c>message_stop</c>.
/// </summary>
/// <remarks>
/// <para>
/// Text becomes <c>text_delta</c>s of a <c>text</c> block, reasoning becomes <c>thinking_delta</c>s (and a
/// <c>signature_delta</c> for <see cref="TextReasoningContent.ProtectedData"/>) of a <c>thinking</c> block, and a
/// <see cref="FunctionCallContent"/>, which Microsoft.Extensions.AI delivers whole, becomes a <c>tool_use</c> block
/// with a single <c>input_json_delta</c> carrying the whole input. A block stays open while updates of its kind
/// follow and closes when another kind arrives.
/// </para>
/// <para>
/// <c>message_start</c> is written with the first update that carries content (usage seen until then is in it;
/// most providers report input tokens only at the end, so its <c>input_tokens</c> is often 0). The
/// <c>message_delta</c> usage always has <c>output_tokens</c> and, when known by then, the input counts too.
/// </para>
/// Not thread-safe: one instance per response.
/// </remarks>
public sealed class MessagesEventWriter : IDisposable
{
    private static readonly byte[] s_event = "event: "u8.ToArray();
    private static readonly byte[] s_data = "\ndata: "u8.ToArray();
    private static readonly byte[] s_end = "\n\n"u8.ToArray();

    private readonly PipeWriter _pipe;
    private readonly Utf8JsonWriter _json;
    private readonly string _id;
    private readonly string _model;
    private bool _started;
    private BlockKind _open;
    private int _index = -1;
    private bool _hadToolUse;
    private ChatFinishReason? _finish;
    private UsageDetails? _usage;

    /// <summary>Starts a stream on <paramref name="pipe"/>.</summary>
    /// <param name="pipe">The response body.</param>
    /// <param name="id">The message id (<c>msg_…</c>).</param>
    /// <param name="model">The model name to report.</param>
    public MessagesEventWriter(PipeWriter pipe, string id, string model)
    {
        ArgumentNullException.ThrowIfNull(pipe);
        _pipe = pipe;
        _json = new Utf8JsonWriter(pipe, WireJson.WriterOptions);
        _id = id;
        _model = model;
    }

    private enum BlockKind
    {
        None,
        Text,
        Thinking,
    }

    /// <summary>Writes the events for one update (updates carrying only usage or a finish reason are held for the end).</summary>
    /// <param name="update">The update.</param>
    /// <param name="cancellationToken">Cancels the flush.</param>
    /// <returns>The flush result, or <see langword="default"/> when nothing was written.</returns>
    public ValueTask<FlushResult> WriteAsync(ChatResponseUpdate update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        _finish = update.FinishReason ?? _finish;
        var hasContent = false;
        foreach (var content in update.Contents)
        {
            switch (content)
            {
                case UsageContent u:
                    (_usage ??= new UsageDetails()).Add(u.Details);
                    break;
                case TextContent t when t.Text.Length > 0:
                case TextReasoningContent:
                case FunctionCallContent:
                    hasContent = true;
                    break;
            }
        }

        if (!hasContent)
        {
            return default;
        }

        EnsureStarted();
        foreach (var content in update.Contents)
        {
            switch (content)
            {
                case TextContent t when t.Text.Length > 0:
                    OpenBlock(BlockKind.Text);
                    WriteDelta("text_delta", "text", t.Text);
                    break;
                case TextReasoningContent r when MessagesResponseWriter.IsRedacted(r):
                    CloseBlock();
                    _index++;
                    BeginEvent("content_block_start");
                    _json.WriteNumber("index", _index);
                    _json.WritePropertyName("content_block");
                    MessagesResponseWriter.WriteThinking(_json, r, withText: true);
                    EndEvent();
                    WriteBlockStop();
                    break;
                case TextReasoningContent r:
                    if (r.Text.Length > 0)
                    {
                        OpenBlock(BlockKind.Thinking);
                        WriteDelta("thinking_delta", "thinking", r.Text);
                    }

                    if (!string.IsNullOrEmpty(r.ProtectedData))
                    {
                        OpenBlock(BlockKind.Thinking);
                        WriteDelta("signature_delta", "signature", r.ProtectedData);
                    }

                    break;
                case FunctionCallContent call:
                    CloseBlock();
                    _index++;
                    _hadToolUse = true;
                    BeginEvent("content_block_start");
                    _json.WriteNumber("index", _index);
                    _json.WritePropertyName("content_block");
                    MessagesResponseWriter.WriteToolUse(_json, call, withInput: false);
                    EndEvent();
                    WriteDelta("input_json_delta", "partial_json", MessagesResponseWriter.ArgumentsJson(call.Arguments));
                    WriteBlockStop();
                    break;
            }
        }

        return _pipe.FlushAsync(cancellationToken);
    }

    /// <summary>Closes the open block and writes <c>message_delta</c> and <c>message_stop</c>.</summary>
    /// <param name="cancellationToken">Cancels the flush.</param>
    public async ValueTask CompleteAsync(CancellationToken cancellationToken)
    {
        EnsureStarted();
        CloseBlock();

        BeginEvent("message_delta");
        _json.WriteStartObject("delta");
        _json.WriteString("stop_reason", MessagesResponseWriter.StopReason(_finish, _hadToolUse));
        _json.WriteNull("stop_sequence");
        _json.WriteEndObject();
        _json.WriteStartObject("usage");
        if (_usage?.InputTokenCount is not null)
        {
            var (input, cacheCreation, cacheRead) = MessagesResponseWriter.InputTokens(_usage);
            _json.WriteNumber("input_tokens", input);
            _json.WriteNumber("cache_creation_input_tokens", cacheCreation);
            _json.WriteNumber("cache_read_input_tokens", cacheRead);
        }

        _json.WriteNumber("output_tokens", _usage?.OutputTokenCount ?? 0);
        _json.WriteEndObject();
        EndEvent();

        BeginEvent("message_stop");
        EndEvent();
        await _pipe.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes an <c>error</c> event after output has begun; the stream then ends.</summary>
    /// <param name="failure">The failure; its status picks the error type (<see cref="AnthropicErrorWriter.ErrorType"/>).</param>
    /// <param name="cancellationToken">Cancels the flush.</param>
    public async ValueTask FailAsync(FailureInfo failure, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(failure);
        WriteEventName("error");
        _json.Reset();
        AnthropicErrorWriter.WriteBody(_json, AnthropicErrorWriter.ErrorType(failure.Status), failure.Message);
        _json.Flush();
        _pipe.Write(s_end);
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
        BeginEvent("message_start");
        _json.WriteStartObject("message");
        _json.WriteString("id", _id);
        _json.WriteString("type", "message");
        _json.WriteString("role", "assistant");
        _json.WriteString("model", _model);
        _json.WriteStartArray("content");
        _json.WriteEndArray();
        _json.WriteNull("stop_reason");
        _json.WriteNull("stop_sequence");
        MessagesResponseWriter.WriteUsage(_json, _usage);
        _json.WriteEndObject();
        EndEvent();
    }

    private void OpenBlock(BlockKind kind)
    {
        if (_open == kind)
        {
            return;
        }

        CloseBlock();
        _open = kind;
        _index++;
        BeginEvent("content_block_start");
        _json.WriteNumber("index", _index);
        _json.WriteStartObject("content_block");
        if (kind == BlockKind.Text)
        {
            _json.WriteString("type", "text");
            _json.WriteString("text", "");
        }
        else
        {
            _json.WriteString("type", "thinking");
            _json.WriteString("thinking", "");
            _json.WriteString("signature", "");
        }

        _json.WriteEndObject();
        EndEvent();
    }

    private void CloseBlock()
    {
        if (_open == BlockKind.None)
        {
            return;
        }

        _open = BlockKind.None;
        WriteBlockStop();
    }

    private void WriteBlockStop()
    {
        BeginEvent("content_block_stop");
        _json.WriteNumber("index", _index);
        EndEvent();
    }

    private void WriteDelta(string type, string property, string value)
    {
        BeginEvent("content_block_delta");
        _json.WriteNumber("index", _index);
        _json.WriteStartObject("delta");
        _json.WriteString("type", type);
        _json.WriteString(property, value);
        _json.WriteEndObject();
        EndEvent();
    }

    private void WriteEventName(string type)
    {
        _pipe.Write(s_event);
        _pipe.Write(Encoding.UTF8.GetBytes(type));
        _pipe.Write(s_data);
    }

    /// <summary>Writes <c>event: type\ndata: </c> and opens the JSON object with its <c>type</c>.</summary>
    private void BeginEvent(string type)
    {
        WriteEventName(type);
        _json.Reset();
        _json.WriteStartObject();
        _json.WriteString("type", type);
    }

    private void EndEvent()
    {
        _json.WriteEndObject();
        _json.Flush();
        _pipe.Write(s_end);
    }
}
