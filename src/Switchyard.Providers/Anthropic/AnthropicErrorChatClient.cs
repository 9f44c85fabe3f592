using System.Text.Json;
using Anthropic.Exceptions;
using Microsoft.Extensions.AI;
using Switchyard.Routing;

namespace Switchyard.Providers.Anthropic;

/// <summary>Translates the Anthropic SDK's failures into classified <see cref="ProviderException"/>s.</summary>
/// <remarks>
/// The SDK's exceptions carry the status but not the response headers: the <c>Retry-After</c> of a failed call is
/// taken from <see cref="RetryAfterCapture"/> in the provider's HTTP pipeline, when the factory built that pipeline.
/// </remarks>
public sealed class AnthropicErrorChatClient : ErrorTranslatingChatClient
{
    /// <summary>Wraps <paramref name="innerClient"/>.</summary>
    public AnthropicErrorChatClient(IChatClient innerClient)
        : base(innerClient)
    {
    }

    /// <inheritdoc />
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        RetryAfterCapture.Open();
        return base.GetResponseAsync(messages, options, cancellationToken);
    }

    /// <inheritdoc />
    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        RetryAfterCapture.Open();
        return base.GetStreamingResponseAsync(messages, options, cancellationToken);
    }

    /// <inheritdoc />
    protected override ProviderException? Translate(Exception exception)
    {
        switch (exception)
        {
            case AnthropicApiException api:
                var status = (int)api.StatusCode;
                return new ProviderException(ProviderException.KindFromStatus(status), api.ApiMessage ?? api.Message, status, RetryAfterCapture.Current, exception);
            case AnthropicSseException sse:
                // An error event inside the stream (e.g. overloaded_error): the service failed mid-response.
                return new ProviderException(ProviderFailureKind.ServerError, sse.ApiMessage ?? sse.Message, innerException: exception);
            case AnthropicIOException io:
                return new ProviderException(ProviderFailureKind.Connection, "The upstream connection failed: " + (io.InnerException?.Message ?? io.Message), innerException: exception);
            case AnthropicInvalidDataException or JsonException:
                return new ProviderException(ProviderFailureKind.Other, "The upstream sent a response that could not be read: " + exception.Message, innerException: exception);
            default:
                return TranslateTransport(exception);
        }
    }
}
