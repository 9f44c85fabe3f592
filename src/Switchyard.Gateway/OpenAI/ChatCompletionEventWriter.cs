using System.Buffers;
using System.IO.Pipelines;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchyard.Routing;
using Switchyard.Wire;

namespace Switchyard.Gateway.OpenAI;

/// <summary>
/// Writes a streamed response as OpenAI server-sent events: one <c>chat.completion.chunk</c> per update, written
/// and flushed as it arrives (nothing is buffered), then the finish chunk, the usage chunk when requested, and
/// <c>data: [DONE]</c>. A failure after output has begun becomes an <c>error</c> event and the stream ends without
/// <c>[DONE]</c>, so no client mistakes it for a clean end.
/// </summary>
/// <remarks>Not thread-safe: one instance per response.</remarks>
public sealed class ChatCompletionEventWriter : IDisposable
{
    private static readonly byte[] s_data = "data: "u8.ToArray();
    private static readonly byte[] s_end = "\n\n"u8.ToArray();
    private static readonly byte[] s_done = "data: [DONE]\n\n"u8.ToArray();

    private readonly PipeWriter _pipe;
    private readonly Utf8JsonWriter _json;
    private readonly string _id;
    private readonly long _created;
    private readonly string _model;
    private bool _roleSent;
    private int _toolIndex;
    private ChatFinishReason? _finish;
    private UsageDetails? _usage;

    /// <summary>Starts a stream on <paramref name="pipe"/>.</summary>
    public ChatCompletionEventWriter(PipeWriter pipe, string id, long created, string model)
    {
        ArgumentNullException.ThrowIfNull(pipe);
        _pipe = pipe;
        _json = new Utf8JsonWriter(pipe, WireJson.WriterOptions);
        _id = id;
        _created = created;
        _model = model;
    }

    /// <summary>Writes one update as a chunk (updates carrying only usage are held for the usage chunk).</summary>
    public ValueTask<FlushResult> WriteAsync(ChatResponseUpdate update, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(update);
        _finish = update.FinishReason ?? _finish;
        var hasDelta = false;
        foreach (var content in update.Contents)
        {
            switch (content)
            {
                case UsageContent u:
                    (_usage ??= new UsageDetails()).Add(u.Details);
                    break;
                case TextContent or FunctionCallContent:
                    hasDelta = true;
                    break;
            }
        }

        if (!hasDelta && _roleSent)
        {
            return default;
        }

        BeginDelta();

        string? text = null;
        List<FunctionCallContent>? calls = null;
        foreach (var content in update.Contents)
        {
            if (content is TextContent t)
            {
                text = text is null ? t.Text : text + t.Text;
            }
            else if (content is FunctionCallContent f)
            {
                (calls ??= []).Add(f);
            }
        }

        _json.WriteString("content", text ?? "");
        if (calls is not null)
        {
            _json.WriteStartArray("tool_calls");
            foreach (var call in calls)
            {
                OpenAIToolCall.Write(_json, call, _toolIndex++);
            }

            _json.WriteEndArray();
        }

        _json.WriteEndObject();
        _json.WriteNull("finish_reason");
        _json.WriteEndObject();
        return EndChunkAsync(cancellationToken);
    }

    /// <summary>Writes the finish chunk, the usage chunk (when <paramref name="includeUsage"/>) and <c>[DONE]</c>.</summary>
    public async ValueTask CompleteAsync(bool includeUsage, CancellationToken cancellationToken)
    {
        BeginDelta();

        _json.WriteEndObject();
        _json.WriteString("finish_reason", ChatCompletionWriter.FinishReason(_finish, _toolIndex > 0));
        _json.WriteEndObject();
        await EndChunkAsync(cancellationToken).ConfigureAwait(false);

        if (includeUsage)
        {
            WriteChunkHeader();
            _json.WriteStartArray("choices");
            _json.WriteEndArray();
            ChatCompletionWriter.WriteUsage(_json, _usage ?? new UsageDetails { InputTokenCount = 0, OutputTokenCount = 0 });
            _json.WriteEndObject();
            _json.Flush();
            _pipe.Write(s_end);
        }

        _pipe.Write(s_done);
        await _pipe.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes an error event after output has begun; the stream then ends.</summary>
    public async ValueTask FailAsync(FailureInfo failure, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(failure);
        _pipe.Write(s_data);
        _json.Reset();
        OpenAIErrorWriter.WriteBody(_json, failure.Type, failure.Code, failure.Message, null);
        _json.Flush();
        _pipe.Write(s_end);
        await _pipe.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public void Dispose() => _json.Dispose();

    /// <summary>Opens a chunk's single choice and its delta; the first delta of the stream carries the role.</summary>
    private void BeginDelta()
    {
        BeginChunk();
        _json.WriteStartObject();
        _json.WriteNumber("index", 0);
        _json.WriteStartObject("delta");
        if (!_roleSent)
        {
            _json.WriteString("role", "assistant");
            _roleSent = true;
        }
    }

    private void BeginChunk()
    {
        WriteChunkHeader();
        _json.WriteStartArray("choices");
    }

    private void WriteChunkHeader()
    {
        _pipe.Write(s_data);
        _json.Reset();
        _json.WriteStartObject();
        _json.WriteString("id", _id);
        _json.WriteString("object", "chat.completion.chunk");
        _json.WriteNumber("created", _created);
        _json.WriteString("model", _model);
    }

    private ValueTask<FlushResult> EndChunkAsync(CancellationToken cancellationToken)
    {
        _json.WriteEndArray();
        _json.WriteEndObject();
        _json.Flush();
        _pipe.Write(s_end);
        return _pipe.FlushAsync(cancellationToken);
    }
}
