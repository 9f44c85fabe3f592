using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Switchyard.Testing;

/// <summary>Writes replies and errors in the OpenAI Chat Completions wire format.</summary>
internal static class OpenAIWire
{
    private static readonly ReadOnlyMemory<byte> Done = "[DONE]"u8.ToArray();

    /// <summary>Writes a non-streamed <c>chat.completion</c> object.</summary>
    /// <param name="context">The request context.</param>
    /// <param name="request">The parsed request.</param>
    /// <param name="reply">The reply.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the response has been written.</returns>
    public static Task WriteCompletionAsync(HttpContext context, ParsedRequest request, FakeReply reply, CancellationToken cancellationToken)
    {
        SetRequestId(context);
        string id = WireWriter.NewId("chatcmpl-");
        long created = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
        return WireWriter.WriteJsonAsync(context, StatusCodes.Status200OK, writer =>
        {
            writer.WriteStartObject();
            WriteEnvelope(writer, id, "chat.completion", created, request.Model);
            writer.WriteStartArray("choices");
            writer.WriteStartObject();
            writer.WriteNumber("index", 0);
            writer.WriteStartObject("message");
            writer.WriteString("role", "assistant");
            if (reply.Tool is { } tool)
            {
                writer.WriteNull("content");
                writer.WriteNull("refusal");
                writer.WriteStartArray("tool_calls");
                writer.WriteStartObject();
                writer.WriteString("id", tool.CallId);
                writer.WriteString("type", "function");
                writer.WriteStartObject("function");
                writer.WriteString("name", tool.Name);
                writer.WriteString("arguments", tool.ArgumentsJson);
                writer.WriteEndObject();
                writer.WriteEndObject();
                writer.WriteEndArray();
            }
            else
            {
                writer.WriteString("content", reply.Text);
                writer.WriteNull("refusal");
            }

            writer.WriteStartArray("annotations");
            writer.WriteEndArray();
            writer.WriteEndObject();
            writer.WriteNull("logprobs");
            writer.WriteString("finish_reason", FinishReason(reply));
            writer.WriteEndObject();
            writer.WriteEndArray();
            WriteUsage(writer, reply.Usage);
            writer.WriteString("service_tier", "default");
            writer.WriteNull("system_fingerprint");
            writer.WriteEndObject();
        }, cancellationToken);
    }

    /// <summary>
    /// Writes a streamed reply as <c>chat.completion.chunk</c> server-sent events, ending with <c>data: [DONE]</c>;
    /// or, when <paramref name="cutAfter"/> is given, stops after that many content deltas (the caller then aborts).
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
        string id = WireWriter.NewId("chatcmpl-");
        long created = TimeProvider.System.GetUtcNow().ToUnixTimeSeconds();
        bool includeUsage = request.IncludeUsage;

        ReadOnlyMemory<byte> Chunk(Action<Utf8JsonWriter> writeDelta, string? finishReason) => WireWriter.ToJson(writer =>
        {
            writer.WriteStartObject();
            WriteEnvelope(writer, id, "chat.completion.chunk", created, request.Model);
            writer.WriteNull("system_fingerprint");
            writer.WriteStartArray("choices");
            writer.WriteStartObject();
            writer.WriteNumber("index", 0);
            writer.WriteStartObject("delta");
            writeDelta(writer);
            writer.WriteEndObject();
            writer.WriteNull("logprobs");
            if (finishReason is null)
            {
                writer.WriteNull("finish_reason");
            }
            else
            {
                writer.WriteString("finish_reason", finishReason);
            }

            writer.WriteEndObject();
            writer.WriteEndArray();
            if (includeUsage)
            {
                writer.WriteNull("usage");
            }

            writer.WriteEndObject();
        });

        await WireWriter.StartEventStreamAsync(context, cancellationToken).ConfigureAwait(false);

