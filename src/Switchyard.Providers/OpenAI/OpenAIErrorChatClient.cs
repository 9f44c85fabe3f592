using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchyard.Routing;

namespace Switchyard.Providers.OpenAI;

/// <summary>
/// Classifies transport and parse failures of <see cref="OpenAIHttpChatClient"/> (HTTP errors already arrive as
/// <see cref="ProviderException"/>): a broken connection is transient, an unreadable answer is not.
/// </summary>
public sealed class OpenAIErrorChatClient : ErrorTranslatingChatClient
{
    /// <summary>Wraps <paramref name="innerClient"/>.</summary>
    public OpenAIErrorChatClient(IChatClient innerClient)
        : base(innerClient)
    {
    }

    /// <inheritdoc />
    protected override ProviderException? Translate(Exception exception) => exception switch
    {
        JsonException or FormatException => new ProviderException(ProviderFailureKind.Other, "The upstream sent a response that could not be read: " + exception.Message, innerException: exception),
        _ => TranslateTransport(exception),
    };
}
