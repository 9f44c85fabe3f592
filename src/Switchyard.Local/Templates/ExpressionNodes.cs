using System.Text;
using PyList = System.Collections.Generic.List<object?>;

namespace Switchyard.Local.Templates;

internal sealed class ConstantExpr(int offset, object? value) : Expr(offset)
{
    public object? Value { get; } = value;

    protected override object? EvaluateCore(RenderState state) => Value;
}

internal sealed class NameExpr(int offset, string name) : Expr(offset)
{
    public string Name { get; } = name;

    protected override object? EvaluateCore(RenderState state) => state.Lookup(Name);
}

internal sealed class ListExpr(int offset, Expr[] items) : Expr(offset)
{
    protected override object? EvaluateCore(RenderState state)
    {
        var list = new PyList(items.Length);
        foreach (Expr item in items)
        {
            list.Add(item.Evaluate(state));
        }

        return list;
    }
}

internal sealed class DictExpr(int offset, Expr[] keys, Expr[] values) : Expr(offset)
{
    protected override object? EvaluateCore(RenderState state)
    {
        var dict = new PyDict();
        for (int i = 0; i < keys.Length; i++)
        {
            object key = PyDict.Key(keys[i].Evaluate(state));
            dict[key] = values[i].Evaluate(state);
        }

        return dict;
    }
}

internal sealed class AttributeExpr(int offset, Expr target, string name) : Expr(offset)
{
    protected override object? EvaluateCore(RenderState state) => PyOps.GetAttribute(target.Evaluate(state), name);
}

internal sealed class ItemExpr(int offset, Expr target, Expr key) : Expr(offset)
{
    protected override object? EvaluateCore(RenderState state) => PyOps.GetItem(target.Evaluate(state), key.Evaluate(state));
}

internal sealed class SliceExpr(int offset, Expr target, Expr? start, Expr? stop, Expr? step) : Expr(offset)
{
    protected override object? EvaluateCore(RenderState state) =>
        PyOps.Slice(target.Evaluate(state), start?.Evaluate(state), stop?.Evaluate(state), step?.Evaluate(state));
}

/// <summary>Positional and keyword argument expressions of a call, filter or test.</summary>
internal sealed class ArgumentList(Expr[] positional, KeyValuePair<string, Expr>[] named)
{
    public static readonly ArgumentList None = new([], []);

    public int Count => positional.Length + named.Length;

    public CallArgs Evaluate(RenderState state)
    {
        if (Count == 0)
        {
            return CallArgs.Empty;
        }

        var values = new PyList(positional.Length);
        foreach (Expr expr in positional)
        {
            values.Add(expr.Evaluate(state));
        }

        var keywords = new List<KeyValuePair<string, object?>>(named.Length);
        foreach (KeyValuePair<string, Expr> pair in named)
        {
            keywords.Add(new(pair.Key, pair.Value.Evaluate(state)));
        }

        return new CallArgs(values, keywords);
    }
}

internal sealed class CallExpr(int offset, Expr target, ArgumentList arguments) : Expr(offset)
{
    protected override object? EvaluateCore(RenderState state)
    {
        object? callee = target.Evaluate(state);
        CallArgs args = arguments.Evaluate(state);
        return callee switch
        {
            JinjaCallable callable => callable.Invoke(state, args),
            Undefined undefined => throw undefined.Fail(),
            _ => throw PyOps.Fail($"'{PyOps.TypeName(callee)}' object is not callable"),
        };
    }
}

internal sealed class FilterExpr(int offset, Expr target, JinjaFilter filter, ArgumentList arguments) : Expr(offset)
{
    protected override object? EvaluateCore(RenderState state) =>
        filter(state, target.Evaluate(state), arguments.Evaluate(state));
}

internal sealed class TestExpr(int offset, Expr target, JinjaTest test, ArgumentList arguments, bool negated) : Expr(offset)
{
    protected override object? EvaluateCore(RenderState state) =>
        test(target.Evaluate(state), arguments.Evaluate(state)) != negated;
}

internal sealed class NotExpr(int offset, Expr operand) : Expr(offset)
{
    protected override object? EvaluateCore(RenderState state) => !PyOps.Truthy(operand.Evaluate(state));
}

internal sealed class NegateExpr(int offset, Expr operand, bool minus) : Expr(offset)
{
    protected override object? EvaluateCore(RenderState state) =>
        minus ? PyOps.Negate(operand.Evaluate(state)) : PyOps.Plus(operand.Evaluate(state));
}

internal sealed class AndExpr(int offset, Expr left, Expr right) : Expr(offset)
{
    protected override object? EvaluateCore(RenderState state)
    {
        object? l = left.Evaluate(state);
        return PyOps.Truthy(l) ? right.Evaluate(state) : l;
    }
}

internal sealed class OrExpr(int offset, Expr left, Expr right) : Expr(offset)
{
    protected override object? EvaluateCore(RenderState state)
    {
        object? l = left.Evaluate(state);
        return PyOps.Truthy(l) ? l : right.Evaluate(state);
    }
}

internal sealed class ConditionalExpr(int offset, Expr test, Expr then, Expr? otherwise) : Expr(offset)
{
    protected override object? EvaluateCore(RenderState state) =>
        PyOps.Truthy(test.Evaluate(state)) ? then.Evaluate(state) : otherwise is null ? Undefined.Anonymous : otherwise.Evaluate(state);
}

internal sealed class BinaryExpr(int offset, string op, Expr left, Expr right) : Expr(offset)
{
    protected override object? EvaluateCore(RenderState state)
    {
        object? l = left.Evaluate(state);
        object? r = right.Evaluate(state);
        return op switch
        {
            "+" => PyOps.Add(l, r),
            "-" => PyOps.Subtract(l, r),
            "*" => PyOps.Multiply(l, r),
            "/" => PyOps.Divide(l, r),
            "//" => PyOps.FloorDivide(l, r),
            "%" => PyOps.Modulo(l, r),
            "**" => PyOps.Power(l, r),
            _ => Concat(l, r),
        };
    }

    private static string Concat(object? l, object? r) => new StringBuilder().Append(PyOps.Str(l)).Append(PyOps.Str(r)).ToString();
}

/// <summary>A comparison chain such as <c>a == b</c> or <c>0 &lt; x &lt;= 5</c>, with Python's chaining rule.</summary>
internal sealed class CompareExpr(int offset, Expr first, string[] ops, Expr[] operands) : Expr(offset)
{
    protected override object? EvaluateCore(RenderState state)
    {
        object? left = first.Evaluate(state);
        for (int i = 0; i < ops.Length; i++)
        {
            object? right = operands[i].Evaluate(state);
            if (!Holds(ops[i], left, right))
            {
                return false;
            }

            left = right;
        }

        return true;
    }

    private static bool Holds(string op, object? left, object? right) => op switch
    {
        "==" => PyOps.ValueEquals(left, right),
        "!=" => !PyOps.ValueEquals(left, right),
        "in" => PyOps.Contains(right, left),
        "not in" => !PyOps.Contains(right, left),
        "<" => PyOps.Compare(left, right, op) < 0,
        "<=" => PyOps.Compare(left, right, op) <= 0,
        ">" => PyOps.Compare(left, right, op) > 0,
        _ => PyOps.Compare(left, right, op) >= 0,
    };
}
