using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Switchyard.Privacy.Egress;

/// <summary>
/// Wraps one model's provider client: tells the provider's HTTP handler (through <see cref="EgressTarget.Current"/>)
/// which zone the call goes to, and surfaces a <see cref="PrivacyEgressException"/> however the provider's SDK wrapped
/// it, so the router sees the block. Every model client is wrapped, whoever calls it (the router, a cascade judge).
/// </summary>
public sealed class EgressZoneChatClient : DelegatingChatClient
{
    private readonly EgressTarget _target;

    /// <param name="innerClient">The provider client of one model.</param>
    /// <param name="target">The model's provider and zone.</param>
    public EgressZoneChatClient(IChatClient innerClient, EgressTarget target)
        : base(innerClient)
    {
        ArgumentNullException.ThrowIfNull(target);
        _target = target;
    }

    /// <summary>This model's target, with the texts the request's guard already found clean.</summary>
    private EgressTarget For(ChatOptions? options) =>
        Routing.RequestTrace.Get(options)?.PrivacyScannedClean is { } clean ? _target with { ScannedClean = clean } : _target;

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        EgressTarget.Current = For(options);
        try
        {
            return await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not PrivacyEgressException && PrivacyEgressException.Find(ex) is { } egress)
        {
            throw egress;
        }
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        EgressTarget target = For(options);
        EgressTarget.Current = target;
        IAsyncEnumerator<ChatResponseUpdate> updates = base.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                // Set again on every step: a consumer's next MoveNextAsync runs on its own execution context.
                EgressTarget.Current = target;
                bool more;
                try
                {
                    more = await updates.MoveNextAsync().ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not PrivacyEgressException && PrivacyEgressException.Find(ex) is { } egress)
                {
                    throw egress;
                }

                if (!more)
                {
                    yield break;
                }

                yield return updates.Current;
            }
        }
        finally
        {
            await updates.DisposeAsync().ConfigureAwait(false);
        }
    }
}
