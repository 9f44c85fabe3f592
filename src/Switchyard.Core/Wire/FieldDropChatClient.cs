using Microsoft.Extensions.AI;

namespace Switchyard.Wire;

/// <summary>
/// Sits in front of one provider's client and records in the request's decision every field the request carries that
/// this provider kind drops (<see cref="FieldFidelity"/>), so the ledger says what the serving model never saw. The
/// provider client itself is what leaves the field out; this only tells.
/// </summary>
public sealed class FieldDropChatClient : DelegatingChatClient
{
    private readonly string _providerKind;

    /// <summary>Wraps the client of a provider of <paramref name="providerKind"/> (a <c>Configuration.ProviderKinds</c> value).</summary>
    public FieldDropChatClient(IChatClient innerClient, string providerKind)
        : base(innerClient)
    {
        ArgumentNullException.ThrowIfNull(providerKind);
        _providerKind = providerKind.Trim().ToLowerInvariant();
    }

    /// <inheritdoc />
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Record(messages, options);
        return base.GetResponseAsync(messages, options, cancellationToken);
    }

    /// <inheritdoc />
    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        Record(messages, options);
        return base.GetStreamingResponseAsync(messages, options, cancellationToken);
    }

    private void Record(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        if (options is null || Routing.RequestTrace.Get(options) is not { Decision: { } decision } trace || trace.Current is not { } candidate)
        {
            return;
        }

        var list = messages as IReadOnlyList<ChatMessage> ?? [.. messages];
        foreach (var rule in FieldFidelity.DroppedBy(_providerKind, list, options))
        {
            decision.Drop(candidate.Name, rule.Field, rule.Note);
        }
    }
}
