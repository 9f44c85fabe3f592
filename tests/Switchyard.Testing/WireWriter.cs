using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Switchyard.Testing;

/// <summary>Low-level helpers shared by the OpenAI and Anthropic writers: JSON bodies, SSE events, text splitting.</summary>
internal static class WireWriter
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly byte[] EventPrefix = "event: "u8.ToArray();
    private static readonly byte[] DataPrefix = "data: "u8.ToArray();
    private static readonly byte[] LineEnd = "\n"u8.ToArray();
    private static readonly byte[] EventEnd = "\n\n"u8.ToArray();

    /// <summary>Serialises one JSON value with <paramref name="write"/>.</summary>
    /// <param name="write">Writes exactly one JSON value.</param>
    /// <returns>The UTF-8 bytes.</returns>
    public static ReadOnlyMemory<byte> ToJson(Action<Utf8JsonWriter> write)
    {
        ArrayBufferWriter<byte> buffer = new(512);
        using (Utf8JsonWriter writer = new(buffer, WriterOptions))
        {
            write(writer);
        }

        return buffer.WrittenMemory;
    }

    /// <summary>Serialises one JSON value with <paramref name="write"/> to a string.</summary>
    /// <param name="write">Writes exactly one JSON value.</param>
    /// <returns>The JSON text.</returns>
    public static string ToJsonString(Action<Utf8JsonWriter> write) => Encoding.UTF8.GetString(ToJson(write).Span);

    /// <summary>Writes a complete JSON response.</summary>
    /// <param name="context">The request context.</param>
    /// <param name="statusCode">The HTTP status code.</param>
    /// <param name="write">Writes the body value.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the body has been written.</returns>
    public static async Task WriteJsonAsync(HttpContext context, int statusCode, Action<Utf8JsonWriter> write, CancellationToken cancellationToken)
    {
        ReadOnlyMemory<byte> body = ToJson(write);
        HttpResponse response = context.Response;
        response.StatusCode = statusCode;
        response.ContentType = "application/json";
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, cancellationToken).ConfigureAwait(false);
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sets the status and headers of a server-sent event stream and sends them.</summary>
    /// <param name="context">The request context.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the headers have been flushed.</returns>
    public static async Task StartEventStreamAsync(HttpContext context, CancellationToken cancellationToken)
    {
        HttpResponse response = context.Response;
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        context.Features.Get<IHttpResponseBodyFeature>()?.DisableBuffering();
        await response.StartAsync(cancellationToken).ConfigureAwait(false);
        await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes one server-sent event and flushes it.</summary>
    /// <param name="context">The request context.</param>
    /// <param name="eventName">The <c>event:</c> field, or <see langword="null"/> for none.</param>
    /// <param name="data">The <c>data:</c> field (a single line).</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the event has been flushed.</returns>
    public static async Task WriteEventAsync(HttpContext context, string? eventName, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        Stream body = context.Response.Body;
        if (eventName is not null)
        {
            await body.WriteAsync(EventPrefix, cancellationToken).ConfigureAwait(false);
            await body.WriteAsync(Encoding.UTF8.GetBytes(eventName), cancellationToken).ConfigureAwait(false);
            await body.WriteAsync(LineEnd, cancellationToken).ConfigureAwait(false);
        }

        await body.WriteAsync(DataPrefix, cancellationToken).ConfigureAwait(false);
        await body.WriteAsync(data, cancellationToken).ConfigureAwait(false);
        await body.WriteAsync(EventEnd, cancellationToken).ConfigureAwait(false);
        await body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sets the <c>Retry-After</c> header in whole seconds, rounded up.</summary>
    /// <param name="response">The response.</param>
    /// <param name="retryAfter">The wait, or <see langword="null"/> to send no header.</param>
    public static void SetRetryAfter(HttpResponse response, TimeSpan? retryAfter)
    {
        if (retryAfter is { } wait)
        {
            long seconds = (long)Math.Ceiling(wait.TotalSeconds);
            response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        }
    }

    /// <summary>
    /// Splits text into streaming pieces, one per word, each word carrying the whitespace before it (as provider
    /// tokens do: <c>"one"</c>, <c>" two"</c>, <c>" three"</c>), so that concatenating the pieces gives back the text exactly.
    /// </summary>
    /// <param name="text">The text.</param>
    /// <returns>The pieces; none for an empty text.</returns>
    public static List<string> SplitWords(string text)
    {
        List<string> pieces = [];
        int lastWordChar = text.Length - 1;
        while (lastWordChar >= 0 && char.IsWhiteSpace(text[lastWordChar]))
        {
            lastWordChar--;
        }

        int start = 0;
        for (int i = 1; i < lastWordChar; i++)
        {
            if (char.IsWhiteSpace(text[i]) && !char.IsWhiteSpace(text[i - 1]))
            {
                pieces.Add(text[start..i]);
                start = i;
            }
        }

        if (start < text.Length)
        {
            pieces.Add(text[start..]);
        }

        return pieces;
    }

    /// <summary>
    /// Splits a tool-call argument string into pieces for streaming: at least two when it has two characters or more,
    /// never between the halves of a surrogate pair.
    /// </summary>
    /// <param name="arguments">The argument JSON text.</param>
    /// <returns>The pieces; concatenated they give back <paramref name="arguments"/>.</returns>
    public static List<string> SplitArguments(string arguments)
    {
        List<string> pieces = [];
        if (arguments.Length == 0)
        {
            return pieces;
        }

        int size = Math.Max(1, (arguments.Length + 2) / 3);
        int start = 0;
        while (start < arguments.Length)
        {
            int end = Math.Min(arguments.Length, start + size);
            if (end < arguments.Length && char.IsLowSurrogate(arguments[end]))
            {
                end++;
            }

            pieces.Add(arguments[start..end]);
            start = end;
        }

        return pieces;
    }

    /// <summary>Makes a random identifier with the given prefix.</summary>
    /// <param name="prefix">For example <c>chatcmpl-</c> or <c>msg_</c>.</param>
    /// <returns>The identifier.</returns>
    public static string NewId(string prefix) => prefix + Guid.NewGuid().ToString("N")[..24];
}
