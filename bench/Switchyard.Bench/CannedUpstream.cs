using System.Buffers;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Switchyard.Bench;

/// <summary>
/// A minimal OpenAI-compatible upstream on loopback: <c>POST /v1/chat/completions</c> answers a fixed
/// <c>chat.completion</c> (with usage), or with <c>"stream": true</c> a fixed SSE stream of 20 chunks, a usage chunk
/// and <c>data: [DONE]</c>. Every response is precomputed bytes; each SSE event is written and flushed on its own
/// (so proxies see a real chunked stream), with no delay between them.
/// </summary>
internal static class CannedUpstream
{
    private const string Id = "chatcmpl-bench0000000000000000000000";
    private const long Created = 1_700_000_000;
    private const string Model = "bench-upstream";
    private const int PromptTokens = 12;

    /// <summary>The 18 content pieces; with the role chunk and the finish chunk they make 20 chunks.</summary>
    private static readonly string[] Tokens =
    [
        "Hello", "!", " This", " is", " a", " canned", " answer", " from", " the", " bench", " upstream", ",",
        " always", " the", " same", " bytes", " every", " time.",
    ];

    /// <summary>The non-streamed <c>chat.completion</c> body.</summary>
    public static byte[] CompletionBody { get; } = BuildCompletion();

    /// <summary>The SSE events of a streamed answer, each a complete <c>data: …\n\n</c> event.</summary>
    public static IReadOnlyList<byte[]> StreamEvents { get; } = BuildStream();

    /// <summary>The number of content chunks in a stream (role chunk, token chunks, finish chunk), usage excluded.</summary>
    public static int ContentChunkCount => Tokens.Length + 2;

    /// <summary>The full text the upstream answers.</summary>
    public static string AnswerText => string.Concat(Tokens);

    private static readonly byte[] NotFoundBody = Encoding.UTF8.GetBytes("""{"error":{"message":"not found","type":"invalid_request_error","param":null,"code":"unknown_url"}}""");
    private static readonly byte[] BadJsonBody = Encoding.UTF8.GetBytes("""{"error":{"message":"invalid JSON","type":"invalid_request_error","param":null,"code":"invalid_json"}}""");

