using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Switchyard.Routing.Cascade;

/// <summary>
/// The cascade's gate around a cheap candidate's client: gets the answer, has an <see cref="ICascadeVerifier"/>
/// check it, and returns it when the verdict accepts it; otherwise throws <see cref="CascadeEscalationException"/>
/// so the router fails over to the next (stronger) candidate.
/// </summary>
/// <remarks>
/// <para>
/// Streaming: the inner stream is read to its end and buffered, the buffered answer is verified, and only then are
/// the buffered updates replayed, unchanged and in order. Nothing reaches the caller before the verdict, so a
/// rejection (or a failure of the inner stream mid-way) happens before any output and the router may still fail
/// over. The price is that the caller sees the cheap answer only once it is complete and checked.
/// </para>
/// <para>
/// Tool calls: an answer with any <see cref="FunctionCallContent"/> is not an answer to check but a step of an
/// agent loop (a judge cannot rate it, and samples cannot be compared); it is accepted without calling the verifier,
/// with a verdict of method <see cref="CascadeVerdict.SkippedMethod"/>.
/// </para>
/// <para>
/// Every verdict, skipped ones included, is passed to <c>onVerdict</c> before the answer is returned or the
/// exception thrown; an exception from the callback propagates. The callback has no request context, so create
/// this client per request (as the router does with its pseudonymiser) when verdicts must reach the request's
/// decision. Exceptions from the verifier propagate unchanged (the built-in verifiers return a rejecting verdict
/// rather than throw); the caller's cancellation flows to the inner client and to the verifier.
/// </para>
/// <para>Thread-safe when the verifier and callback are. Disposing this client disposes the inner client.</para>
/// </remarks>
public sealed class VerifyingChatClient : DelegatingChatClient
{
    private readonly ICascadeVerifier _verifier;
    private readonly Action<CascadeVerdict>? _onVerdict;

    /// <summary>Wraps <paramref name="innerClient"/>, checking each answer with <paramref name="verifier"/>.</summary>
    /// <param name="innerClient">The cheap candidate's client.</param>
    /// <param name="verifier">Checks the answers.</param>
    /// <param name="onVerdict">Receives every verdict (e.g. to record it in the routing decision).</param>
    public VerifyingChatClient(IChatClient innerClient, ICascadeVerifier verifier, Action<CascadeVerdict>? onVerdict = null)
        : base(innerClient)
    {
        ArgumentNullException.ThrowIfNull(verifier);
        _verifier = verifier;
        _onVerdict = onVerdict;
    }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var list = messages as IReadOnlyList<ChatMessage> ?? [.. messages];
        var response = await base.GetResponseAsync(list, options, cancellationToken).ConfigureAwait(false);
        await CheckAsync(list, response, options, cancellationToken).ConfigureAwait(false);
        return response;
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var list = messages as IReadOnlyList<ChatMessage> ?? [.. messages];
        var buffered = new List<ChatResponseUpdate>();
        await foreach (var update in base.GetStreamingResponseAsync(list, options, cancellationToken).ConfigureAwait(false))
        {
            buffered.Add(update);
        }

        await CheckAsync(list, buffered.ToChatResponse(), options, cancellationToken).ConfigureAwait(false);
        foreach (var update in buffered)
        {
            yield return update;
        }
    }

    private async ValueTask CheckAsync(IReadOnlyList<ChatMessage> messages, ChatResponse response, ChatOptions? options, CancellationToken cancellationToken)
    {
        var verdict = HasToolCalls(response)
            ? CascadeVerdict.Skipped("answer calls tools")
            : await _verifier.VerifyAsync(messages, response, options, cancellationToken).ConfigureAwait(false);
        _onVerdict?.Invoke(verdict);
        if (!verdict.Accepted)
        {
            throw new CascadeEscalationException(verdict, response.Usage);
        }
    }

    private static bool HasToolCalls(ChatResponse response) =>
        response.Messages.Any(m => m.Contents.Any(c => c is FunctionCallContent));
}
