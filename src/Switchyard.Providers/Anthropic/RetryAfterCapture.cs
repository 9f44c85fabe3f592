using System.Runtime.CompilerServices;

namespace Switchyard.Providers.Anthropic;

/// <summary>
/// Keeps the <c>Retry-After</c> of an Anthropic error response for the request that is waiting on it: the SDK's
/// exceptions carry the status but not the headers, and without the delay a 429 could neither be honoured in the
/// router's backoff nor passed on to the client. <see cref="AnthropicErrorChatClient"/> opens a slot around each call;
/// this handler, in the provider's own HTTP pipeline, fills it.
/// </summary>
internal sealed class RetryAfterCapture(HttpMessageHandler inner) : DelegatingHandler(inner)
{
    private static readonly AsyncLocal<StrongBox<TimeSpan?>?> s_slot = new();

    /// <summary>Opens a slot for the calls made from here on in this asynchronous flow and returns it.</summary>
    public static StrongBox<TimeSpan?> Open()
    {
        var slot = new StrongBox<TimeSpan?>();
        s_slot.Value = slot;
        return slot;
    }

    /// <summary>The delay the last failed call in this asynchronous flow was given, if any.</summary>
    public static TimeSpan? Current => s_slot.Value?.Value;

    /// <inheritdoc />
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode && s_slot.Value is { } slot)
        {
            slot.Value = OpenAI.OpenAIHttpErrors.RetryAfter(response);
        }

        return response;
    }
}
