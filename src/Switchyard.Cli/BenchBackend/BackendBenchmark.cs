using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Switchyard.Cli.BenchBackend;

/// <summary>
/// Measures the serving throughput of an OpenAI-compatible server (vLLM, llama.cpp, SGLang, TGI, Ollama, ...): streamed
/// <c>/chat/completions</c> requests of a set input and output length, run with a set number in flight.
/// </summary>
/// <remarks>
/// <para>Every request asks for <see cref="BackendBenchmarkOptions.OutputTokens"/> tokens with <c>max_tokens</c> and, with
/// <see cref="BackendBenchmarkOptions.Extensions"/>, also <c>"min_tokens"</c> and <c>"ignore_eos": true</c> (vLLM and
/// llama.cpp extensions) so the model cannot stop early; and <c>stream_options: {"include_usage": true}</c> so the server
/// reports exact token counts. Servers that send no usage get their output events counted instead.</para>
/// <para>Use <see cref="ProbeAsync"/> first (it checks URL, key and model and sizes the prompt), then
/// <see cref="RunLevelAsync"/> once per concurrency level. Time comes from the <see cref="TimeProvider"/>'s timestamps.</para>
/// </remarks>
[SuppressMessage("Performance", "CA1515:Consider making public types internal", Justification = "Public so tests can use it (the CLI grants no InternalsVisibleTo).")]
public sealed class BackendBenchmark : IDisposable
{
    private const int MaxErrorSamples = 5;
    private static readonly MediaTypeHeaderValue JsonContentType = new("application/json");
    private static readonly MediaTypeWithQualityHeaderValue EventStream = new("text/event-stream");

    private readonly BackendBenchmarkOptions _options;
    private readonly TimeProvider _time;
    private readonly HttpClient _http;
    private readonly Uri _chatUri;
    private readonly Uri _modelsUri;
    private long _serial;

