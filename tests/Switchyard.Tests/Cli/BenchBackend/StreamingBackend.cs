using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Switchyard.Tests.Cli.BenchBackend;

/// <summary>
/// A loopback OpenAI-compatible serving backend for the throughput benchmark: <c>POST /v1/chat/completions</c> streams
/// exactly <c>max_tokens</c> tokens (or <see cref="StopAfterTokens"/>), <see cref="TokensPerChunk"/> to an event, with
/// <c>usage</c> when asked for and <see cref="SendUsage"/> allows, and counts requests in flight. <c>GET /v1/models</c>
/// lists <see cref="Model"/>. Settings are read per request; set them before the run.
/// </summary>
internal sealed class StreamingBackend : IAsyncDisposable
{
    /// <summary>What <c>prompt_tokens</c> adds to the words of the prompt: a chat template's share.</summary>
    public const int TemplateTokens = 9;

    private readonly Lock _gate = new();
    private readonly List<JsonDocument> _bodies = [];
    private readonly TaskCompletionSource _levelReached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly WebApplication _app;
    private int _received;
    private int _inFlight;
    private int _maxInFlight;

    private StreamingBackend(WebApplication app)
    {
        _app = app;
        app.MapPost("/v1/chat/completions", HandleAsync);
        app.MapGet("/v1/models", context => context.Response.WriteAsJsonAsync(new { @object = "list", data = new[] { new { id = Model, @object = "model" } } }));
    }

    public Uri BaseUri { get; private set; } = null!;

    public string Model { get; set; } = "bench-model";

    public string? RequiredApiKey { get; set; }

    public bool SendUsage { get; set; } = true;

    public int TokensPerChunk { get; set; } = 1;

    /// <summary>When set, answers stop after this many tokens whatever max_tokens says (a server that ignores ignore_eos).</summary>
    public int? StopAfterTokens { get; set; }

    public TimeSpan TokenDelay { get; set; }

    /// <summary>Status to answer a chat request with, given its number (1-based, in arrival order) and body; null to stream.</summary>
    public Func<int, JsonElement, int?> FailWith { get; set; } = (_, _) => null;

    /// <summary>Chat requests for which this is true wait until the client gives up (<see cref="Held"/> completes at the first).</summary>
    public Func<JsonElement, bool> HoldWhen { get; set; } = _ => false;

    /// <summary>When set, the connection is aborted after this many tokens of every answer.</summary>
    public int? AbortAfterTokens { get; set; }

    /// <summary>Completes when the first request is held by <see cref="HoldWhen"/>.</summary>
    public Task Held => _held.Task;

    /// <summary>
    /// When set, requests wait (up to 10 s, a safety net for a client that never gets there) before streaming until this
    /// many are in flight at once, so a client that keeps that many in flight is seen to.
    /// </summary>
    public int? StreamOnceInFlight { get; set; }

    public int MaxInFlight => Volatile.Read(ref _maxInFlight);

    public int ChatRequests => Volatile.Read(ref _received);

    public IReadOnlyList<JsonDocument> Bodies
    {
        get
        {
            lock (_gate)
            {
                return [.. _bodies];
            }
        }
    }

