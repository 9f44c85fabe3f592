using System.Text.Json;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Primitives;

namespace Switchyard.Testing;

/// <summary>
/// A loopback HTTP server that plays hosted LLM providers for tests: it answers OpenAI Chat Completions
/// (<c>POST /v1/chat/completions</c>) and Anthropic Messages (<c>POST /v1/messages</c>) requests, streamed or not,
/// in their public wire formats, records every request, and can be told to fail in the ways real providers fail.
/// </summary>
/// <remarks>
/// Which <see cref="FakeBehavior"/> answers a request is chosen by the request body's <c>model</c>: first the
/// one-shot behaviours queued with <see cref="Once"/> (in order), then the one set with <see cref="When"/>, then
/// <see cref="DefaultBehavior"/>. All members are thread-safe.
/// </remarks>
public sealed class FakeUpstream : IAsyncDisposable
{
    private static readonly TimeSpan ShutdownTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan CutGracePeriod = TimeSpan.FromMilliseconds(100);

    private readonly Lock _gate = new();
    private readonly List<RecordedRequest> _requests = [];
    private readonly Dictionary<string, FakeBehavior> _persistent = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Queue<FakeBehavior>> _oneShots = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stopping = new();
    private FakeBehavior _defaultBehavior = FakeBehavior.Echo();
    private WebApplication? _app;
    private int _disposed;

    private FakeUpstream()
    {
        BaseUri = new Uri("http://127.0.0.1/");
    }

    /// <summary>Gets the server's root address, for example <c>http://127.0.0.1:54321/</c> (what an Anthropic client uses).</summary>
    public Uri BaseUri { get; private set; }

    /// <summary>Gets <see cref="BaseUri"/> followed by <c>v1/</c>: the endpoint an OpenAI client uses.</summary>
    public Uri OpenAIBaseUri => new(BaseUri, "v1/");

