using System.Text;

namespace Switchyard.Local.Templates;

/// <summary>A macro defined with <c>{% macro name(args) %}</c>; calling it renders its body to a string.</summary>
internal sealed class Macro : JinjaCallable
{
    private readonly string[] parameters;
    private readonly Expr?[] defaults;
    private readonly Stmt[] body;
    private readonly Scope closure;

    public Macro(string name, string[] parameters, Expr?[] defaults, Stmt[] body, Scope closure)
    {
        Name = name;
        this.parameters = parameters;
        this.defaults = defaults;
        this.body = body;
        this.closure = closure;
    }

    public override string Name { get; }

    public override object? Invoke(RenderState state, CallArgs args)
    {
        if (args.Positional.Count > parameters.Length)
        {
            throw PyOps.Fail($"macro '{Name}' takes {parameters.Length} arguments, {args.Positional.Count} given");
        }

        foreach (KeyValuePair<string, object?> pair in args.Named)
        {
            if (Array.IndexOf(parameters, pair.Key) < 0)
            {
                throw PyOps.Fail($"macro '{Name}' has no parameter '{pair.Key}'");
            }
        }

        if (state.CallDepth >= RenderState.MaxCallDepth)
        {
            throw PyOps.Fail($"macro '{Name}' nests deeper than {RenderState.MaxCallDepth} calls");
        }

        Scope savedScope = state.Scope;
        StringBuilder savedOutput = state.Output;
        var scope = new Scope(closure);
        state.Scope = scope;
        state.Output = new StringBuilder();
        state.CallDepth++;
        try
        {
            for (int i = 0; i < parameters.Length; i++)
            {
                object? value = args.Has(i, parameters[i])
                    ? args.Get(i, parameters[i])
                    : defaults[i] is Expr fallback ? fallback.Evaluate(state) : Undefined.ForName(parameters[i]);
                scope.Set(parameters[i], value);
            }

            Stmt.ExecuteAll(body, state);
            return state.Output.ToString();
        }
        finally
        {
            state.CallDepth--;
            state.Scope = savedScope;
            state.Output = savedOutput;
        }
    }
}