    /// <summary>Runs the upstream until stdin closes (the driver exited or closed it) or the process is signalled.</summary>
    public static async Task<int> RunAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Listen(IPAddress.Loopback, port);
        });
        await using var app = builder.Build();
        app.Run(HandleAsync);
        await app.StartAsync().ConfigureAwait(false);
        Console.WriteLine("UPSTREAM LISTENING " + string.Join(" ", app.Urls));

        // Exit when the driver goes away: its end of our stdin pipe closes, even if it was killed outright.
        var stdinClosed = Task.Run(() =>
        {
            using var stdin = Console.OpenStandardInput();
            var buffer = new byte[256];
            while (stdin.Read(buffer, 0, buffer.Length) > 0)
            {
            }
        });
        var lifetime = app.Lifetime;
        var stopping = Task.Delay(Timeout.Infinite, lifetime.ApplicationStopping);
        await Task.WhenAny(stdinClosed, stopping).ConfigureAwait(false);
        await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
        return 0;
    }

    private static async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        if (!HttpMethods.IsPost(request.Method) || !request.Path.Equals("/v1/chat/completions", StringComparison.Ordinal))
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            response.ContentType = "application/json";
            response.ContentLength = NotFoundBody.Length;
            await response.Body.WriteAsync(NotFoundBody).ConfigureAwait(false);
            return;
        }

        bool? stream = null;
        var reader = request.BodyReader;
        while (true)
        {
            var read = await reader.ReadAsync(context.RequestAborted).ConfigureAwait(false);
            if (read.IsCompleted)
            {
                stream = IsStreamRequest(read.Buffer);
                reader.AdvanceTo(read.Buffer.End);
                break;
            }

            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }

        if (stream is null)
        {
            response.StatusCode = StatusCodes.Status400BadRequest;
            response.ContentType = "application/json";
            response.ContentLength = BadJsonBody.Length;
            await response.Body.WriteAsync(BadJsonBody).ConfigureAwait(false);
            return;
        }

        response.StatusCode = StatusCodes.Status200OK;
        if (stream == false)
        {
            response.ContentType = "application/json";
            response.ContentLength = CompletionBody.Length;
            await response.BodyWriter.WriteAsync(CompletionBody, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        foreach (var chunk in StreamEvents)
        {
            // PipeWriter.WriteAsync writes and flushes: one event leaves per write.
            await response.BodyWriter.WriteAsync(chunk, context.RequestAborted).ConfigureAwait(false);
        }
    }

    /// <summary>True/false for the top-level <c>stream</c> field (absent = false); null when the body is not JSON.</summary>
    internal static bool? IsStreamRequest(ReadOnlySequence<byte> body)
    {
        try
        {
            var json = new Utf8JsonReader(body);
            if (!json.Read() || json.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            var result = false;
            while (json.Read())
            {
                if (json.TokenType == JsonTokenType.PropertyName && json.CurrentDepth == 1)
                {
                    var isStream = json.ValueTextEquals("stream"u8);
                    json.Read();
                    if (isStream)
                    {
                        result = json.TokenType == JsonTokenType.True;
                    }

                    json.Skip();
                }
            }

            return result;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static byte[] BuildCompletion()
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("id", Id);
            w.WriteString("object", "chat.completion");
            w.WriteNumber("created", Created);
            w.WriteString("model", Model);
            w.WriteStartArray("choices");
            w.WriteStartObject();
            w.WriteNumber("index", 0);
            w.WriteStartObject("message");
            w.WriteString("role", "assistant");
            w.WriteString("content", AnswerText);
            w.WriteNull("refusal");
            w.WriteEndObject();
            w.WriteNull("logprobs");
            w.WriteString("finish_reason", "stop");
            w.WriteEndObject();
            w.WriteEndArray();
            WriteUsage(w);
            w.WriteString("system_fingerprint", "fp_bench");
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static List<byte[]> BuildStream()
    {
        var events = new List<byte[]>
        {
            Event(w => WriteChunk(w, delta => { delta.WriteString("role", "assistant"); delta.WriteString("content", ""); }, finish: null)),
        };
        foreach (var token in Tokens)
        {
            events.Add(Event(w => WriteChunk(w, delta => delta.WriteString("content", token), finish: null)));
        }

        events.Add(Event(w => WriteChunk(w, _ => { }, finish: "stop")));
        events.Add(Event(w =>
        {
            w.WriteStartObject();
            WriteChunkHeader(w);
            w.WriteStartArray("choices");
            w.WriteEndArray();
            WriteUsage(w);
            w.WriteEndObject();
        }));
        events.Add("data: [DONE]\n\n"u8.ToArray());
        return events;
    }

    private static void WriteChunk(Utf8JsonWriter w, Action<Utf8JsonWriter> writeDelta, string? finish)
    {
        w.WriteStartObject();
        WriteChunkHeader(w);
        w.WriteStartArray("choices");
        w.WriteStartObject();
        w.WriteNumber("index", 0);
        w.WriteStartObject("delta");
        writeDelta(w);
        w.WriteEndObject();
        w.WriteNull("logprobs");
        if (finish is null)
        {
            w.WriteNull("finish_reason");
        }
        else
        {
            w.WriteString("finish_reason", finish);
        }

        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteChunkHeader(Utf8JsonWriter w)
    {
        w.WriteString("id", Id);
        w.WriteString("object", "chat.completion.chunk");
        w.WriteNumber("created", Created);
        w.WriteString("model", Model);
        w.WriteString("system_fingerprint", "fp_bench");
    }

    private static void WriteUsage(Utf8JsonWriter w)
    {
        w.WriteStartObject("usage");
        w.WriteNumber("prompt_tokens", PromptTokens);
        w.WriteNumber("completion_tokens", Tokens.Length);
        w.WriteNumber("total_tokens", PromptTokens + Tokens.Length);
        w.WriteEndObject();
    }

    private static byte[] Event(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        buffer.Write("data: "u8);
        using (var w = new Utf8JsonWriter(buffer))
        {
            write(w);
        }

        buffer.Write("\n\n"u8);
        return buffer.WrittenSpan.ToArray();
    }
}
