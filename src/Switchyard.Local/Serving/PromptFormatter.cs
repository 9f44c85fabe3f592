using System.Text;
using Microsoft.Extensions.AI;
using Switchyard.Local.Templates;
using Switchyard.Local.Tokenization;
using Switchyard.Routing;

namespace Switchyard.Local.Serving;

/// <summary>Turns a chat request into the prompt tokens the embedded model is fed.</summary>
internal static class PromptFormatter
{
    /// <summary>
    /// Builds the prompt. With a chat template the conversation is rendered by it (ending with the opening of an
    /// assistant turn) and tokenized with special tokens parsed, as llama.cpp's server does. Without one (base
    /// models) the message texts are joined with newlines and continued as plain text.
    /// </summary>
    /// <remarks>
    /// BOS is put first when the vocabulary asks for it and the prompt does not already begin with it (many templates
    /// write <c>bos_token</c> themselves; llama.cpp would then send two). EOS is never appended, even for vocabularies
    /// whose add_eos flag is set: the prompt is to be continued, not closed.
    /// </remarks>
    /// <exception cref="ProviderException">Kind <see cref="ProviderFailureKind.BadRequest"/> (400): no messages, a
    /// message holds something other than text, or the template refused the conversation.</exception>
    public static int[] Format(IEnumerable<ChatMessage> messages, GgufTokenizer tokenizer, ChatTemplate? template, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(timeProvider);

        var turns = new List<ChatTemplateMessage>();
        foreach (ChatMessage message in messages)
        {
            ArgumentNullException.ThrowIfNull(message, nameof(messages));
            turns.Add(new ChatTemplateMessage(message.Role.Value, TextOf(message, turns.Count)));
        }

        if (turns.Count == 0)
        {
            throw new ProviderException(ProviderFailureKind.BadRequest, "The request has no messages; the embedded engine needs at least one.", 400);
        }

        int[] tokens;
        if (template is null)
        {
            string text = string.Join('\n', turns.Select(t => t.Content));
            tokens = tokenizer.Encode(text, addSpecial: false, parseSpecial: false);
        }
        else
        {
            string rendered = Render(template, turns, tokenizer, timeProvider);
            tokens = tokenizer.Encode(rendered, addSpecial: false, parseSpecial: true);
        }

        return WithBos(tokens, tokenizer);
    }

    private static string TextOf(ChatMessage message, int index)
    {
        IList<AIContent> contents = message.Contents;
        if (contents.Count == 1 && contents[0] is TextContent single)
        {
            return single.Text ?? "";
        }

        var text = new StringBuilder();
        foreach (AIContent content in contents)
        {
            if (content is TextContent part)
            {
                text.Append(part.Text);
                continue;
            }

            // A previous assistant turn's reasoning is the model's own scratch work: leave it out of the prompt.
            if (content is TextReasoningContent or UsageContent)
            {
                continue;
            }

            string kind = content is null ? "null content" : content.GetType().Name;
            throw new ProviderException(
                ProviderFailureKind.BadRequest,
                $"Message {index} ({message.Role.Value}) contains {kind}; the embedded engine accepts text only (no images, files, audio, tool calls or tool results).",
                400);
        }

        return text.ToString();
    }

    private static string Render(ChatTemplate template, List<ChatTemplateMessage> turns, GgufTokenizer tokenizer, TimeProvider timeProvider)
    {
        string bos = tokenizer.BosTokenId is int bosId ? tokenizer.TokenText(bosId) : "";
        string eos = tokenizer.EosTokenId is int eosId ? tokenizer.TokenText(eosId) : "";
        var context = new ChatTemplateContext(bos, eos, AddGenerationPrompt: true) { TimeProvider = timeProvider };
        try
        {
            return template.Render(turns, context);
        }
        catch (ChatTemplateException ex)
        {
            // A template's own raise_exception text is meant for the caller; other failures get context.
            string message = ex.Kind == ChatTemplateErrorKind.Raised ? ex.Message : $"The model's chat template failed to render the conversation: {ex.Message}";
            throw new ProviderException(ProviderFailureKind.BadRequest, message, 400, innerException: ex);
        }
    }

    /// <summary>What Encode's addSpecial does for BOS, but only when the prompt does not start with BOS already.</summary>
    private static int[] WithBos(int[] tokens, GgufTokenizer tokenizer)
    {
        if (!tokenizer.AddBos || tokenizer.BosTokenId is not int bos || (tokens.Length > 0 && tokens[0] == bos))
        {
            return tokens;
        }

        var result = new int[tokens.Length + 1];
        result[0] = bos;
        tokens.CopyTo(result, 1);
        return result;
    }
}
