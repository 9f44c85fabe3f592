using System.Text;
using PyList = System.Collections.Generic.List<object?>;

namespace Switchyard.Local.Templates;

internal sealed class TextStmt(int offset, string text) : Stmt(offset)
{
    protected override Flow ExecuteCore(RenderState state)
    {
        state.Output.Append(text);
        return Flow.Normal;
    }
}

internal sealed class OutputStmt(int offset, Expr expr) : Stmt(offset)
{
    protected override Flow ExecuteCore(RenderState state)
    {
        object? value = expr.Evaluate(state);
        state.Output.Append(value as string ?? PyOps.Str(value));
        return Flow.Normal;
    }
}

internal sealed class IfStmt(int offset, Expr[] conditions, Stmt[][] bodies, Stmt[]? otherwise) : Stmt(offset)
{
    protected override Flow ExecuteCore(RenderState state)
    {
        for (int i = 0; i < conditions.Length; i++)
        {
            if (PyOps.Truthy(conditions[i].Evaluate(state)))
            {
                return ExecuteAll(bodies[i], state);
            }
        }

        return otherwise is null ? Flow.Normal : ExecuteAll(otherwise, state);
    }
}

internal sealed class ForStmt(int offset, string[] targets, Expr iterable, Expr? filter, Stmt[] body, Stmt[]? otherwise) : Stmt(offset)
{
    protected override Flow ExecuteCore(RenderState state)
    {
        PyList items = PyOps.Iterate(iterable.Evaluate(state));
        Scope outer = state.Scope;
        if (filter is not null)
        {
            var kept = new PyList();
            foreach (object? item in items)
            {
                state.Scope = new Scope(outer);
                Bind(state.Scope, item);
                bool keep = PyOps.Truthy(filter.Evaluate(state));
                state.Scope = outer;
                if (keep)
                {
                    kept.Add(item);
                }
            }

            items = kept;
        }

        if (items.Count == 0)
        {
            return otherwise is null ? Flow.Normal : ExecuteAll(otherwise, state);
        }

        var loop = new LoopInfo(items);
        try
        {
            for (int i = 0; i < items.Count; i++)
            {
                loop.Index0 = i;
                var scope = new Scope(outer);
                state.Scope = scope;
                Bind(scope, items[i]);
                scope.Set("loop", loop);
                if (ExecuteAll(body, state) == Flow.Break)
                {
                    break;
                }
            }
        }
        finally
        {
            state.Scope = outer;
        }

        return Flow.Normal;
    }

    private void Bind(Scope scope, object? item)
    {
        if (targets.Length == 1)
        {
            scope.Set(targets[0], item);
            return;
        }

        PyList values = PyOps.Iterate(item);
        if (values.Count != targets.Length)
        {
            throw PyOps.Fail($"cannot unpack {values.Count} values into {targets.Length} loop variables");
        }

        for (int i = 0; i < targets.Length; i++)
        {
            scope.Set(targets[i], values[i]);
        }
    }
}

internal sealed class SetStmt(int offset, string[] targets, Expr value) : Stmt(offset)
{
    protected override Flow ExecuteCore(RenderState state)
    {
        object? result = value.Evaluate(state);
        if (targets.Length == 1)
        {
            state.Scope.Set(targets[0], result);
            return Flow.Normal;
        }

        PyList values = PyOps.Iterate(result);
        if (values.Count != targets.Length)
        {
            throw PyOps.Fail($"cannot unpack {values.Count} values into {targets.Length} variables");
        }

        for (int i = 0; i < targets.Length; i++)
        {
            state.Scope.Set(targets[i], values[i]);
        }

        return Flow.Normal;
    }
}

/// <summary><c>{% set ns.attr = value %}</c>: assigns into a namespace object.</summary>
internal sealed class SetAttributeStmt(int offset, string name, string attribute, Expr value) : Stmt(offset)
{
    protected override Flow ExecuteCore(RenderState state)
    {
        object? target = state.Lookup(name);
        if (target is not JinjaNamespace ns)
        {
            throw PyOps.Fail($"cannot assign attribute on non-namespace object '{name}' ({PyOps.TypeName(target)})");
        }

        ns.Attributes[attribute] = value.Evaluate(state);
        return Flow.Normal;
    }
}

/// <summary><c>{% set name %}...{% endset %}</c>: assigns the rendered body.</summary>
internal sealed class SetBlockStmt(int offset, string name, Stmt[] body) : Stmt(offset)
{
    protected override Flow ExecuteCore(RenderState state)
    {
        StringBuilder saved = state.Output;
        state.Output = new StringBuilder();
        try
        {
            ExecuteAll(body, state);
            state.Scope.Set(name, state.Output.ToString());
        }
        finally
        {
            state.Output = saved;
        }

        return Flow.Normal;
    }
}

internal sealed class MacroStmt(int offset, string name, string[] parameters, Expr?[] defaults, Stmt[] body) : Stmt(offset)
{
    protected override Flow ExecuteCore(RenderState state)
    {
        state.Scope.Set(name, new Macro(name, parameters, defaults, body, state.Scope));
        return Flow.Normal;
    }
}

/// <summary>A block whose body just renders: <c>{% generation %}</c> (Hugging Face's assistant-mask marker).</summary>
internal sealed class BlockStmt(int offset, Stmt[] body) : Stmt(offset)
{
    protected override Flow ExecuteCore(RenderState state) => ExecuteAll(body, state);
}

internal sealed class LoopControlStmt(int offset, Flow flow) : Stmt(offset)
{
    protected override Flow ExecuteCore(RenderState state) => flow;
}
