using PyList = System.Collections.Generic.List<object?>;

namespace Switchyard.Local.Templates;

/// <summary>The built-in tests used after <c>is</c>, with Jinja2's behaviour.</summary>
internal static class JinjaTests
{
    private static readonly Dictionary<string, JinjaTest> All = new(StringComparer.Ordinal)
    {
        ["boolean"] = (v, _) => v is bool,
        ["callable"] = (v, _) => v is JinjaCallable,
        ["defined"] = (v, _) => v is not Undefined,
        ["divisibleby"] = (v, a) => PyOps.ValueEquals(PyOps.Modulo(v, a.Get(0, "num")), 0L),
        ["eq"] = Equal,
        ["equalto"] = Equal,
        ["=="] = Equal,
        ["even"] = (v, _) => PyOps.ValueEquals(PyOps.Modulo(v, 2L), 0L),
        ["false"] = (v, _) => v is false,
        ["float"] = (v, _) => v is double,
        ["ge"] = (v, a) => PyOps.Compare(v, a.Get(0, "other"), ">=") >= 0,
        [">="] = (v, a) => PyOps.Compare(v, a.Get(0, "other"), ">=") >= 0,
        ["gt"] = (v, a) => PyOps.Compare(v, a.Get(0, "other"), ">") > 0,
        [">"] = (v, a) => PyOps.Compare(v, a.Get(0, "other"), ">") > 0,
        ["in"] = (v, a) => PyOps.Contains(a.Get(0, "seq"), v),
        ["integer"] = (v, _) => v is long,
        ["iterable"] = (v, _) => v is string or PyList or PyDict or Undefined or JinjaNamespace,
        ["le"] = (v, a) => PyOps.Compare(v, a.Get(0, "other"), "<=") <= 0,
        ["<="] = (v, a) => PyOps.Compare(v, a.Get(0, "other"), "<=") <= 0,
        ["lower"] = (v, _) => PyOps.Str(v) is var s && s.Any(char.IsLetter) && !s.Any(char.IsUpper),
        ["lt"] = (v, a) => PyOps.Compare(v, a.Get(0, "other"), "<") < 0,
        ["<"] = (v, a) => PyOps.Compare(v, a.Get(0, "other"), "<") < 0,
        ["mapping"] = (v, _) => v is PyDict,
        ["ne"] = (v, a) => !PyOps.ValueEquals(v, a.Get(0, "other")),
        ["!="] = (v, a) => !PyOps.ValueEquals(v, a.Get(0, "other")),
        ["none"] = (v, _) => v is null,
        ["number"] = (v, _) => v is long or double or bool,
        ["odd"] = (v, _) => PyOps.ValueEquals(PyOps.Modulo(v, 2L), 1L),
        ["sameas"] = SameAs,
        ["sequence"] = (v, _) => v is string or PyList or PyDict or Undefined,
        ["string"] = (v, _) => v is string,
        ["true"] = (v, _) => v is true,
        ["undefined"] = (v, _) => v is Undefined,
        ["upper"] = (v, _) => PyOps.Str(v) is var s && s.Any(char.IsLetter) && !s.Any(char.IsLower),
    };

    public static bool TryGet(string name, out JinjaTest test) => All.TryGetValue(name, out test!);

    private static bool Equal(object? value, CallArgs args) => PyOps.ValueEquals(value, args.Get(0, "other"));

    private static bool SameAs(object? value, CallArgs args)
    {
        object? other = args.Get(0, "other");
        return value switch
        {
            null => other is null,
            bool or long or double or string => PyOps.ValueEquals(value, other) && value.GetType() == other?.GetType(),
            _ => ReferenceEquals(value, other),
        };
    }
}
