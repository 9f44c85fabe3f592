namespace Switchyard.Local.Templates;

/// <summary>A Python method looked up on a value, e.g. <c>content.strip</c> or <c>tool.items</c>.</summary>
internal sealed class BoundMethod : JinjaCallable
{
    public BoundMethod(object target, string name)
    {
        Target = target;
        Name = name;
    }

    public object Target { get; }

    public override string Name { get; }

    public override object? Invoke(RenderState state, CallArgs args) => PyMethods.Call(state, Target, Name, args);
}
