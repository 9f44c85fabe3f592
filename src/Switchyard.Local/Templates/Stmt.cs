namespace Switchyard.Local.Templates;

/// <summary>A statement node: text, an output, or a tag such as if/for/set.</summary>
internal abstract class Stmt
{
    protected Stmt(int offset)
    {
        Offset = offset;
    }

    public int Offset { get; }

    public Flow Execute(RenderState state)
    {
        try
        {
            return ExecuteCore(state);
        }
        catch (ChatTemplateException e) when (e.Line == 0)
        {
            throw state.Source.Locate(e, Offset);
        }
    }

    public static Flow ExecuteAll(Stmt[] body, RenderState state)
    {
        foreach (Stmt stmt in body)
        {
            Flow flow = stmt.Execute(state);
            if (flow != Flow.Normal)
            {
                return flow;
            }
        }

        return Flow.Normal;
    }

    protected abstract Flow ExecuteCore(RenderState state);
}
