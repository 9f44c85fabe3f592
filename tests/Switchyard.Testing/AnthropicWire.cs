using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Switchyard.Testing;

/// <summary>Writes replies and errors in the Anthropic Messages wire format.</summary>
internal static class AnthropicWire
{
    /// <summary>Writes a non-streamed <c>message</c> object.</summary>
    /// <param name="context">The request context.</param>
    /// <param name="request">The parsed request.</param>
    /// <param name="reply">The reply.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the response has been written.</returns>
    public static Task WriteMessageAsync(HttpContext context, ParsedRequest request, FakeReply reply, CancellationToken cancellationToken)
    {
        SetRequestId(context);
        string id = WireWriter.NewId("msg_");
        return WireWriter.WriteJsonAsync(context, StatusCodes.Status200OK, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("id", id);
            writer.WriteString("type", "message");
            writer.WriteString("role", "assistant");
            writer.WriteString("model", request.Model);
            writer.WriteStartArray("content");
            if (reply.Thinking is { } thinking)
            {
                writer.WriteStartObject();
                writer.WriteString("type", "thinking");
                writer.WriteString("thinking", thinking.ThinkingText);
                writer.WriteString("signature", thinking.Signature);
                writer.WriteEndObject();
            }

            writer.WriteStartObject();
            if (reply.Tool is { } tool)
            {
                writer.WriteString("type", "tool_use");
                writer.WriteString("id", tool.CallId);
                writer.WriteString("name", tool.Name);
                WriteDirectCaller(writer);
                writer.WritePropertyName("input");
                writer.WriteRawValue(tool.ArgumentsJson, skipInputValidation: false);
            }
            else
            {
                writer.WriteString("type", "text");
                writer.WriteString("text", reply.Text);
            }

            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteString("stop_reason", StopReason(reply));
            writer.WriteNull("stop_sequence");
            WriteUsage(writer, reply.Usage, reply.Usage.OutputTokens);
            writer.WriteEndObject();
        }, cancellationToken);
    }

    /// <summary>
    /// Writes a streamed reply as Anthropic server-sent events (<c>message_start</c>, <c>ping</c>,
    /// <c>content_block_start</c>, <c>content_block_delta</c>…, <c>content_block_stop</c>, <c>message_delta</c>,
    /// <c>message_stop</c>); or, when <paramref name="cutAfter"/> is given, stops after that many content deltas
    /// (the caller then aborts). A reply with a thinking block streams it first, at index 0 (<c>thinking_delta</c>s
    /// then one <c>signature_delta</c>), and the text block at index 1.
    /// </summary>
    /// <param name="context">The request context.</param>
    /// <param name="request">The parsed request.</param>
    /// <param name="reply">The reply.</param>
    /// <param name="cutAfter">The number of content deltas after which to stop, or <see langword="null"/> for a full stream.</param>
    /// <param name="cancellationToken">Cancels the writes.</param>
    /// <returns>A task that completes when the stream has been written.</returns>
    public static async Task WriteStreamAsync(HttpContext context, ParsedRequest request, FakeReply reply, int? cutAfter, CancellationToken cancellationToken)
    {
        SetRequestId(context);
        string id = WireWriter.NewId("msg_");
        FakeUsage usage = reply.Usage;

        await WireWriter.StartEventStreamAsync(context, cancellationToken).ConfigureAwait(false);

        await WriteEventAsync(context, "message_start", writer =>
        {
            writer.WriteStartObject("message");
            writer.WriteString("id", id);
            writer.WriteString("type", "message");
            writer.WriteString("role", "assistant");
            writer.WriteString("model", request.Model);
            writer.WriteStartArray("content");
            writer.WriteEndArray();
            writer.WriteNull("stop_reason");
            writer.WriteNull("stop_sequence");
            WriteUsage(writer, usage, outputTokens: 1);
            writer.WriteEndObject();
        }, cancellationToken).ConfigureAwait(false);

        await WriteEventAsync(context, "ping", _ => { }, cancellationToken).ConfigureAwait(false);

        int index = 0;
        if (reply.Thinking is { } thinking)
        {
            await WriteEventAsync(context, "content_block_start", writer =>
            {
                writer.WriteNumber("index", index);
                writer.WriteStartObject("content_block");
                writer.WriteString("type", "thinking");
                writer.WriteString("thinking", string.Empty);
                writer.WriteString("signature", string.Empty);
                writer.WriteEndObject();
            }, cancellationToken).ConfigureAwait(false);

            foreach (string word in WireWriter.SplitWords(thinking.ThinkingText))
            {
                await WriteDeltaAsync(context, index, "thinking_delta", "thinking", word, cancellationToken).ConfigureAwait(false);
            }

            await WriteDeltaAsync(context, index, "signature_delta", "signature", thinking.Signature, cancellationToken).ConfigureAwait(false);
            await WriteEventAsync(context, "content_block_stop", writer => writer.WriteNumber("index", index), cancellationToken).ConfigureAwait(false);
            index++;
        }

        await WriteEventAsync(context, "content_block_start", writer =>
        {
            writer.WriteNumber("index", index);
            writer.WriteStartObject("content_block");
            if (reply.Tool is { } tool)
            {
                writer.WriteString("type", "tool_use");
                writer.WriteString("id", tool.CallId);
                writer.WriteString("name", tool.Name);
                WriteDirectCaller(writer);
                writer.WriteStartObject("input");
                writer.WriteEndObject();
            }
            else
            {
                writer.WriteString("type", "text");
                writer.WriteString("text", string.Empty);
            }

            writer.WriteEndObject();
        }, cancellationToken).ConfigureAwait(false);

        if (reply.Tool is { } call)
        {
            foreach (string piece in WireWriter.SplitArguments(call.ArgumentsJson))
            {
                await WriteDeltaAsync(context, index, "input_json_delta", "partial_json", piece, cancellationToken).ConfigureAwait(false);
            }
        }
        else
        {
            int sent = 0;
            foreach (string word in WireWriter.SplitWords(reply.Text ?? string.Empty))
            {
                if (sent == cutAfter)
                {
                    return;
                }

                await WriteDeltaAsync(context, index, "text_delta", "text", word, cancellationToken).ConfigureAwait(false);
                sent++;
            }

            if (cutAfter is not null)
            {
                return;
            }
        }

        await WriteEventAsync(context, "content_block_stop", writer => writer.WriteNumber("index", index), cancellationToken).ConfigureAwait(false);

        await WriteEventAsync(context, "message_delta", writer =>
        {
            writer.WriteStartObject("delta");
            writer.WriteString("stop_reason", StopReason(reply));
            writer.WriteNull("stop_sequence");
            writer.WriteEndObject();

            // The usage of message_delta is cumulative, as the API documents it.
            WriteUsage(writer, usage, usage.OutputTokens);
        }, cancellationToken).ConfigureAwait(false);

        await WriteEventAsync(context, "message_stop", _ => { }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes an Anthropic error: <c>{"type":"error","error":{"type","message"}}</c>, the error type chosen from the status.
    /// </summary>
    /// <param name="context">The request context.</param>
    /// <param name="statusCode">The HTTP status code.</param>
    /// <param name="message">The message, or <see langword="null"/> for a generic one.</param>
    /// <param name="retryAfter">The <c>Retry-After</c> wait, or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the response has been written.</returns>
    public static Task WriteErrorAsync(HttpContext context, int statusCode, string? message, TimeSpan? retryAfter, CancellationToken cancellationToken)
    {
        SetRequestId(context);
        WireWriter.SetRetryAfter(context.Response, retryAfter);
        string type = statusCode switch
        {
            400 => "invalid_request_error",
            401 => "authentication_error",
            402 => "billing_error",
            403 => "permission_error",
            404 => "not_found_error",
            413 => "request_too_large",
            429 => "rate_limit_error",
            504 => "timeout_error",
            529 => "overloaded_error",
            >= 500 => "api_error",
            _ => "invalid_request_error",
        };
        string text = message ?? $"The fake upstream returned HTTP {statusCode}.";
        return WireWriter.WriteJsonAsync(context, statusCode, writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("type", "error");
            writer.WriteStartObject("error");
            writer.WriteString("type", type);
            writer.WriteString("message", text);
            writer.WriteEndObject();
            writer.WriteEndObject();
        }, cancellationToken);
    }

    private static void SetRequestId(HttpContext context) =>
        context.Response.Headers["request-id"] = WireWriter.NewId("req_");

    private static string StopReason(FakeReply reply) => reply.Tool is null ? "end_turn" : "tool_use";

    private static Task WriteEventAsync(HttpContext context, string name, Action<Utf8JsonWriter> writeBody, CancellationToken cancellationToken)
    {
        ReadOnlyMemory<byte> data = WireWriter.ToJson(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("type", name);
            writeBody(writer);
            writer.WriteEndObject();
        });
        return WireWriter.WriteEventAsync(context, name, data, cancellationToken);
    }

    private static Task WriteDeltaAsync(HttpContext context, int index, string deltaType, string field, string value, CancellationToken cancellationToken) =>
        WriteEventAsync(context, "content_block_delta", writer =>
        {
            writer.WriteNumber("index", index);
            writer.WriteStartObject("delta");
            writer.WriteString("type", deltaType);
            writer.WriteString(field, value);
            writer.WriteEndObject();
        }, cancellationToken);

    private static void WriteDirectCaller(Utf8JsonWriter writer)
    {
        // Current API versions say who invoked a tool; the official SDK requires the field when it validates.
        writer.WriteStartObject("caller");
        writer.WriteString("type", "direct");
        writer.WriteEndObject();
    }

    private static void WriteUsage(Utf8JsonWriter writer, FakeUsage usage, int outputTokens)
    {
        writer.WriteStartObject("usage");
        writer.WriteNumber("input_tokens", usage.InputTokens);
        writer.WriteNumber("cache_creation_input_tokens", usage.CacheCreationInputTokens);
        writer.WriteNumber("cache_read_input_tokens", usage.CachedInputTokens);
        writer.WriteNumber("output_tokens", outputTokens);
        writer.WriteEndObject();
    }
}
