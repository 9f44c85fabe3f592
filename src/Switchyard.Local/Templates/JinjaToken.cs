namespace Switchyard.Local.Templates;

/// <summary>One lexed token. <see cref="Text"/> holds text data, a name, an operator or a decoded string literal.</summary>
internal readonly record struct JinjaToken(JinjaTokenKind Kind, string Text, int Offset, long Integer = 0, double Float = 0)
{
    public bool IsName(string name) => Kind == JinjaTokenKind.Name && Text == name;

    public bool IsOperator(string op) => Kind == JinjaTokenKind.Operator && Text == op;

    public string Describe() => Kind switch
    {
        JinjaTokenKind.End => "end of template",
        JinjaTokenKind.VariableEnd => "'}}'",
        JinjaTokenKind.BlockEnd => "'%}'",
        JinjaTokenKind.String => "string literal",
        JinjaTokenKind.Text => "text",
        _ => $"'{Text}'",
    };
}