    /// <summary>Initializes a new instance of the <see cref="BackendBenchmark"/> class.</summary>
    /// <param name="options">What to measure.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    public BackendBenchmark(BackendBenchmarkOptions options, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Model);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.InputTokens, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.OutputTokens, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Requests, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.Timeout, TimeSpan.Zero);
        _options = options;
        _time = timeProvider ?? TimeProvider.System;
        _http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = int.MaxValue }, disposeHandler: true) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        var root = options.BaseUrl.AbsoluteUri.TrimEnd('/');
        _chatUri = new Uri(root + "/chat/completions");
        _modelsUri = new Uri(root + "/models");
        PromptWords = SyntheticPrompt.EstimateWords(options.InputTokens);
    }

    /// <summary>Gets the endpoint the requests go to: the base URL followed by <c>/chat/completions</c>.</summary>
    public Uri ChatCompletionsUri => _chatUri;

    /// <summary>Gets the words of every measured prompt: estimated at first, calibrated by <see cref="ProbeAsync"/>.</summary>
    public int PromptWords { get; private set; }

    /// <summary>
    /// Parses a server's OpenAI base URL: absolute <c>http</c> or <c>https</c>, without query or fragment; a trailing
    /// <c>/chat/completions</c> or slash is dropped.
    /// </summary>
    /// <param name="text">The URL as given.</param>
    /// <returns>The base URL.</returns>
    /// <exception cref="BackendBenchmarkException">It is not such a URL.</exception>
    public static Uri ParseBaseUrl(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new BackendBenchmarkException("URL is required: the server's OpenAI base, for example http://127.0.0.1:8080/v1.");
        }

        if (!Uri.TryCreate(text.Trim(), UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps) || string.IsNullOrEmpty(url.Host))
        {
            throw new BackendBenchmarkException($"'{text}' is not an http(s) URL: give the server's OpenAI base, for example http://127.0.0.1:8080/v1.");
        }

        if (url.Query.Length > 0 || url.Fragment.Length > 0)
        {
            throw new BackendBenchmarkException($"'{text}' has a query or fragment: give the server's OpenAI base, for example http://127.0.0.1:8080/v1.");
        }

        var path = url.AbsolutePath.TrimEnd('/');
        if (path.EndsWith("/chat/completions", StringComparison.OrdinalIgnoreCase))
        {
            path = path[..^"/chat/completions".Length];
        }

        return new UriBuilder(url) { Path = path + "/" }.Uri;
    }

    /// <summary>
    /// Picks the level to put in a profile: the highest throughput among levels that ran without errors and, when
    /// <paramref name="ttftSloMs"/> is given, kept their p95 time to first token within it (ties go to the lower concurrency).
    /// </summary>
    /// <param name="levels">The measured levels.</param>
    /// <param name="requestedInputTokens">The prompt length asked for, used when the server reported no prompt tokens.</param>
    /// <param name="ttftSloMs">The p95 TTFT limit, or null for none.</param>
    /// <returns>The snippet (null when no level qualifies) and one line saying why.</returns>
    public static (SelfHostedProfileSnippet? Snippet, string Basis) Recommend(IReadOnlyList<BackendLevelResult> levels, int requestedInputTokens, double? ttftSloMs)
    {
        ArgumentNullException.ThrowIfNull(levels);
        var clean = levels.Where(l => l.Succeeded > 0 && l.Errors == 0).ToList();
        var eligible = clean.Where(l => ttftSloMs is not { } slo || l.TtftP95Ms <= slo).ToList();
        var slo = ttftSloMs?.ToString("0.###", CultureInfo.InvariantCulture);
        if (eligible.Count == 0)
        {
            var reason = clean.Count == 0
                ? "no concurrency level ran without errors"
                : $"no concurrency level without errors kept p95 TTFT within {slo} ms; try lower concurrency or a higher --ttft-slo-ms";
            return (null, reason);
        }

        var best = eligible.OrderByDescending(l => l.OutputTokensPerSecond).ThenBy(l => l.Concurrency).First();
        var snippet = new SelfHostedProfileSnippet(
            Math.Round(best.OutputTokensPerSecond, 1),
            (int)Math.Round(best.MeanInputTokens ?? requestedInputTokens),
            (int)Math.Round(best.MeanOutputTokens ?? 0),
            best.Concurrency);
        var basis = ttftSloMs is null
            ? "highest throughput among levels without errors"
            : $"highest throughput among levels without errors whose p95 TTFT is within {slo} ms";
        return (snippet, basis);
    }

    /// <summary>
    /// Sends warm-up requests (one output token each, not measured): they check that the URL, key and model work and
    /// size the prompt. When the server reports <c>usage.prompt_tokens</c>, two prompts of different lengths give its
    /// tokens per word and fixed overhead (chat template and instruction), and <see cref="PromptWords"/> is set to hit
    /// <see cref="BackendBenchmarkOptions.InputTokens"/>.
    /// </summary>
    /// <param name="cancellationToken">Stops the warm-up.</param>
    /// <returns>What the warm-up found.</returns>
    /// <exception cref="BackendBenchmarkException">The server cannot be benchmarked; the message says why in one line.</exception>
    public async Task<BackendProbe> ProbeAsync(CancellationToken cancellationToken)
    {
        var wordsA = SyntheticPrompt.EstimateWords(_options.InputTokens);
        var a = await SendAsync(wordsA, 1, cancellationToken).ConfigureAwait(false);
        if (!a.Responded)
        {
            throw await ProbeFailureAsync(a, cancellationToken).ConfigureAwait(false);
        }

        var usage = a.CompletionTokens is not null || a.PromptTokens is not null;
        if (a.PromptTokens is not { } promptA)
        {
            PromptWords = wordsA;
            return new BackendProbe(wordsA, false, usage, null);
        }

        var words = Math.Max(1, wordsA + (_options.InputTokens - promptA));
        var wordsB = wordsA / 2;
        if (wordsB >= 1)
        {
            var b = await SendAsync(wordsB, 1, cancellationToken).ConfigureAwait(false);
            if (!b.Responded)
            {
                throw await ProbeFailureAsync(b, cancellationToken).ConfigureAwait(false);
            }

            if (b.PromptTokens is { } promptB && promptA > promptB)
            {
                var tokensPerWord = (double)(promptA - promptB) / (wordsA - wordsB);
                var overhead = promptA - (tokensPerWord * wordsA);
                words = Math.Max(1, (int)Math.Round((_options.InputTokens - overhead) / tokensPerWord));
            }
        }

        PromptWords = words;
        return new BackendProbe(words, true, usage, promptA);
    }

    /// <summary>
    /// Runs <see cref="BackendBenchmarkOptions.Requests"/> requests keeping <paramref name="concurrency"/> in flight (a
    /// new one starts as soon as one ends) and measures them.
    /// </summary>
    /// <param name="concurrency">Requests in flight, 1 or more.</param>
    /// <param name="progress">Told when the level starts and after every request (calls are serialized), or null.</param>
    /// <param name="cancellationToken">Stops the level: requests in flight are cancelled and the method throws.</param>
    /// <returns>The measurements.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<BackendLevelResult> RunLevelAsync(int concurrency, IProgress<BackendBenchmarkProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);
        var total = _options.Requests;
        var outcomes = new RequestOutcome[total];
        var gate = new Lock();
        var next = -1;
        var inFlight = 0;
        var maxInFlight = 0;
        var completed = 0;
        var errors = 0;
        long tokens = 0;
        var start = _time.GetTimestamp();
        progress?.Report(new BackendBenchmarkProgress(concurrency, 0, total, 0, 0, TimeSpan.Zero));

        async Task WorkerAsync()
        {
            while (true)
            {
                var index = Interlocked.Increment(ref next);
                if (index >= total)
                {
                    return;
                }

                lock (gate)
                {
                    inFlight++;
                    maxInFlight = Math.Max(maxInFlight, inFlight);
                }

                RequestOutcome outcome;
                try
                {
                    outcome = await SendAsync(PromptWords, _options.OutputTokens, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    lock (gate)
                    {
                        inFlight--;
                    }
                }

                outcomes[index] = outcome;
                lock (gate)
                {
                    completed++;
                    if (outcome.Ok)
                    {
                        tokens += outcome.OutputTokens;
                    }
                    else
                    {
                        errors++;
                    }

                    progress?.Report(new BackendBenchmarkProgress(concurrency, completed, total, errors, tokens, _time.GetElapsedTime(start)));
                }
            }
        }

        var workers = Enumerable.Range(0, Math.Min(concurrency, total)).Select(_ => WorkerAsync()).ToList();
        await Task.WhenAll(workers).ConfigureAwait(false);
        var wall = _time.GetElapsedTime(start);
        return Summarize(concurrency, outcomes, maxInFlight, wall);
    }

    /// <summary>Disposes the HTTP client.</summary>
    public void Dispose() => _http.Dispose();

    private BackendLevelResult Summarize(int concurrency, RequestOutcome[] outcomes, int maxInFlight, TimeSpan wall)
    {
        var ok = outcomes.Where(o => o.Ok).ToList();
        var outputTokens = ok.Sum(o => (long)o.OutputTokens);
        var seconds = wall.TotalSeconds;
        double Ms(long from, long to) => _time.GetElapsedTime(from, to).TotalMilliseconds;
        var ttft = ok.Select(o => Ms(o.Start, o.FirstToken!.Value)).ToList();
        var latency = ok.Select(o => Ms(o.Start, o.End)).ToList();
        var itl = ok.Where(o => o.OutputTokens >= 2).Select(o => Ms(o.FirstToken!.Value, o.LastToken!.Value) / (o.OutputTokens - 1)).ToList();
        var prompts = ok.Where(o => o.PromptTokens is not null).Select(o => (double)o.PromptTokens!.Value).ToList();
        var withUsage = ok.Count(o => o.CompletionTokens is not null);
        var source = ok.Count == 0 ? "none" : withUsage == ok.Count ? "usage" : withUsage == 0 ? "chunks" : "mixed";
        var samples = outcomes.Where(o => !o.Ok)
            .GroupBy(o => o.Error ?? "error", StringComparer.Ordinal)
            .OrderByDescending(g => g.Count())
            .Take(MaxErrorSamples)
            .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key} (x{g.Count()})"))
            .ToList();

        return new BackendLevelResult
        {
            Concurrency = concurrency,
            Requests = outcomes.Length,
            Succeeded = ok.Count,
            Errors = outcomes.Length - ok.Count,
            MaxInFlight = maxInFlight,
            WallSeconds = Math.Round(seconds, 3),
            OutputTokens = outputTokens,
            OutputTokensPerSecond = seconds > 0 ? Math.Round(outputTokens / seconds, 2) : 0,
            RequestsPerSecond = seconds > 0 ? Math.Round(ok.Count / seconds, 3) : 0,
            MeanInputTokens = prompts.Count > 0 ? Math.Round(prompts.Average(), 2) : null,
            MeanOutputTokens = ok.Count > 0 ? Math.Round((double)outputTokens / ok.Count, 2) : null,
            TtftP50Ms = Round(Percentile.Of(ttft, 50)),
            TtftP95Ms = Round(Percentile.Of(ttft, 95)),
            InterTokenLatencyP50Ms = Round(Percentile.Of(itl, 50)),
            LatencyP50Ms = Round(Percentile.Of(latency, 50)),
            LatencyP95Ms = Round(Percentile.Of(latency, 95)),
            TokenCountSource = source,
            ErrorSamples = samples,
        };
    }

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 2) : null;

    private byte[] Body(string prompt, int maxTokens)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("model", _options.Model);
            json.WriteStartArray("messages");
            json.WriteStartObject();
            json.WriteString("role", "user");
            json.WriteString("content", prompt);
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteNumber("max_tokens", maxTokens);
            if (_options.Extensions)
            {
                json.WriteNumber("min_tokens", maxTokens);
                json.WriteBoolean("ignore_eos", true);
            }

            json.WriteBoolean("stream", true);
            json.WriteStartObject("stream_options");
            json.WriteBoolean("include_usage", true);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>Sends one streamed request and reads its stream to the end; failures are outcomes, cancellation throws.</summary>
    private async Task<RequestOutcome> SendAsync(int words, int maxTokens, CancellationToken cancellationToken)
    {
        var body = Body(SyntheticPrompt.Build(words, Interlocked.Increment(ref _serial)), maxTokens);
        using var timeout = new CancellationTokenSource(_options.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var token = linked.Token;
        var start = _time.GetTimestamp();
        var chunks = 0;
        long? first = null;
        long? last = null;
        int? completion = null;
        int? prompt = null;
        RequestOutcome Outcome(RequestFailure failure, string? error) => new()
        {
            Failure = failure,
            Error = error,
            Start = start,
            End = _time.GetTimestamp(),
            FirstToken = first,
            LastToken = last,
            Chunks = chunks,
            CompletionTokens = completion,
            PromptTokens = prompt,
        };

        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, _chatUri) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = JsonContentType;
            request.Headers.Accept.Add(EventStream);
            if (_options.ApiKey is { } key)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            }

            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var text = await response.Content.ReadAsStringAsync(token).ConfigureAwait(false);
                var message = ServerError.Message(text);
                var status = (int)response.StatusCode;
                return Outcome(RequestFailure.Http, string.Create(CultureInfo.InvariantCulture, $"HTTP {status}: {message}")) with { HttpStatus = status, ServerMessage = message };
            }

            var stream = await response.Content.ReadAsStreamAsync(token).ConfigureAwait(false);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var anyData = false;
            var finished = false;
            var done = false;
            while (await reader.ReadLineAsync(token).ConfigureAwait(false) is { } line)
            {
                if (!line.StartsWith("data:", StringComparison.Ordinal))
                {
                    continue;
                }

                var data = line[5..].Trim();
                if (data == "[DONE]")
                {
                    done = true;
                    break;
                }

                anyData = true;
                var now = _time.GetTimestamp();
                ChatChunk chunk;
                try
                {
                    chunk = ChatChunk.Parse(data);
                }
                catch (JsonException)
                {
                    return Outcome(RequestFailure.Protocol, "the stream carried an event that is not JSON: " + ServerError.OneLine(data));
                }

                if (chunk.Error is { } error)
                {
                    return Outcome(RequestFailure.Stream, "error in stream: " + error);
                }

                if (chunk.HasOutput)
                {
                    chunks++;
                    first ??= now;
                    last = now;
                }

                finished |= chunk.Finished;
                completion = chunk.CompletionTokens ?? completion;
                prompt = chunk.PromptTokens ?? prompt;
            }

            if (!anyData && !done)
            {
                var type = response.Content.Headers.ContentType?.MediaType ?? "no content type";
                return Outcome(RequestFailure.Protocol, $"the answer is not an event stream ({type}, no 'data:' events): is the URL an OpenAI-compatible base with streaming?");
            }

            if (!done && !finished)
            {
                return Outcome(RequestFailure.Stream, "the stream ended before the answer was finished");
            }

            return chunks == 0 ? Outcome(RequestFailure.NoTokens, "the stream carried no output tokens") : Outcome(RequestFailure.None, null);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            return Outcome(RequestFailure.Timeout, string.Create(CultureInfo.InvariantCulture, $"no complete answer within {_options.Timeout.TotalSeconds:0.###} s (--timeout)"));
        }
        catch (HttpRequestException ex) when (first is null && ex.HttpRequestError is HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError or HttpRequestError.ProxyTunnelError)
        {
            return Outcome(RequestFailure.Connect, "connection failed: " + ServerError.OneLine(ex.InnerException?.Message ?? ex.Message));
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            return Outcome(RequestFailure.Stream, "the connection broke: " + ServerError.OneLine(ex.InnerException?.Message ?? ex.Message));
        }
    }

    private async Task<BackendBenchmarkException> ProbeFailureAsync(RequestOutcome outcome, CancellationToken cancellationToken)
    {
        var authority = _chatUri.GetLeftPart(UriPartial.Authority);
        switch (outcome.Failure)
        {
            case RequestFailure.Connect:
                return new BackendBenchmarkException($"Cannot reach {authority}: {outcome.Error}. Is the server running, and is the URL right?");
            case RequestFailure.Timeout:
                return new BackendBenchmarkException($"{_chatUri}: {outcome.Error}.");
            case RequestFailure.Http:
                break;
            default:
                return new BackendBenchmarkException($"{_chatUri}: {outcome.Error}.");
        }

        var status = outcome.HttpStatus!.Value;
        var message = outcome.ServerMessage ?? string.Empty;
        if (status is (int)HttpStatusCode.Unauthorized or (int)HttpStatusCode.Forbidden)
        {
            var hint = _options.ApiKey is null
                ? "the server wants an API key: pass --api-key-env VAR, naming the environment variable that holds it"
                : "the API key from --api-key-env was refused";
            return new BackendBenchmarkException($"{_chatUri} answered HTTP {status} ({message}): {hint}.");
        }

        if (IsModelNotFound(status, message))
        {
            var models = await ListModelsAsync(cancellationToken).ConfigureAwait(false);
            var known = models.Count == 0 ? string.Empty : $" The server has: {string.Join(", ", models)}.";
            return new BackendBenchmarkException($"Model '{_options.Model}' not found at {_options.BaseUrl} (HTTP {status}: {message}).{known}");
        }

        if (status == (int)HttpStatusCode.NotFound)
        {
            return new BackendBenchmarkException($"{_chatUri} does not exist (HTTP 404: {message}): the URL should be the server's OpenAI base, for example http://127.0.0.1:8080/v1.");
        }

        if (status is (int)HttpStatusCode.BadRequest or (int)HttpStatusCode.UnprocessableEntity && _options.Extensions)
        {
            return new BackendBenchmarkException($"{_chatUri} rejected the request (HTTP {status}: {message}). If it rejects ignore_eos or min_tokens, pass --no-extensions.");
        }

        return new BackendBenchmarkException($"{_chatUri} failed the warm-up request (HTTP {status}: {message}).");
    }

    private static bool IsModelNotFound(int status, string message)
    {
        if (!message.Contains("model", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        return status == (int)HttpStatusCode.NotFound
            || (status is (int)HttpStatusCode.BadRequest or (int)HttpStatusCode.UnprocessableEntity
                && (message.Contains("not found", StringComparison.OrdinalIgnoreCase) || message.Contains("not exist", StringComparison.OrdinalIgnoreCase)
                    || message.Contains("unknown", StringComparison.OrdinalIgnoreCase) || message.Contains("no such", StringComparison.OrdinalIgnoreCase)));
    }

    /// <summary>The model ids of <c>GET /models</c>, best effort: empty when the server has no such list.</summary>
    private async Task<IReadOnlyList<string>> ListModelsAsync(CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10), _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, _modelsUri);
            if (_options.ApiKey is { } key)
            {
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
            }

            using var response = await _http.SendAsync(request, linked.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return [];
            }

            using var document = JsonDocument.Parse(await response.Content.ReadAsStringAsync(linked.Token).ConfigureAwait(false));
            if (!document.RootElement.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
            {
                return [];
            }

            return data.EnumerateArray()
                .Where(m => m.ValueKind == JsonValueKind.Object && m.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String)
                .Select(m => m.GetProperty("id").GetString()!)
                .Take(20)
                .ToList();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or JsonException or OperationCanceledException)
        {
            return [];
        }
    }
}
