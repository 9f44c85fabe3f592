using System.Buffers;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchyard.Routing;

namespace Switchyard.Providers.OpenAI;

/// <summary>
/// <c>POST /embeddings</c> of OpenAI or an OpenAI-compatible server (llama.cpp server, vLLM, Ollama, TEI) over the
/// provider's <see cref="HttpClient"/>: float vectors, <c>dimensions</c> passed when asked, usage read from
/// <c>usage.prompt_tokens</c>. Errors are <see cref="ProviderException"/>s as for chat.
/// </summary>
public sealed class OpenAIHttpEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly HttpClient _http;
    private readonly Uri _endpoint;
    private readonly AuthenticationHeaderValue? _auth;
    private readonly string _model;
    private readonly EmbeddingGeneratorMetadata _metadata;

    /// <summary>Creates a generator for one upstream model.</summary>
    /// <param name="http">The provider's shared HTTP client.</param>
    /// <param name="baseUri">The API base, e.g. <c>http://127.0.0.1:8000/v1/</c>.</param>
    /// <param name="apiKey">Sent as a bearer token when not empty.</param>
    /// <param name="model">The upstream model name.</param>
    public OpenAIHttpEmbeddingGenerator(HttpClient http, Uri baseUri, string? apiKey, string model)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(baseUri);
        ArgumentException.ThrowIfNullOrEmpty(model);
        _http = http;
        _endpoint = new Uri(baseUri.ToString().TrimEnd('/') + "/embeddings");
        _auth = string.IsNullOrEmpty(apiKey) ? null : new AuthenticationHeaderValue("Bearer", apiKey);
        _model = model;
        _metadata = new EmbeddingGeneratorMetadata("openai", baseUri, model);
    }

    /// <inheritdoc />
    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        var body = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(body))
        {
            w.WriteStartObject();
            w.WriteString("model", _model);
            w.WriteStartArray("input");
            foreach (var value in values)
            {
                w.WriteStringValue(value);
            }

            w.WriteEndArray();
            w.WriteString("encoding_format", "float");
            if (options?.Dimensions is { } dimensions)
            {
                w.WriteNumber("dimensions", dimensions);
            }

            w.WriteEndObject();
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint) { Content = new ReadOnlyMemoryContent(body.WrittenMemory) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = _auth;
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw await OpenAIHttpErrors.ReadAsync(response, cancellationToken).ConfigureAwait(false);
        }

        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var doc = await JsonDocument.ParseAsync(stream, default, cancellationToken).ConfigureAwait(false);
            return Read(doc.RootElement);
        }
    }

    /// <summary>Reads an embeddings response: <c>data[].embedding</c> (floats or base64) ordered by <c>index</c>, and usage.</summary>
    /// <exception cref="ProviderException">The body is not an embeddings response.</exception>
    public static GeneratedEmbeddings<Embedding<float>> Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("data", out var data) || data.ValueKind != JsonValueKind.Array)
        {
            throw Unreadable("no 'data' array");
        }

        var model = OpenAIResponseReader.StringOrEmpty(root, "model");
        var items = new Embedding<float>[data.GetArrayLength()];
        var position = 0;
        foreach (var item in data.EnumerateArray())
        {
            var index = item.ValueKind == JsonValueKind.Object && item.TryGetProperty("index", out var i) && i.TryGetInt32(out var n) ? n : position;
            if (index < 0 || index >= items.Length || items[index] is not null)
            {
                throw Unreadable($"embedding index {index} is out of range or repeated");
            }

            if (!item.TryGetProperty("embedding", out var vector))
            {
                throw Unreadable($"data[{position}] has no 'embedding'");
            }

            items[index] = new Embedding<float>(Vector(vector, position)) { ModelId = model.Length > 0 ? model : null };
            position++;
        }

        var result = new GeneratedEmbeddings<Embedding<float>>(items);
        if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
        {
            var prompt = usage.TryGetProperty("prompt_tokens", out var p) && p.TryGetInt64(out var pt) ? pt : (long?)null;
            var total = usage.TryGetProperty("total_tokens", out var t) && t.TryGetInt64(out var tt) ? tt : (long?)null;
            result.Usage = new UsageDetails { InputTokenCount = prompt ?? total, TotalTokenCount = total ?? prompt };
        }

        return result;
    }

    private static float[] Vector(JsonElement vector, int position)
    {
        switch (vector.ValueKind)
        {
            case JsonValueKind.Array:
                var values = new float[vector.GetArrayLength()];
                var i = 0;
                foreach (var v in vector.EnumerateArray())
                {
                    if (v.ValueKind != JsonValueKind.Number)
                    {
                        throw Unreadable($"data[{position}].embedding has a value that is not a number");
                    }

                    values[i++] = v.GetSingle();
                }

                return values;
            case JsonValueKind.String:
                var bytes = Convert.FromBase64String(vector.GetString()!);
                if (bytes.Length % sizeof(float) != 0)
                {
                    throw Unreadable($"data[{position}].embedding is not a whole number of float32 values");
                }

                var floats = new float[bytes.Length / sizeof(float)];
                for (var k = 0; k < floats.Length; k++)
                {
                    floats[k] = System.Buffers.Binary.BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(k * sizeof(float)));
                }

                return floats;
            default:
                throw Unreadable($"data[{position}].embedding is neither an array nor base64");
        }
    }

    private static ProviderException Unreadable(string what) =>
        new(ProviderFailureKind.Other, "The upstream sent an embeddings response that could not be read: " + what + ".");

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // The HttpClient belongs to the provider factory.
    }
}
