using System.Text;
using Microsoft.Extensions.AI;

namespace Switchyard.Privacy.Pseudonymization;

/// <summary>
/// Restores placeholders in a stream of updates, where a placeholder may be split across any number of updates
/// (down to one character each).
/// </summary>
/// <remarks>
/// <para>
/// Carry-buffer rule: text is emitted as soon as it cannot be part of a placeholder. Only a tail that is a proper
/// prefix of a placeholder in the request's map (at most the longest placeholder's length minus one, e.g.
/// <c>[[EMA</c>) is held back and prepended to the next text; everything before it goes out, restored, in the
/// update it arrived in. So the output is exactly the whole text restored at once, wherever the stream was split.
/// </para>
/// <para>
/// Text and reasoning text are restored; a held tail is emitted as it is (a placeholder cannot continue past it)
/// before a content of another kind (a function call, usage), before an update of another message, and at the end
/// of the stream. Function-call arguments are restored whole (adapters deliver them complete). Other contents pass
/// through unchanged and in order, and every update is passed on, with its contents rewritten when needed (an
/// update whose text is all held back is passed on without it).
/// </para>
/// <para>Not thread-safe: one instance per streamed response.</para>
/// </remarks>
internal sealed class StreamingRestorer
{
    private readonly PseudonymMap _map;
    private readonly StringBuilder _restored = new();
    private string _carry = string.Empty;
    private bool _carryIsReasoning;
    private ChatResponseUpdate? _carrySource;
    private ChatResponseUpdate? _last;

    public StreamingRestorer(PseudonymMap map)
    {
        ArgumentNullException.ThrowIfNull(map);
        _map = map;
    }

    /// <summary>Adds to <paramref name="output"/> what to emit for <paramref name="update"/> (one or two updates).</summary>
    public void Process(ChatResponseUpdate update, List<ChatResponseUpdate> output)
    {
        if (_carry.Length > 0 && IsOtherMessage(update))
        {
            output.Add(CreateUpdate(_carrySource!, [TakeCarry()]));
        }

        _last = update;
        IList<AIContent> source = update.Contents;
        List<AIContent>? contents = null; // Copy on write: stays null while the update's contents are unchanged.
        for (int i = 0; i < source.Count; i++)
        {
            AIContent content = source[i];
            switch (content)
            {
                case TextContent text:
                {
                    string? restored = RestoreText(text.Text, isReasoning: false, update, source, i, ref contents);
                    if (restored is not null && restored.Length > 0)
                    {
                        contents!.Add(ContentRewriter.WithText(text, restored));
                    }
                    else if (restored is null)
                    {
                        contents?.Add(text);
                    }

                    break;
                }

                case TextReasoningContent reasoning:
                {
                    string? restored = RestoreText(reasoning.Text, isReasoning: true, update, source, i, ref contents);
                    if (restored is not null && restored.Length > 0)
                    {
                        contents!.Add(ContentRewriter.WithText(reasoning, restored));
                    }
                    else if (restored is null)
                    {
                        contents?.Add(reasoning);
                    }

                    break;
                }

                default:
                {
                    if (_carry.Length > 0)
                    {
                        CopyOnWrite(source, i, ref contents).Add(TakeCarry());
                    }

                    AIContent rewritten = ContentRewriter.RewriteContent(content, _map.Restore);
                    if (!ReferenceEquals(rewritten, content))
                    {
                        CopyOnWrite(source, i, ref contents);
                    }

                    contents?.Add(rewritten);
                    break;
                }
            }
        }

        if (contents is null)
        {
            output.Add(update);
            return;
        }

        ChatResponseUpdate changed = update.Clone();
        changed.Contents = contents;
        changed.RawRepresentation = null; // It still holds the placeholders.
        output.Add(changed);
    }

    /// <summary>
    /// The last update of the stream: any held-back text, and <paramref name="report"/> under
    /// <see cref="PseudonymizationReport.AdditionalPropertiesKey"/>, with no message id.
    /// </summary>
    public ChatResponseUpdate Complete(PseudonymizationReport report)
    {
        ChatResponseUpdate? template = _carry.Length > 0 ? _carrySource : _last;
        List<AIContent> contents = _carry.Length > 0 ? [TakeCarry()] : [];
        ChatResponseUpdate final = template is null ? new ChatResponseUpdate { Contents = contents } : CreateUpdate(template, contents);

        // No message id: ToChatResponse scopes an update's additional properties to the response only then (held
        // text still joins the last message, which is the one it came from).
        final.MessageId = null;
        final.AdditionalProperties = new AdditionalPropertiesDictionary { [PseudonymizationReport.AdditionalPropertiesKey] = report };
        return final;
    }

    // Restores carry + text. Returns null when the text goes out unchanged (the original content can be kept), else
    // what to emit (possibly empty), having switched the update's contents to a copy.
    private string? RestoreText(string text, bool isReasoning, ChatResponseUpdate update, IList<AIContent> source, int index, ref List<AIContent>? contents)
    {
        if (_carry.Length > 0 && _carryIsReasoning != isReasoning)
        {
            CopyOnWrite(source, index, ref contents).Add(TakeCarry());
        }

        bool hadCarry = _carry.Length > 0;
        string combined = hadCarry ? _carry + text : text;
        _restored.Clear();
        int held = _map.Restore(combined, final: false, _restored);
        _carry = held == 0 ? string.Empty : combined[^held..];
        if (held > 0)
        {
            _carryIsReasoning = isReasoning;
            _carrySource = update;
        }

        if (!hadCarry && held == 0 && _restored.Equals(text.AsSpan()))
        {
            return null;
        }

        CopyOnWrite(source, index, ref contents);
        return _restored.ToString();
    }

    private bool IsOtherMessage(ChatResponseUpdate update) =>
        update.MessageId is { Length: > 0 } id && _carrySource?.MessageId is { Length: > 0 } carryId && !string.Equals(id, carryId, StringComparison.Ordinal);

    // The held tail is a proper prefix of a placeholder, so nothing in it can be restored: it goes out as it is.
    private AIContent TakeCarry()
    {
        string text = _carry;
        _carry = string.Empty;
        return _carryIsReasoning ? new TextReasoningContent(text) : new TextContent(text);
    }

    private static List<AIContent> CopyOnWrite(IList<AIContent> source, int index, ref List<AIContent>? contents)
    {
        if (contents is null)
        {
            contents = new List<AIContent>(source.Count + 1);
            for (int j = 0; j < index; j++)
            {
                contents.Add(source[j]);
            }
        }

        return contents;
    }

    private static ChatResponseUpdate CreateUpdate(ChatResponseUpdate template, List<AIContent> contents) => new()
    {
        Role = template.Role,
        AuthorName = template.AuthorName,
        MessageId = template.MessageId,
        ResponseId = template.ResponseId,
        ConversationId = template.ConversationId,
        ModelId = template.ModelId,
        CreatedAt = template.CreatedAt,
        Contents = contents,
    };
}
