using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Switchyard.Routing;

/// <summary>
/// Bounds one upstream attempt: a non-streamed call must complete, and a streamed call must produce each update,
/// within the timeout. When the timeout (not the caller) cancels, the failure surfaces as a transient
/// <see cref="ProviderException"/> of kind <see cref="ProviderFailureKind.Timeout"/>, so the router can fail over.
/// </summary>
public sealed class AttemptTimeoutChatClient : DelegatingChatClient
{
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;

    /// <summary>Wraps <paramref name="innerClient"/> with a per-attempt (and per-chunk) timeout.</summary>
    public AttemptTimeoutChatClient(IChatClient innerClient, TimeSpan timeout, TimeProvider? timeProvider = null)
        : base(innerClient)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        _timeout = timeout;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        using var timeout = new CancellationTokenSource(_timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            return await base.GetResponseAsync(messages, options, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw TimedOut(ex);
        }
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var timeout = new CancellationTokenSource(_timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        var updates = base.GetStreamingResponseAsync(messages, options, linked.Token).GetAsyncEnumerator(linked.Token);
        try
        {
            while (true)
            {
                bool more;
                try
                {
                    more = await updates.MoveNextAsync().ConfigureAwait(false);
                }
                catch (OperationCanceledException ex) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
                {
                    throw TimedOut(ex);
                }

                if (!more)
                {
                    yield break;
                }

                // Time spent by the caller on an update does not count against the upstream.
                timeout.CancelAfter(Timeout.InfiniteTimeSpan);
                yield return updates.Current;
                timeout.CancelAfter(_timeout);
            }
        }
        finally
        {
            await updates.DisposeAsync().ConfigureAwait(false);
        }
    }

    private ProviderException TimedOut(Exception inner) =>
        new(ProviderFailureKind.Timeout, $"The upstream did not respond within {_timeout.TotalSeconds:0.###} s.", innerException: inner);
}
