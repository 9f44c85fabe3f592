using Microsoft.Extensions.AI;

namespace Switchyard.Privacy.Pseudonymization;

/// <summary>A request with every detected value replaced, and the map that restores them.</summary>
/// <param name="Messages">The messages to send (the caller's own list when nothing was replaced).</param>
/// <param name="Options">The options to send (the caller's own when the instructions held nothing).</param>
/// <param name="Map">The request's mapping; empty when nothing was replaced.</param>
internal sealed record PseudonymizedRequest(IEnumerable<ChatMessage> Messages, ChatOptions? Options, PseudonymMap Map)
{
    /// <summary>
    /// Pseudonymises every message (system messages and earlier turns included) and the options' instructions,
    /// cloning what changes and leaving the caller's objects untouched.
    /// </summary>
    public static PseudonymizedRequest Create(IEnumerable<ChatMessage> messages, ChatOptions? options, PrivacyScanner scanner)
    {
        // Materialise once: the messages are walked, and maybe walked again below.
        IReadOnlyList<ChatMessage> list = messages as IReadOnlyList<ChatMessage> ?? [.. messages];
        PseudonymizedRequest request = Pseudonymize(list, options, new PseudonymMap(scanner));
        if (request.Map.HasCollision)
        {
            // The caller's text contains a placeholder literally: redo, never handing out what occurs in it.
            var map = new PseudonymMap(scanner);
            map.Reserve(request.Map.BracketedInputs);
            request = Pseudonymize(list, options, map);
        }

        return request;
    }

    private static PseudonymizedRequest Pseudonymize(IReadOnlyList<ChatMessage> messages, ChatOptions? options, PseudonymMap map)
    {
        ChatOptions? sentOptions = options;
        if (options?.Instructions is { } instructions)
        {
            string pseudonymized = map.Pseudonymize(instructions);
            if (!ReferenceEquals(pseudonymized, instructions))
            {
                sentOptions = options.Clone();
                sentOptions.Instructions = pseudonymized;
            }
        }

        List<ChatMessage>? sentMessages = ContentRewriter.RewriteMessages(messages, map.Pseudonymize);
        return new PseudonymizedRequest(sentMessages ?? messages, sentOptions, map);
    }
}