        if (reply.Tool is { } tool)
        {
            await WireWriter.WriteEventAsync(context, null, Chunk(writer =>
            {
                writer.WriteString("role", "assistant");
                writer.WriteNull("content");
                writer.WriteStartArray("tool_calls");
                writer.WriteStartObject();
                writer.WriteNumber("index", 0);
                writer.WriteString("id", tool.CallId);
                writer.WriteString("type", "function");
                writer.WriteStartObject("function");
                writer.WriteString("name", tool.Name);
                writer.WriteString("arguments", string.Empty);
                writer.WriteEndObject();
                writer.WriteEndObject();
                writer.WriteEndArray();
            }, null), cancellationToken).ConfigureAwait(false);

            foreach (string piece in WireWriter.SplitArguments(tool.ArgumentsJson))
            {
                await WireWriter.WriteEventAsync(context, null, Chunk(writer =>
                {
                    writer.WriteStartArray("tool_calls");
                    writer.WriteStartObject();
                    writer.WriteNumber("index", 0);
                    writer.WriteStartObject("function");
                    writer.WriteString("arguments", piece);
                    writer.WriteEndObject();
                    writer.WriteEndObject();
                    writer.WriteEndArray();
                }, null), cancellationToken).ConfigureAwait(false);
            }
        }
        else
        {
            await WireWriter.WriteEventAsync(context, null, Chunk(writer =>
            {
                writer.WriteString("role", "assistant");
                writer.WriteString("content", string.Empty);
                writer.WriteNull("refusal");
            }, null), cancellationToken).ConfigureAwait(false);

            int sent = 0;
            foreach (string word in WireWriter.SplitWords(reply.Text ?? string.Empty))
            {
                if (sent == cutAfter)
                {
                    return;
                }

                await WireWriter.WriteEventAsync(context, null, Chunk(writer => writer.WriteString("content", word), null), cancellationToken).ConfigureAwait(false);
                sent++;
            }

            if (cutAfter is not null)
            {
                return;
            }
        }

        await WireWriter.WriteEventAsync(context, null, Chunk(_ => { }, FinishReason(reply)), cancellationToken).ConfigureAwait(false);

        if (includeUsage)
        {
            ReadOnlyMemory<byte> usageChunk = WireWriter.ToJson(writer =>
            {
                writer.WriteStartObject();
                WriteEnvelope(writer, id, "chat.completion.chunk", created, request.Model);
                writer.WriteNull("system_fingerprint");
                writer.WriteStartArray("choices");
                writer.WriteEndArray();
                WriteUsage(writer, reply.Usage);
                writer.WriteEndObject();
            });
            await WireWriter.WriteEventAsync(context, null, usageChunk, cancellationToken).ConfigureAwait(false);
        }

        await WireWriter.WriteEventAsync(context, null, Done, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes an OpenAI error object: <c>{"error":{"message","type","param","code"}}</c>.</summary>
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
        (string type, string? code) = statusCode switch
        {
            401 => ("invalid_request_error", "invalid_api_key"),
            403 => ("permission_error", null),
            404 => ("invalid_request_error", "model_not_found"),
            429 => ("requests", "rate_limit_exceeded"),
            >= 500 => ("server_error", null),
            _ => ("invalid_request_error", (string?)null),
        };
        string text = message ?? $"The fake upstream returned HTTP {statusCode}.";
        return WireWriter.WriteJsonAsync(context, statusCode, writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartObject("error");
            writer.WriteString("message", text);
            writer.WriteString("type", type);
            writer.WriteNull("param");
            if (code is null)
            {
                writer.WriteNull("code");
            }
            else
            {
                writer.WriteString("code", code);
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }, cancellationToken);
    }

    private static void SetRequestId(HttpContext context) =>
        context.Response.Headers["x-request-id"] = WireWriter.NewId("req_");

    private static string FinishReason(FakeReply reply) => reply.Tool is null ? "stop" : "tool_calls";

    private static void WriteEnvelope(Utf8JsonWriter writer, string id, string objectType, long created, string model)
    {
        writer.WriteString("id", id);
        writer.WriteString("object", objectType);
        writer.WriteNumber("created", created);
        writer.WriteString("model", model);
    }

    private static void WriteUsage(Utf8JsonWriter writer, FakeUsage usage)
    {
        writer.WriteStartObject("usage");
        writer.WriteNumber("prompt_tokens", usage.InputTokens);
        writer.WriteNumber("completion_tokens", usage.OutputTokens);
        writer.WriteNumber("total_tokens", usage.InputTokens + usage.OutputTokens);
        writer.WriteStartObject("prompt_tokens_details");
        writer.WriteNumber("cached_tokens", usage.CachedInputTokens);
        writer.WriteNumber("audio_tokens", 0);
        writer.WriteEndObject();
        writer.WriteStartObject("completion_tokens_details");
        writer.WriteNumber("reasoning_tokens", 0);
        writer.WriteNumber("audio_tokens", 0);
        writer.WriteNumber("accepted_prediction_tokens", 0);
        writer.WriteNumber("rejected_prediction_tokens", 0);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
