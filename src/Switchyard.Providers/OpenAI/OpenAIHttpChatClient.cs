using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchyard.Routing;

namespace Switchyard.Providers.OpenAI;

/// <summary>
/// A lean Chat Completions client over <see cref="HttpClient"/> for OpenAI and OpenAI-compatible servers
/// (llama.cpp server, vLLM, Ollama): writes the request with <see cref="Utf8JsonWriter"/>, reads responses and
/// server-sent events straight from the socket's bytes, and reports upstream errors as <see cref="ProviderException"/>
/// with the status, the upstream's message and its <c>Retry-After</c>.
/// </summary>
/// <remarks>
/// Written instead of going through the official SDK after <c>bench/</c> measured the SDK's request pipeline, model
/// classes and the adapter between them as a large share of the gateway's CPU per request. Thread-safe.
/// </remarks>
public sealed class OpenAIHttpChatClient : IChatClient
{
    private static readonly byte[] s_dataPrefix = "data:"u8.ToArray();
    private static readonly byte[] s_done = "[DONE]"u8.ToArray();

    private readonly HttpClient _http;
    private readonly Uri _endpoint;
    private readonly AuthenticationHeaderValue? _auth;
    private readonly string _model;
    private readonly string _maxTokensField;
    private readonly ChatClientMetadata _metadata;

    /// <summary>Creates a client for one upstream model.</summary>
    /// <param name="http">The provider's shared HTTP client (its timeout is not used; the router bounds attempts).</param>
    /// <param name="baseUri">The API base, e.g. <c>http://127.0.0.1:8000/v1/</c>.</param>
    /// <param name="apiKey">Sent as a bearer token when not empty.</param>
    /// <param name="model">The upstream model name.</param>
    /// <param name="maxTokensField"><c>max_completion_tokens</c> (OpenAI) or <c>max_tokens</c> (compatible servers).</param>
    public OpenAIHttpChatClient(HttpClient http, Uri baseUri, string? apiKey, string model, string maxTokensField = "max_tokens")
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(baseUri);
        ArgumentException.ThrowIfNullOrEmpty(model);
        _http = http;
        _endpoint = new Uri(baseUri.ToString().TrimEnd('/') + "/chat/completions");
        _auth = string.IsNullOrEmpty(apiKey) ? null : new AuthenticationHeaderValue("Bearer", apiKey);
        _model = model;
        _maxTokensField = maxTokensField;
        _metadata = new ChatClientMetadata("openai", baseUri, model);
    }

    /// <inheritdoc />
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(messages, options, stream: false, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            using var doc = await JsonDocument.ParseAsync(body, default, cancellationToken).ConfigureAwait(false);
            return OpenAIResponseReader.ReadCompletion(doc.RootElement);
        }
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var response = await SendAsync(messages, options, stream: true, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using var bodyScope = body.ConfigureAwait(false);
        var reader = PipeReader.Create(body, new StreamPipeReaderOptions(leaveOpen: true));
        var state = new OpenAIStreamState();
        var ready = new List<ChatResponseUpdate>();
        var done = false;
        try
        {
            while (!done)
            {
                var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                var buffer = result.Buffer;
                done = ReadEvents(ref buffer, state, ready, out var failure);
                reader.AdvanceTo(buffer.Start, buffer.End);
                foreach (var update in ready)
                {
                    yield return update;
                }

                ready.Clear();
                if (failure is not null)
                {
                    throw failure; // after the updates that preceded the error event
                }
                if (result.IsCompleted && !done)
                {
                    if (!state.Finished)
                    {
                        throw new ProviderException(ProviderFailureKind.Connection, "The upstream closed the stream before it finished.");
                    }

                    break; // finished but no [DONE]: some servers omit it
                }
            }
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }

        if (state.Complete() is { } last)
        {
            yield return last;
        }
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(ChatClientMetadata) ? _metadata
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // The HttpClient belongs to the provider factory.
    }

    private async Task<HttpResponseMessage> SendAsync(IEnumerable<ChatMessage> messages, ChatOptions? options, bool stream, CancellationToken cancellationToken)
    {
        var body = new ArrayBufferWriter<byte>(1024);
        OpenAIRequestWriter.Write(body, _model, messages, options, stream, _maxTokensField);
        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint) { Content = new ReadOnlyMemoryContent(body.WrittenMemory) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = _auth;
        if (stream)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        }

        var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            throw await OpenAIHttpErrors.ReadAsync(response, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Reads every complete SSE line in <paramref name="buffer"/>; true once <c>[DONE]</c> was seen. An error event
    /// stops the reading and comes back in <paramref name="failure"/>, to be thrown after the updates before it.
    /// </summary>
    private static bool ReadEvents(ref ReadOnlySequence<byte> buffer, OpenAIStreamState state, List<ChatResponseUpdate> ready, out ProviderException? failure)
    {
        failure = null;
        while (buffer.PositionOf((byte)'\n') is { } end)
        {
            var line = buffer.Slice(0, end);
            buffer = buffer.Slice(buffer.GetPosition(1, end));
            if (line.IsSingleSegment ? !line.FirstSpan.StartsWith(s_dataPrefix) : !StartsWith(line, s_dataPrefix))
            {
                continue; // blank separator, comment (": ping"), "event:" or "id:" lines
            }

            var payload = Trim(line.Slice(s_dataPrefix.Length));
            if (payload.Length == s_done.Length && (payload.IsSingleSegment ? payload.FirstSpan.SequenceEqual(s_done) : payload.ToArray().AsSpan().SequenceEqual(s_done)))
            {
                return true;
            }

            var reader = new Utf8JsonReader(payload);
            using var doc = JsonDocument.ParseValue(ref reader);
            try
            {
                if (state.Read(doc.RootElement) is { } update)
                {
                    ready.Add(update);
                }
            }
            catch (ProviderException ex)
            {
                failure = ex;
                return false;
            }
        }

        return false;
    }

    private static bool StartsWith(ReadOnlySequence<byte> sequence, byte[] prefix)
    {
        if (sequence.Length < prefix.Length)
        {
            return false;
        }

        Span<byte> head = stackalloc byte[prefix.Length];
        sequence.Slice(0, prefix.Length).CopyTo(head);
        return head.SequenceEqual(prefix);
    }

    private static ReadOnlySequence<byte> Trim(ReadOnlySequence<byte> s)
    {
        var reader = new SequenceReader<byte>(s);
        reader.AdvancePastAny((byte)' ', (byte)'\t');
        var rest = s.Slice(reader.Position);
        while (rest.Length > 0)
        {
            var lastByte = rest.Slice(rest.Length - 1).FirstSpan[0];
            if (lastByte is not ((byte)'\r' or (byte)' ' or (byte)'\t'))
            {
                break;
            }

            rest = rest.Slice(0, rest.Length - 1);
        }

        return rest;
    }
}
