using Microsoft.Extensions.AI;
using ChatCompletionOptions = OpenAI.Chat.ChatCompletionOptions;

namespace Switchyard.Providers.OpenAI;

/// <summary>
/// Forwards the caller's end-user id (OpenAI's <c>user</c> field, carried in
/// <see cref="ChatOptions.AdditionalProperties"/> under <see cref="UserKey"/>) to the upstream request.
/// </summary>
public sealed class OpenAIEndUserChatClient : DelegatingChatClient
{
    /// <summary>The additional-properties key holding the end-user id.</summary>
    public const string UserKey = "user";

    /// <summary>Wraps <paramref name="innerClient"/>.</summary>
    public OpenAIEndUserChatClient(IChatClient innerClient)
        : base(innerClient)
    {
    }

    /// <inheritdoc />
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetResponseAsync(messages, WithUser(options), cancellationToken);

    /// <inheritdoc />
    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetStreamingResponseAsync(messages, WithUser(options), cancellationToken);

    private static ChatOptions? WithUser(ChatOptions? options)
    {
        if (options?.AdditionalProperties is not { } props || !props.TryGetValue(UserKey, out var value) || value is not string user || options.RawRepresentationFactory is not null)
        {
            return options;
        }

        var clone = options.Clone();
#pragma warning disable OPENAI001 // EndUserId is the documented 'user' field.
        clone.RawRepresentationFactory = _ => new ChatCompletionOptions { EndUserId = user };
#pragma warning restore OPENAI001
        return clone;
    }
}
