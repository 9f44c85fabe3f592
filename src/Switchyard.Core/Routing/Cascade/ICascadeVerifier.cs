using Microsoft.Extensions.AI;

namespace Switchyard.Routing.Cascade;

/// <summary>
/// Checks a cheap model's answer before the cascade hands it to the caller; a verdict that is not
/// <see cref="CascadeVerdict.Accepted"/> makes the cascade escalate to the next (stronger) candidate.
/// </summary>
/// <remarks>
/// Implementations fail towards escalation: when they cannot tell (the checking call failed, its reply was
/// unreadable) they return a verdict that is not accepted, with <see cref="CascadeVerdict.Detail"/> saying why,
/// rather than throw. They throw only <see cref="OperationCanceledException"/> when
/// <c>cancellationToken</c> is cancelled. Implementations must be safe to call concurrently.
/// </remarks>
public interface ICascadeVerifier
{
    /// <summary>Checks <paramref name="answer"/> to the conversation <paramref name="messages"/>.</summary>
    /// <param name="messages">The request's messages, as sent to the model that answered.</param>
    /// <param name="answer">The answer to check (text only; answers with tool calls are not sent to verifiers).</param>
    /// <param name="options">The request's options, as sent to the model that answered; never modified.</param>
    /// <param name="cancellationToken">The request's cancellation token.</param>
    /// <returns>The verdict.</returns>
    ValueTask<CascadeVerdict> VerifyAsync(IReadOnlyList<ChatMessage> messages, ChatResponse answer, ChatOptions? options, CancellationToken cancellationToken);
}
