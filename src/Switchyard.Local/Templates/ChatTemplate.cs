using PyList = System.Collections.Generic.List<object?>;

namespace Switchyard.Local.Templates;

/// <summary>
/// A chat template (the Jinja2 text GGUF files keep in <c>tokenizer.chat_template</c>), parsed once and rendered for
/// any conversation. Rendering follows Hugging Face transformers: Jinja2 with <c>trim_blocks</c> and
/// <c>lstrip_blocks</c>, loop controls, <c>raise_exception</c>, <c>strftime_now</c> and a <c>tojson</c> that does not
/// escape non-ASCII text.
/// </summary>
/// <remarks>Instances are immutable; <see cref="Render"/> may be called from several threads at once.</remarks>
public sealed class ChatTemplate
{
    private static readonly Scope Globals = JinjaGlobals.CreateScope();

    private readonly TemplateSource source;
    private readonly Stmt[] body;

    private ChatTemplate(TemplateSource source, Stmt[] body)
    {
        this.source = source;
        this.body = body;
    }

    /// <summary>Parses a template.</summary>
    /// <exception cref="ChatTemplateException">The text is not a valid template (kind <see cref="ChatTemplateErrorKind.Syntax"/>, with line and column), or uses an unknown filter or test.</exception>
    public static ChatTemplate Parse(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var text = new TemplateSource(JinjaLexer.Normalize(source));
        List<JinjaToken> tokens = JinjaLexer.Tokenize(text);
        return new ChatTemplate(text, JinjaParser.Parse(text, tokens));
    }

    /// <summary>Renders the conversation into the prompt text the model expects.</summary>
    /// <exception cref="ChatTemplateException">Rendering failed, or the template called <c>raise_exception</c> (kind <see cref="ChatTemplateErrorKind.Raised"/>, whose message is the template's).</exception>
    /// <exception cref="ArgumentException">A value in <see cref="ChatTemplateContext.Variables"/> has a type templates cannot use.</exception>
    public string Render(IReadOnlyList<ChatTemplateMessage> messages, ChatTemplateContext context)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(context);
        var list = new PyList(messages.Count);
        foreach (ChatTemplateMessage message in messages)
        {
            list.Add(TemplateValues.FromMessage(message));
        }

        var scope = new Scope(Globals);
        scope.Set("messages", list);
        scope.Set("bos_token", context.BosToken);
        scope.Set("eos_token", context.EosToken);
        scope.Set("add_generation_prompt", context.AddGenerationPrompt);
        if (context.Variables is not null)
        {
            foreach (KeyValuePair<string, object?> variable in context.Variables)
            {
                scope.Set(variable.Key, TemplateValues.FromClr(variable.Value, variable.Key));
            }
        }

        var state = new RenderState(source, scope, context.TimeProvider ?? TimeProvider.System);
        Stmt.ExecuteAll(body, state);
        return state.Output.ToString();
    }
}
