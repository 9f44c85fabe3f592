using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Switchyard.Routing;

namespace Switchyard.Access;

/// <summary>
/// Refuses (403 <c>model_not_allowed</c>) a request for a model or route its API key, or the key's team, may not use.
/// Requests without a principal (authentication off) pass.
/// </summary>
public sealed class KeyAuthorizationChatClient : DelegatingChatClient
{
    /// <summary>Wraps <paramref name="innerClient"/>.</summary>
    public KeyAuthorizationChatClient(IChatClient innerClient)
        : base(innerClient)
    {
    }

    /// <inheritdoc />
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Authorize(options);
        return base.GetResponseAsync(messages, options, cancellationToken);
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        // Inside the iterator, so the refusal surfaces on the first MoveNextAsync, where the ledger records it.
        Authorize(options);
        await foreach (var update in base.GetStreamingResponseAsync(messages, options, cancellationToken).ConfigureAwait(false))
        {
            yield return update;
        }
    }

    private static void Authorize(ChatOptions? options)
    {
        if (RequestTrace.Get(options)?.Principal is not { } principal || principal.MayRequest(options?.ModelId))
        {
            return;
        }

        var requested = options?.ModelId;
        var owner = principal.Team is { } team && new RequestPrincipal(principal.Key, null).MayRequest(requested)
            ? $"team '{team.Name}' of API key {principal.KeyPrefix}"
            : $"API key {principal.KeyPrefix}";
        throw new RequestRefusedException(new FailureInfo(403, "permission_error", "model_not_allowed", $"The {owner} may not use the model '{requested}'."));
    }
}
