using System.Buffers;
using System.Net.Http.Headers;
using System.Text.Json;
using Switchyard.Routing;
using Switchyard.Wire;

namespace Switchyard.Providers.Anthropic;

/// <summary>
/// Forwards a count_tokens body to the Anthropic upstream over the provider's own HTTP pipeline (so the privacy egress
/// check runs), with only <c>model</c> replaced. The SDK's adapter has no token counting, and the SDK's own call would
/// need the body rebuilt from Microsoft.Extensions.AI types, losing exactly what forwarding keeps.
/// </summary>
internal sealed class AnthropicTokenCounter(HttpClient http, Uri baseUri, string? apiKey, string upstreamModel) : IAnthropicTokenCounter
{
    private const string ApiVersion = "2023-06-01";
    private readonly Uri _endpoint = new(baseUri.ToString().TrimEnd('/') + "/v1/messages/count_tokens");

    /// <inheritdoc />
    public async Task<long> CountTokensAsync(JsonElement body, string? beta, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("model", upstreamModel);
            foreach (var property in body.EnumerateObject())
            {
                if (property.Name != "model")
                {
                    property.WriteTo(w);
                }
            }

            w.WriteEndObject();
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, _endpoint) { Content = new ReadOnlyMemoryContent(buffer.WrittenMemory) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("anthropic-version", ApiVersion);
        if (!string.IsNullOrEmpty(apiKey))
        {
            request.Headers.Add("x-api-key", apiKey);
        }

        if (beta is not null)
        {
            request.Headers.Add("anthropic-beta", beta);
        }

        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            throw await OpenAI.OpenAIHttpErrors.ReadAsync(response, cancellationToken).ConfigureAwait(false);
        }

        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var doc = await JsonDocument.ParseAsync(stream, default, cancellationToken).ConfigureAwait(false);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("input_tokens", out var tokens) && tokens.TryGetInt64(out var n)
                ? n
                : throw new ProviderException(ProviderFailureKind.Other, "The upstream's count_tokens answer has no input_tokens.");
        }
    }
}
