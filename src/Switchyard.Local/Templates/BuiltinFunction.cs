namespace Switchyard.Local.Templates;

/// <summary>A global function such as <c>raise_exception</c>, <c>namespace</c> or <c>range</c>.</summary>
internal sealed class BuiltinFunction : JinjaCallable
{
    private readonly Func<RenderState, CallArgs, object?> body;

    public BuiltinFunction(string name, Func<RenderState, CallArgs, object?> body)
    {
        Name = name;
        this.body = body;
    }

    public override string Name { get; }

    public override object? Invoke(RenderState state, CallArgs args) => body(state, args);
}
