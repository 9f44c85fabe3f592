namespace Switchyard.Local.Templates;

/// <summary>
/// Jinja2's undefined value: what a missing variable, key or attribute evaluates to. It prints as nothing, is false,
/// iterates as empty and passes <c>is undefined</c>; using it in arithmetic or looking into it is an error.
/// </summary>
internal sealed class Undefined
{
    public static readonly Undefined Anonymous = new("value is undefined");

    public Undefined(string hint)
    {
        Hint = hint;
    }

    /// <summary>The error text used when the value is used in a way that needs a real value.</summary>
    public string Hint { get; }

    public static Undefined ForName(string name) => new($"'{name}' is undefined");

    public ChatTemplateException Fail() => PyOps.Fail(Hint);
}
