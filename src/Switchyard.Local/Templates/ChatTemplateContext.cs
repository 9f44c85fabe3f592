namespace Switchyard.Local.Templates;

/// <summary>The variables a chat template renders with besides <c>messages</c>.</summary>
/// <param name="BosToken">The text of the model's begin-of-sequence token (<c>bos_token</c>).</param>
/// <param name="EosToken">The text of the model's end-of-sequence token (<c>eos_token</c>).</param>
/// <param name="AddGenerationPrompt">Whether to end with the opening of an assistant turn (<c>add_generation_prompt</c>).</param>
public sealed record ChatTemplateContext(string BosToken, string EosToken, bool AddGenerationPrompt)
{
    /// <summary>
    /// Further template variables, e.g. <c>tools</c>, <c>date_string</c>, <c>tools_in_user_message</c>.
    /// Values may be null, string, bool, integers, floating-point numbers, <see cref="System.Text.Json.JsonElement"/>,
    /// dictionaries with string keys, other enumerables (become lists) and <see cref="ChatTemplateMessage"/>.
    /// A variable named here replaces a built-in one of the same name.
    /// </summary>
    public IReadOnlyDictionary<string, object?>? Variables { get; init; }

    /// <summary>The clock behind <c>strftime_now</c>; <see cref="TimeProvider.System"/> when null.</summary>
    public TimeProvider? TimeProvider { get; init; }
}
