namespace Switchyard.Local.Templates;

/// <summary>Something a template can call: a global function, a bound string or dict method, or a macro.</summary>
internal abstract class JinjaCallable
{
    public abstract string Name { get; }

    public abstract object? Invoke(RenderState state, CallArgs args);
}
