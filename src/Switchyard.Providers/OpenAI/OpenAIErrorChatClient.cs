using System.ClientModel;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchyard.Routing;

namespace Switchyard.Providers.OpenAI;

/// <summary>Translates the OpenAI SDK's failures into classified <see cref="ProviderException"/>s.</summary>
public sealed class OpenAIErrorChatClient : ErrorTranslatingChatClient
{
    /// <summary>Wraps <paramref name="innerClient"/>.</summary>
    public OpenAIErrorChatClient(IChatClient innerClient)
        : base(innerClient)
    {
    }

    /// <inheritdoc />
    protected override ProviderException? Translate(Exception exception)
    {
        switch (exception)
        {
            case ClientResultException cre when cre.Status > 0:
                var raw = cre.GetRawResponse();
                TimeSpan? retryAfter = null;
                if (raw is not null && raw.Headers.TryGetValue("retry-after", out var ra) && double.TryParse(ra, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
                {
                    retryAfter = TimeSpan.FromSeconds(Math.Min(seconds, 86_400));
                }

                var message = UpstreamMessage(raw?.Content?.ToString()) ?? cre.Message;
                return new ProviderException(ProviderException.KindFromStatus(cre.Status), message, cre.Status, retryAfter, exception);
            case ClientResultException cre:
                return new ProviderException(ProviderFailureKind.Connection, "The upstream connection failed: " + (cre.InnerException?.Message ?? cre.Message), innerException: exception);
            case JsonException or FormatException or InvalidOperationException:
                return new ProviderException(ProviderFailureKind.Other, "The upstream sent a response that could not be read: " + exception.Message, innerException: exception);
            default:
                return TranslateTransport(exception);
        }
    }
    private static string? UpstreamMessage(string? body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("error", out var error))
            {
                if (error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String)
                {
                    return m.GetString();
                }

                if (error.ValueKind == JsonValueKind.String)
                {
                    return error.GetString();
                }
            }
        }
        catch (JsonException)
        {
        }

        return body.Length > 300 ? body[..300] : body;
    }
}