    public static async Task<StreamingBackend> StartAsync()
    {
        var app = Switchyard.Testing.LoopbackServer.CreateBuilder().Build();
        var backend = new StreamingBackend(app);
        await app.StartAsync();
        backend.BaseUri = new Uri(Switchyard.Testing.LoopbackServer.BaseAddress(app), "v1");
        return backend;
    }

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await _app.StopAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
        }

        await _app.DisposeAsync();
        foreach (var body in Bodies)
        {
            body.Dispose();
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        var aborted = context.RequestAborted;
        using var reader = new StreamReader(context.Request.Body, Encoding.UTF8);
        var body = JsonDocument.Parse(await reader.ReadToEndAsync(aborted));
        var ordinal = Interlocked.Increment(ref _received);
        lock (_gate)
        {
            _bodies.Add(body);
        }

        var root = body.RootElement;
        if (RequiredApiKey is { } key && context.Request.Headers.Authorization.ToString() != "Bearer " + key)
        {
            await WriteErrorAsync(context, 401, """{"error":{"message":"Incorrect API key provided.","type":"invalid_request_error","param":null,"code":"invalid_api_key"}}""");
            return;
        }

        var model = root.GetProperty("model").GetString();
        if (model != Model)
        {
            // vLLM's answer to an unknown model.
            await WriteErrorAsync(context, 404, JsonSerializer.Serialize(new { @object = "error", message = $"The model `{model}` does not exist.", type = "NotFoundError", param = (string?)null, code = 404 }));
            return;
        }

        var inFlight = Interlocked.Increment(ref _inFlight);
        var counted = true;
        void Leave()
        {
            if (counted)
            {
                counted = false;
                Interlocked.Decrement(ref _inFlight);
            }
        }

        try
        {
            lock (_gate)
            {
                _maxInFlight = Math.Max(_maxInFlight, inFlight);
            }

            if (StreamOnceInFlight is { } level && inFlight >= level)
            {
                _levelReached.TrySetResult();
            }

            if (FailWith(ordinal, root) is { } status)
            {
                Leave();
                await WriteErrorAsync(context, status, """{"error":{"message":"scripted failure","type":"server_error","param":null,"code":null}}""");
                return;
            }

            if (HoldWhen(root))
            {
                _held.TrySetResult();
                await Task.Delay(Timeout.Infinite, aborted);
            }

            if (StreamOnceInFlight is not null)
            {
                try
                {
                    await _levelReached.Task.WaitAsync(TimeSpan.FromSeconds(10), aborted);
                }
                catch (TimeoutException)
                {
                    // The client never had that many in flight: stream this and all later requests, and let MaxInFlight tell.
                    _levelReached.TrySetResult();
                }
            }

            await StreamAsync(context, root, Leave, aborted);
        }
        catch (OperationCanceledException)
        {
            context.Abort();
        }
        finally
        {
            Leave();
        }
    }

    private async Task StreamAsync(HttpContext context, JsonElement request, Action leave, CancellationToken aborted)
    {
        var maxTokens = request.GetProperty("max_tokens").GetInt32();
        var tokens = StopAfterTokens is { } stop ? Math.Min(stop, maxTokens) : maxTokens;
        var includeUsage = request.TryGetProperty("stream_options", out var so) && so.TryGetProperty("include_usage", out var iu) && iu.GetBoolean();
        var prompt = request.GetProperty("messages")[0].GetProperty("content").GetString()!;
        var promptTokens = prompt.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length + TemplateTokens;
        var model = request.GetProperty("model").GetString()!;

        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/event-stream";
        await WriteEventAsync(context, Chunk(model, """{"role":"assistant","content":""}""", null, includeUsage), aborted);
        for (var sent = 0; sent < tokens;)
        {
            var n = Math.Min(TokensPerChunk, tokens - sent);
            var text = string.Concat(Enumerable.Range(sent, n).Select(i => string.Create(CultureInfo.InvariantCulture, $" t{i}")));
            await WriteEventAsync(context, Chunk(model, JsonSerializer.Serialize(new { content = text }), null, includeUsage), aborted);
            sent += n;
            if (sent >= AbortAfterTokens)
            {
                // Cut the connection without finishing the stream.
                context.Abort();
                return;
            }

            if (TokenDelay > TimeSpan.Zero)
            {
                await Task.Delay(TokenDelay, aborted);
            }
        }

        await WriteEventAsync(context, Chunk(model, "{}", "length", includeUsage), aborted);
        if (includeUsage && SendUsage)
        {
            var usage = new { prompt_tokens = promptTokens, completion_tokens = tokens, total_tokens = promptTokens + tokens };
            await WriteEventAsync(context, JsonSerializer.Serialize(new { id = "chatcmpl-b", @object = "chat.completion.chunk", created = 0, model, choices = Array.Empty<object>(), usage }), aborted);
        }

        // No longer in flight before the client can see the end, so the client cannot start its next request first.
        leave();
        await WriteEventAsync(context, "[DONE]", aborted);
    }

    private string Chunk(string model, string delta, string? finish, bool includeUsage) =>
        $$"""{"id":"chatcmpl-b","object":"chat.completion.chunk","created":0,"model":"{{model}}","choices":[{"index":0,"delta":{{delta}},"finish_reason":{{(finish is null ? "null" : "\"" + finish + "\"")}}}]{{(includeUsage && SendUsage ? ",\"usage\":null" : "")}}}""";

    private static async Task WriteEventAsync(HttpContext context, string data, CancellationToken aborted)
    {
        await context.Response.WriteAsync("data: " + data + "\n\n", aborted);
        await context.Response.Body.FlushAsync(aborted);
    }

    private static async Task WriteErrorAsync(HttpContext context, int status, string body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body, context.RequestAborted);
    }
}
