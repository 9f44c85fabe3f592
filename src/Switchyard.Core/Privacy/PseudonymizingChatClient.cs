using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;
using Switchyard.Privacy.Pseudonymization;

namespace Switchyard.Privacy;

/// <summary>
/// Reversible pseudonymisation for a hosted call: every value the scanner finds is replaced by a stable placeholder
/// before the request goes to the inner client, and the placeholders are restored in the response, streamed or
/// not, and in the tool-call arguments the model returns. Opt-in, per route.
/// </summary>
/// <remarks>
/// <para>
/// What is pseudonymised: the text and reasoning text of every message (system messages and earlier turns included),
/// function-call arguments and function results (strings, recursively through JSON, dictionaries and lists), and
/// <see cref="ChatOptions.Instructions"/>. Placeholders look like <c>[[EMAIL_1]]</c>: the data class in upper case
/// and a number counted per class from 1. The same value gets the same placeholder throughout the request; different
/// values get different ones. A placeholder that the caller's own text already contains is never used.
/// </para>
/// <para>
/// What is restored: placeholders of this request wherever the model repeats them verbatim, in text, reasoning text,
/// function-call arguments and function results. A placeholder that is not in the request's mapping (one the model
/// made up or altered) stays as it is. Streamed text is passed on as soon as it cannot be part of a placeholder; only
/// a tail that could still become one (shorter than the longest placeholder) is held back until the next update, so
/// a placeholder split across updates, even one character per update, comes out whole.
/// </para>
/// <para>
/// The mapping exists only for the duration of one call and is never stored, logged or shared between requests.
/// The caller's messages and options are never modified: what changes is cloned (and the clones drop their
/// <c>RawRepresentation</c>, which still holds the original text).
/// </para>
/// <para>
/// Auditing: when anything was replaced, a <see cref="PseudonymizationReport"/> (counts per data class, no values)
/// is stored under <see cref="PseudonymizationReport.AdditionalPropertiesKey"/> in the response's additional
/// properties; a streamed response then ends with one extra update carrying the report (and any held-back text).
/// When nothing is found the call passes through untouched: same messages, options, response and updates.
/// </para>
/// <para>Thread-safe: all per-request state lives in the call.</para>
/// </remarks>
public sealed class PseudonymizingChatClient : DelegatingChatClient
{
    private readonly PrivacyScanner _scanner;

    /// <summary>Wraps <paramref name="innerClient"/>, pseudonymising what <paramref name="scanner"/> finds.</summary>
    public PseudonymizingChatClient(IChatClient innerClient, PrivacyScanner scanner)
        : base(innerClient)
    {
        ArgumentNullException.ThrowIfNull(scanner);
        _scanner = scanner;
    }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        PseudonymizedRequest request = PseudonymizedRequest.Create(messages, options, _scanner);
        if (request.Map.IsEmpty)
        {
            return await base.GetResponseAsync(request.Messages, options, cancellationToken).ConfigureAwait(false);
        }

        ChatResponse response = await base.GetResponseAsync(request.Messages, request.Options, cancellationToken).ConfigureAwait(false);
        return Restore(response, request.Map);
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        PseudonymizedRequest request = PseudonymizedRequest.Create(messages, options, _scanner);
        if (request.Map.IsEmpty)
        {
            await foreach (ChatResponseUpdate update in base.GetStreamingResponseAsync(request.Messages, options, cancellationToken).ConfigureAwait(false))
            {
                yield return update;
            }

            yield break;
        }

        var restorer = new StreamingRestorer(request.Map);
        var output = new List<ChatResponseUpdate>(2);
        await foreach (ChatResponseUpdate update in base.GetStreamingResponseAsync(request.Messages, request.Options, cancellationToken).ConfigureAwait(false))
        {
            output.Clear();
            restorer.Process(update, output);
            foreach (ChatResponseUpdate restored in output)
            {
                yield return restored;
            }
        }

        yield return restorer.Complete(request.Map.CreateReport());
    }

    // A new response (the inner one may be shared, e.g. by a cache) with the placeholders restored and the report added.
    private static ChatResponse Restore(ChatResponse response, PseudonymMap map)
    {
        List<ChatMessage>? messages = ContentRewriter.RewriteMessages(response.Messages, map.Restore);
        AdditionalPropertiesDictionary properties = response.AdditionalProperties?.Clone() ?? [];
        properties[PseudonymizationReport.AdditionalPropertiesKey] = map.CreateReport();
        return new ChatResponse(messages ?? [.. response.Messages])
        {
            ResponseId = response.ResponseId,
            ConversationId = response.ConversationId,
            ModelId = response.ModelId,
            CreatedAt = response.CreatedAt,
            FinishReason = response.FinishReason,
            Usage = response.Usage,
            ContinuationToken = response.ContinuationToken,
            RawRepresentation = messages is null ? response.RawRepresentation : null,
            AdditionalProperties = properties,
        };
    }
}
