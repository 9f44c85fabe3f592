namespace Switchyard.Local.Templates;

/// <summary>An expression node. <see cref="Evaluate"/> gives render errors the position of the innermost failing node.</summary>
internal abstract class Expr
{
    protected Expr(int offset)
    {
        Offset = offset;
    }

    /// <summary>Where the node starts in the template text.</summary>
    public int Offset { get; }

    public object? Evaluate(RenderState state)
    {
        try
        {
            return EvaluateCore(state);
        }
        catch (ChatTemplateException e) when (e.Line == 0)
        {
            throw state.Source.Locate(e, Offset);
        }
    }

    protected abstract object? EvaluateCore(RenderState state);
}