    /// <summary>Gets a snapshot of the requests received so far, in arrival order.</summary>
    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return _requests.ToArray();
            }
        }
    }

    /// <summary>
    /// Gets or sets the behaviour for requests that no <see cref="Once"/> or <see cref="When"/> behaviour matches.
    /// Defaults to <see cref="FakeBehavior.Echo"/>.
    /// </summary>
    public FakeBehavior DefaultBehavior
    {
        get
        {
            lock (_gate)
            {
                return _defaultBehavior;
            }
        }

        set
        {
            ArgumentNullException.ThrowIfNull(value);
            lock (_gate)
            {
                _defaultBehavior = value;
            }
        }
    }

    /// <summary>Starts a server on a free loopback port.</summary>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running server; dispose it to stop it.</returns>
    public static async Task<FakeUpstream> StartAsync(CancellationToken cancellationToken = default)
    {
        FakeUpstream upstream = new();
        WebApplicationBuilder builder = LoopbackServer.CreateBuilder(typeof(FakeUpstream).Assembly.GetName().Name);
        builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = ShutdownTimeout);

        WebApplication app = builder.Build();
        app.MapPost("/v1/chat/completions", (RequestDelegate)(context => upstream.HandleAsync(context, UpstreamApi.OpenAI)));
        app.MapPost("/v1/messages", (RequestDelegate)(context => upstream.HandleAsync(context, UpstreamApi.Anthropic)));
        app.MapPost("/v1/messages/count_tokens", (RequestDelegate)(context => upstream.HandleAsync(context, UpstreamApi.AnthropicCountTokens)));
        app.MapPost("/v1/embeddings", (RequestDelegate)(context => upstream.HandleAsync(context, UpstreamApi.OpenAIEmbeddings)));
        app.MapFallback((RequestDelegate)(context => upstream.HandleAsync(context, UpstreamApi.Unknown)));

        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
            upstream.BaseUri = LoopbackServer.BaseAddress(app);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            upstream._stopping.Dispose();
            throw;
        }

        upstream._app = app;
        return upstream;
    }

    /// <summary>Sets the behaviour for every request whose body <c>model</c> equals <paramref name="model"/>, replacing any earlier one.</summary>
    /// <param name="model">The model name, compared ordinally.</param>
    /// <param name="behavior">The behaviour.</param>
    public void When(string model, FakeBehavior behavior)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(behavior);
        lock (_gate)
        {
            _persistent[model] = behavior;
        }
    }

    /// <summary>
    /// Queues a behaviour for the next request whose body <c>model</c> equals <paramref name="model"/>.
    /// One-shot behaviours are used first-in first-out, before the <see cref="When"/> behaviour.
    /// </summary>
    /// <param name="model">The model name, compared ordinally.</param>
    /// <param name="behavior">The behaviour.</param>
    public void Once(string model, FakeBehavior behavior)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(behavior);
        lock (_gate)
        {
            if (!_oneShots.TryGetValue(model, out Queue<FakeBehavior>? queue))
            {
                queue = new Queue<FakeBehavior>();
                _oneShots[model] = queue;
            }

            queue.Enqueue(behavior);
        }
    }

    /// <summary>
    /// Forgets the recorded requests and every <see cref="When"/> and <see cref="Once"/> behaviour, and sets
    /// <see cref="DefaultBehavior"/> back to <see cref="FakeBehavior.Echo"/>.
    /// </summary>
    public void Reset()
    {
        lock (_gate)
        {
            _requests.Clear();
            _persistent.Clear();
            _oneShots.Clear();
            _defaultBehavior = FakeBehavior.Echo();
        }
    }

    /// <summary>Stops the server: requests still waiting or streaming are aborted, and Kestrel shuts down.</summary>
    /// <returns>A task that completes when the server has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_app is { } app)
        {
            using (CancellationTokenSource timeout = new(ShutdownTimeout))
            {
                try
                {
                    await app.StopAsync(timeout.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // Shutdown took too long; disposing below tears the rest down.
                }
            }

            await app.DisposeAsync().ConfigureAwait(false);
        }

        _stopping.Dispose();
    }

    private async Task HandleAsync(HttpContext context, UpstreamApi api)
    {
        CancellationToken aborted = context.RequestAborted;
        using CancellationTokenSource linked = CancellationTokenSource.CreateLinkedTokenSource(aborted, _stopping.Token);
        CancellationToken cancellationToken = linked.Token;
        try
        {
            string body;
            using (StreamReader reader = new(context.Request.Body, Encoding.UTF8))
            {
                body = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            }

            ParsedRequest request = api == UpstreamApi.Unknown ? ParsedRequest.Parse(api, "null") : ParsedRequest.Parse(api, body);
            Record(context, request, body);

            if (api == UpstreamApi.Unknown)
            {
                await OpenAIWire.WriteErrorAsync(context, StatusCodes.Status404NotFound, $"Unknown request URL: {context.Request.Method} {context.Request.Path}.", null, cancellationToken).ConfigureAwait(false);
                return;
            }

            if (!request.IsValid)
            {
                await WriteErrorAsync(context, request, StatusCodes.Status400BadRequest, "The request body is not a JSON object.", null, cancellationToken).ConfigureAwait(false);
                return;
            }

            if (api == UpstreamApi.AnthropicCountTokens)
            {
                // {"input_tokens": the body's length in UTF-8 bytes}, or the model's failing behaviour.
                FakeBehavior behavior = Resolve(request.Model);
                if (behavior is StatusBehavior or ResetConnectionBehavior)
                {
                    await ExecuteAsync(context, request, behavior, cancellationToken).ConfigureAwait(false);
                    return;
                }

                context.Response.ContentType = "application/json";
                await context.Response.WriteAsync($"{{\"input_tokens\":{Encoding.UTF8.GetByteCount(body)}}}", cancellationToken).ConfigureAwait(false);
                return;
            }

            if (api == UpstreamApi.OpenAIEmbeddings)
            {
                await ExecuteEmbeddingsAsync(context, request, body, Resolve(request.Model), cancellationToken).ConfigureAwait(false);
                return;
            }

            await ExecuteAsync(context, request, Resolve(request.Model), cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            context.Abort();
        }
        catch (IOException) when (cancellationToken.IsCancellationRequested)
        {
            context.Abort();
        }
    }

    private void Record(HttpContext context, ParsedRequest request, string body)
    {
        Dictionary<string, string> headers = new(StringComparer.OrdinalIgnoreCase);
        foreach (KeyValuePair<string, StringValues> header in context.Request.Headers)
        {
            headers[header.Key] = header.Value.ToString();
        }

        RecordedRequest recorded = new(context.Request.Path.Value ?? string.Empty, request.Model, request.Stream, body, headers.AsReadOnly());
        lock (_gate)
        {
            _requests.Add(recorded);
        }
    }

    private FakeBehavior Resolve(string model)
    {
        lock (_gate)
        {
            if (_oneShots.TryGetValue(model, out Queue<FakeBehavior>? queue) && queue.TryDequeue(out FakeBehavior? next))
            {
                if (queue.Count == 0)
                {
                    _oneShots.Remove(model);
                }

                return next;
            }

            return _persistent.TryGetValue(model, out FakeBehavior? persistent) ? persistent : _defaultBehavior;
        }
    }

    private static async Task ExecuteAsync(HttpContext context, ParsedRequest request, FakeBehavior behavior, CancellationToken cancellationToken)
    {
        switch (behavior)
        {
            case DelayBehavior delay:
                await Task.Delay(delay.Wait, cancellationToken).ConfigureAwait(false);
                await ExecuteAsync(context, request, delay.Then, cancellationToken).ConfigureAwait(false);
                return;

            case ResetConnectionBehavior:
                context.Abort();
                return;

            case StatusBehavior status:
                await WriteErrorAsync(context, request, status.StatusCode, status.Message, status.RetryAfter, cancellationToken).ConfigureAwait(false);
                return;

            case CutMidStreamBehavior cut:
                if (request.Stream)
                {
                    FakeReply partial = new(cut.Reply, null, FakeUsage.DefaultUsage);
                    await WriteReplyAsync(context, request, partial, cut.AfterChunks, cancellationToken).ConfigureAwait(false);

                    // Kestrel drops output that its transport has not sent yet when a connection is aborted, so give
                    // the flushed events time to reach the socket before cutting.
                    await Task.Delay(CutGracePeriod, cancellationToken).ConfigureAwait(false);
                }

                context.Abort();
                return;

            case EchoBehavior echo:
                await WriteReplyAsync(context, request, new FakeReply(EchoText(request), null, echo.Usage), null, cancellationToken).ConfigureAwait(false);
                return;

            case TextBehavior text:
                await WriteReplyAsync(context, request, new FakeReply(text.Reply, null, text.Usage), null, cancellationToken).ConfigureAwait(false);
                return;

            case ToolCallBehavior tool:
                await WriteReplyAsync(context, request, new FakeReply(null, tool, tool.Usage), null, cancellationToken).ConfigureAwait(false);
                return;

            case ThinkingBehavior thinking:
                await WriteReplyAsync(context, request, new FakeReply(thinking.Reply, null, thinking.Usage, thinking), null, cancellationToken).ConfigureAwait(false);
                return;

            default:
                throw new InvalidOperationException($"Unknown fake behaviour {behavior.GetType().Name}.");
        }
    }

    /// <summary>
    /// Embeddings: any answering behaviour (echo, text, tool call, thinking) returns one vector per input, <c>dimensions</c> long
    /// (8 by default) with <c>[0]</c> = the input's length in characters and <c>[1]</c> = its index, and usage
    /// <c>prompt_tokens</c> = Σ ceil(length / 4); failing behaviours fail as for chat.
    /// </summary>
    private static async Task ExecuteEmbeddingsAsync(HttpContext context, ParsedRequest request, string body, FakeBehavior behavior, CancellationToken cancellationToken)
    {
        switch (behavior)
        {
            case DelayBehavior delay:
                await Task.Delay(delay.Wait, cancellationToken).ConfigureAwait(false);
                await ExecuteEmbeddingsAsync(context, request, body, delay.Then, cancellationToken).ConfigureAwait(false);
                return;
            case EchoBehavior or TextBehavior or ToolCallBehavior or ThinkingBehavior:
                break;
            default:
                await ExecuteAsync(context, request, behavior, cancellationToken).ConfigureAwait(false);
                return;
        }

        using JsonDocument document = JsonDocument.Parse(body);
        JsonElement root = document.RootElement;
        List<string> inputs = [];
        if (root.TryGetProperty("input", out JsonElement input))
        {
            if (input.ValueKind == JsonValueKind.String)
            {
                inputs.Add(input.GetString() ?? string.Empty);
            }
            else if (input.ValueKind == JsonValueKind.Array)
            {
                inputs.AddRange(input.EnumerateArray().Select(i => i.GetString() ?? string.Empty));
            }
        }

        int dimensions = 8;
        if (root.TryGetProperty("dimensions", out JsonElement d) && d.TryGetInt32(out int n))
        {
            dimensions = n;
        }

        long tokens = inputs.Sum(t => (t.Length + 3) / 4);
        string json = WireWriter.ToJsonString(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("object", "list");
            writer.WriteStartArray("data");
            for (int i = 0; i < inputs.Count; i++)
            {
                writer.WriteStartObject();
                writer.WriteString("object", "embedding");
                writer.WriteNumber("index", i);
                writer.WriteStartArray("embedding");
                for (int k = 0; k < dimensions; k++)
                {
                    writer.WriteNumberValue(k == 0 ? inputs[i].Length : k == 1 ? i : 0.5);
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteString("model", request.Model);
            writer.WriteStartObject("usage");
            writer.WriteNumber("prompt_tokens", tokens);
            writer.WriteNumber("total_tokens", tokens);
            writer.WriteEndObject();
            writer.WriteEndObject();
        });
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json, cancellationToken).ConfigureAwait(false);
    }

    private static string EchoText(ParsedRequest request)
    {
        if (!request.JsonMode)
        {
            return "echo: " + request.LastUserText;
        }

        return WireWriter.ToJsonString(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("echo", request.LastUserText);
            writer.WriteEndObject();
        });
    }

    private static Task WriteReplyAsync(HttpContext context, ParsedRequest request, FakeReply reply, int? cutAfter, CancellationToken cancellationToken) =>
        (request.Api, request.Stream) switch
        {
            (UpstreamApi.Anthropic, true) => AnthropicWire.WriteStreamAsync(context, request, reply, cutAfter, cancellationToken),
            (UpstreamApi.Anthropic, false) => AnthropicWire.WriteMessageAsync(context, request, reply, cancellationToken),
            (_, true) => OpenAIWire.WriteStreamAsync(context, request, reply, cutAfter, cancellationToken),
            _ => OpenAIWire.WriteCompletionAsync(context, request, reply, cancellationToken),
        };

    private static Task WriteErrorAsync(HttpContext context, ParsedRequest request, int statusCode, string? message, TimeSpan? retryAfter, CancellationToken cancellationToken) =>
        request.Api == UpstreamApi.Anthropic
            ? AnthropicWire.WriteErrorAsync(context, statusCode, message, retryAfter, cancellationToken)
            : OpenAIWire.WriteErrorAsync(context, statusCode, message, retryAfter, cancellationToken);
}
