namespace Switchyard.Local.Templates;

/// <summary>The normalised template text, and the mapping from character offsets to line and column for errors.</summary>
internal sealed class TemplateSource
{
    public TemplateSource(string text)
    {
        Text = text;
    }

    public string Text { get; }

    public (int Line, int Column) LineColumn(int offset)
    {
        offset = Math.Clamp(offset, 0, Text.Length);
        int line = 1;
        int lineStart = 0;
        for (int i = 0; i < offset; i++)
        {
            if (Text[i] == '\n')
            {
                line++;
                lineStart = i + 1;
            }
        }

        return (line, offset - lineStart + 1);
    }

    public ChatTemplateException Error(ChatTemplateErrorKind kind, int offset, string problem)
    {
        (int line, int column) = LineColumn(offset);
        string what = kind == ChatTemplateErrorKind.Syntax ? "Syntax error" : "Render error";
        return new ChatTemplateException($"{what} at line {line}, column {column}: {problem}", kind, line, column);
    }

    /// <summary>Gives a position-less render error (or a template's raise_exception) the position of a node.</summary>
    public ChatTemplateException Locate(ChatTemplateException error, int offset)
    {
        if (error.Kind != ChatTemplateErrorKind.Raised)
        {
            return Error(ChatTemplateErrorKind.Render, offset, error.Message);
        }

        (int line, int column) = LineColumn(offset);
        return new ChatTemplateException(error.Message, ChatTemplateErrorKind.Raised, line, column);
    }
}
