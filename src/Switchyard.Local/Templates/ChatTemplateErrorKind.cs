namespace Switchyard.Local.Templates;

/// <summary>What went wrong with a chat template.</summary>
public enum ChatTemplateErrorKind
{
    /// <summary>The template text is not valid (found by <see cref="ChatTemplate.Parse"/>).</summary>
    Syntax,

    /// <summary>Rendering failed: an undefined value was used, a type did not fit an operation, and the like.</summary>
    Render,

    /// <summary>The template itself called <c>raise_exception(message)</c>; the exception's message is the template's.</summary>
    Raised,
}
