using System.Globalization;
using System.Text.Json;
using Switchyard.Routing;

namespace Switchyard.Providers.OpenAI;

/// <summary>Reads an OpenAI-style error response (status, <c>Retry-After</c>, the body's message) into a <see cref="ProviderException"/>.</summary>
internal static class OpenAIHttpErrors
{
    private const int MaxErrorBodyBytes = 64 * 1024;

    /// <summary>The response's <c>Retry-After</c> as a delay (a date is taken relative to the response's own <c>Date</c>), if any.</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - (response.Headers.Date ?? date),
        _ => null,
    };

    /// <summary>The classified failure of <paramref name="response"/> (a non-success status).</summary>
    public static async Task<ProviderException> ReadAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = (int)response.StatusCode;
        var retryAfter = RetryAfter(response);
        string? message = null;
        try
        {
            var bytes = await ReadBoundedAsync(response.Content, cancellationToken).ConfigureAwait(false);
            try
            {
                using var doc = JsonDocument.Parse(bytes);
                message = OpenAIResponseReader.ErrorMessage(doc.RootElement);
            }
            catch (JsonException)
            {
                message = System.Text.Encoding.UTF8.GetString(bytes.Span).Trim();
                if (message.Length > 300)
                {
                    message = message[..300];
                }
            }
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            // The error body is optional; the status says enough.
        }

        if (string.IsNullOrEmpty(message))
        {
            message = $"HTTP {status.ToString(CultureInfo.InvariantCulture)} {response.ReasonPhrase}";
        }

        return new ProviderException(ProviderException.KindFromStatus(status), message, status, retryAfter);
    }

    private static async Task<ReadOnlyMemory<byte>> ReadBoundedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[MaxErrorBodyBytes];
            var total = 0;
            int read;
            while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken).ConfigureAwait(false)) > 0)
            {
                total += read;
            }

            return buffer.AsMemory(0, total);
        }
    }

}
