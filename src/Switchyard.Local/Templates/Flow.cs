namespace Switchyard.Local.Templates;

/// <summary>How a statement finished: normally, or by <c>{% break %}</c> / <c>{% continue %}</c>.</summary>
internal enum Flow
{
    Normal,
    Break,
    Continue,
}
