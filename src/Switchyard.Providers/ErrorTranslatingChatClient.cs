using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Switchyard.Routing;

namespace Switchyard.Providers;

/// <summary>
/// Base for provider adapters that translate an SDK's exceptions into classified <see cref="ProviderException"/>s,
/// for plain calls and at every step of a stream. The caller's own cancellation is never translated.
/// </summary>
public abstract class ErrorTranslatingChatClient : DelegatingChatClient
{
    /// <summary>Wraps <paramref name="innerClient"/>.</summary>
    protected ErrorTranslatingChatClient(IChatClient innerClient)
        : base(innerClient)
    {
    }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        try
        {
            return await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not ProviderException && Translate(ex) is { } translated)
        {
            throw translated;
        }
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var updates = base.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                try
                {
                    if (!await updates.MoveNextAsync().ConfigureAwait(false))
                    {
                        yield break;
                    }
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is not ProviderException && Translate(ex) is { } translated)
                {
                    throw translated;
                }

                yield return updates.Current;
            }
        }
        finally
        {
            await updates.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Classifies an SDK exception; null leaves it untranslated.</summary>
    protected abstract ProviderException? Translate(Exception exception);

    /// <summary>Classifies the transport failures every SDK surfaces the same way.</summary>
    protected static ProviderException? TranslateTransport(Exception exception) => exception switch
    {
        HttpRequestException or IOException => new ProviderException(ProviderFailureKind.Connection, "The upstream connection failed: " + exception.Message, innerException: exception),
        _ => null,
    };
}
