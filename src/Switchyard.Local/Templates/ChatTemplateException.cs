namespace Switchyard.Local.Templates;

/// <summary>A chat template could not be parsed or rendered, or it raised an error itself.</summary>
/// <remarks>
/// For <see cref="ChatTemplateErrorKind.Raised"/> the message is exactly the text the template passed to
/// <c>raise_exception</c>; otherwise it names the line and column in the template.
/// </remarks>
public sealed class ChatTemplateException : Exception
{
    /// <summary>Creates the exception with a generic message, kind <see cref="ChatTemplateErrorKind.Render"/> and no position.</summary>
    public ChatTemplateException()
    {
    }

    /// <summary>Creates the exception with the given message, kind <see cref="ChatTemplateErrorKind.Render"/> and no position.</summary>
    /// <param name="message">What went wrong.</param>
    public ChatTemplateException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the given message and cause, kind <see cref="ChatTemplateErrorKind.Render"/> and no position.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The underlying error.</param>
    public ChatTemplateException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    internal ChatTemplateException(string message, ChatTemplateErrorKind kind, int line, int column)
        : base(message)
    {
        Kind = kind;
        Line = line;
        Column = column;
    }

    /// <summary>Whether the text was invalid, rendering failed, or the template raised an error.</summary>
    public ChatTemplateErrorKind Kind { get; } = ChatTemplateErrorKind.Render;

    /// <summary>The 1-based line in the template (after line endings are normalised to \n), or 0 when unknown.</summary>
    public int Line { get; }

    /// <summary>The 1-based column in the template, or 0 when unknown.</summary>
    public int Column { get; }
}
