using System.Globalization;
using System.Text;
using PyList = System.Collections.Generic.List<object?>;

namespace Switchyard.Local.Templates;

#pragma warning disable CA1859 // filters share the JinjaFilter delegate signature, so they return object?

/// <summary>The built-in filters, with Jinja2's behaviour (and Hugging Face's <c>tojson</c>).</summary>
internal static class JinjaFilters
{
    private static readonly Dictionary<string, JinjaFilter> All = new(StringComparer.Ordinal)
    {
        ["abs"] = Abs,
        ["capitalize"] = (_, v, _) => Capitalize(PyOps.Str(v)),
        ["count"] = (_, v, _) => PyOps.Length(v),
        ["d"] = Default,
        ["default"] = Default,
        ["dictsort"] = DictSort,
        ["e"] = (_, v, _) => Escape(PyOps.Str(v)),
        ["escape"] = (_, v, _) => Escape(PyOps.Str(v)),
        ["first"] = First,
        ["float"] = ToFloat,
        ["indent"] = Indent,
        ["int"] = ToInt,
        ["items"] = Items,
        ["join"] = Join,
        ["last"] = Last,
        ["length"] = (_, v, _) => PyOps.Length(v),
        ["list"] = (_, v, _) => new PyList(PyOps.Iterate(v)),
        ["lower"] = (_, v, _) => PyOps.Str(v).ToLowerInvariant(),
        ["map"] = Map,
        ["max"] = (_, v, a) => Extreme(v, a, wantMax: true),
        ["min"] = (_, v, a) => Extreme(v, a, wantMax: false),
        ["reject"] = (s, v, a) => Select(s, v, a, byAttribute: false, keep: false),
        ["rejectattr"] = (s, v, a) => Select(s, v, a, byAttribute: true, keep: false),
        ["replace"] = Replace,
        ["reverse"] = Reverse,
        ["round"] = Round,
        ["safe"] = (_, v, _) => v,
        ["select"] = (s, v, a) => Select(s, v, a, byAttribute: false, keep: true),
        ["selectattr"] = (s, v, a) => Select(s, v, a, byAttribute: true, keep: true),
        ["sort"] = Sort,
        ["string"] = (_, v, _) => PyOps.Str(v),
        ["sum"] = Sum,
        ["title"] = (_, v, _) => Title(PyOps.Str(v)),
        ["tojson"] = ToJson,
        ["trim"] = (_, v, a) => PyMethods.Strip(PyOps.Str(v), a.Get(0, "chars"), left: true, right: true),
        ["unique"] = Unique,
        ["upper"] = (_, v, _) => PyOps.Str(v).ToUpperInvariant(),
        ["wordcount"] = (_, v, _) => (long)PyMethods.Split(PyOps.Str(v), null, -1).Count,
    };

    public static bool TryGet(string name, out JinjaFilter filter) => All.TryGetValue(name, out filter!);

    private static object? Abs(RenderState state, object? value, CallArgs args) => value switch
    {
        long l => (object)Math.Abs(l),
        double d => Math.Abs(d),
        bool b => b ? 1L : 0L,
        _ => throw PyOps.Fail($"bad operand type for abs(): '{PyOps.TypeName(value)}'"),
    };

    private static string Capitalize(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..].ToLowerInvariant();

    /// <summary>Jinja's title filter: upper-cases the first letter after spaces, dashes and opening brackets.</summary>
    private static string Title(string s)
    {
        var sb = new StringBuilder(s.Length);
        bool wordStart = true;
        foreach (char c in s)
        {
            bool separator = char.IsWhiteSpace(c) || c is '-' or '(' or '{' or '[' or '<';
            sb.Append(wordStart ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c));
            wordStart = separator;
        }

        return sb.ToString();
    }

    private static object? Default(RenderState state, object? value, CallArgs args)
    {
        bool boolean = PyOps.Truthy(args.Get(1, "boolean", false));
        return value is Undefined || (boolean && !PyOps.Truthy(value)) ? args.Get(0, "default_value", string.Empty) : value;
    }

    private static object? DictSort(RenderState state, object? value, CallArgs args)
    {
        if (value is not PyDict dict)
        {
            throw PyOps.Fail($"dictsort needs a dict, not {PyOps.TypeName(value)}");
        }

        bool caseSensitive = PyOps.Truthy(args.Get(0, "case_sensitive", false));
        bool byValue = args.GetString(1, "by", "key") switch
        {
            "key" => false,
            "value" => true,
            _ => throw PyOps.Fail("dictsort: 'by' must be 'key' or 'value'"),
        };
        bool reverse = PyOps.Truthy(args.Get(2, "reverse", false));
        object? Key(KeyValuePair<object, object?> pair)
        {
            object? key = byValue ? pair.Value : pair.Key;
            return !caseSensitive && key is string s ? s.ToLowerInvariant() : key;
        }

        List<KeyValuePair<object, object?>> pairs = [.. dict.OrderBy(Key, Comparer<object?>.Create((a, b) => PyOps.Compare(a, b, "<")))];
        if (reverse)
        {
            pairs.Reverse();
        }

        return new PyList(pairs.Select(pair => (object?)new PyList { pair.Key, pair.Value }));
    }

    private static string Escape(string s) => s
        .Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace(">", "&gt;", StringComparison.Ordinal)
        .Replace("\"", "&#34;", StringComparison.Ordinal)
        .Replace("'", "&#39;", StringComparison.Ordinal);

    private static object? First(RenderState state, object? value, CallArgs args)
    {
        PyList items = PyOps.Iterate(value);
        return items.Count > 0 ? items[0] : new Undefined("No first item, sequence was empty.");
    }

    private static object? Last(RenderState state, object? value, CallArgs args)
    {
        PyList items = PyOps.Iterate(value);
        return items.Count > 0 ? items[^1] : new Undefined("No last item, sequence was empty.");
    }

    private static object? ToFloat(RenderState state, object? value, CallArgs args) => value switch
    {
        double d => d,
        long l => (double)l,
        bool b => b ? 1.0 : 0.0,
        string s when double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed) => parsed,
        _ => args.Get(0, "default", 0.0),
    };

    private static object? ToInt(RenderState state, object? value, CallArgs args) => value switch
    {
        long l => l,
        double d when !double.IsNaN(d) && !double.IsInfinity(d) => (long)Math.Truncate(d),
        bool b => b ? 1L : 0L,
        string s when long.TryParse(s.Trim().Replace("_", string.Empty, StringComparison.Ordinal), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long parsed) => parsed,
        string s when double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed) && !double.IsInfinity(parsed) => (long)Math.Truncate(parsed),
        _ => args.Get(0, "default", 0L),
    };

    private static object? Indent(RenderState state, object? value, CallArgs args)
    {
        object? width = args.Get(0, "width", 4L);
        string prefix = width is string w ? w : new string(' ', (int)(width is long l ? l : 4));
        bool first = PyOps.Truthy(args.Get(1, "first", false));
        bool blank = PyOps.Truthy(args.Get(2, "blank", false));
        string[] lines = PyOps.Str(value).Split('\n');
        var sb = new StringBuilder();
        for (int i = 0; i < lines.Length; i++)
        {
            if (i > 0)
            {
                sb.Append('\n');
            }

            bool indentThis = (i > 0 || first) && (blank || lines[i].Trim().Length > 0);
            sb.Append(indentThis ? prefix : string.Empty).Append(lines[i]);
        }

        return sb.ToString();
    }

    private static object? Items(RenderState state, object? value, CallArgs args)
    {
        if (value is Undefined)
        {
            return new PyList();
        }

        if (value is not PyDict dict)
        {
            throw PyOps.Fail("Can only get item pairs from a mapping.");
        }

        var items = new PyList(dict.Count);
        foreach (KeyValuePair<object, object?> pair in dict)
        {
            items.Add(new PyList { pair.Key, pair.Value });
        }

        return items;
    }

    private static object? Join(RenderState state, object? value, CallArgs args)
    {
        string separator = args.GetString(0, "d", string.Empty);
        string? attribute = args.Get(1, "attribute") as string;
        var sb = new StringBuilder();
        bool first = true;
        foreach (object? item in PyOps.Iterate(value))
        {
            sb.Append(first ? string.Empty : separator).Append(PyOps.Str(attribute is null ? item : GetPath(item, attribute)));
            first = false;
        }

        return sb.ToString();
    }

    private static object? Map(RenderState state, object? value, CallArgs args)
    {
        var result = new PyList();
        if (!PyOps.Truthy(value))
        {
            return result;
        }

        if (args.Positional.Count == 0 && args.Get(-1, "attribute") is string attribute)
        {
            bool hasDefault = args.Has(-1, "default");
            object? fallback = args.Get(-1, "default");
            foreach (object? item in PyOps.Iterate(value))
            {
                object? mapped = GetPath(item, attribute);
                result.Add(mapped is Undefined && hasDefault ? fallback : mapped);
            }

            return result;
        }

        string name = args.GetString(0, "name", string.Empty);
        if (!TryGet(name, out JinjaFilter filter))
        {
            throw PyOps.Fail($"no filter named '{name}'");
        }

        CallArgs rest = args.Skip(1);
        foreach (object? item in PyOps.Iterate(value))
        {
            result.Add(filter(state, item, rest));
        }

        return result;
    }

    private static object? Extreme(object? value, CallArgs args, bool wantMax)
    {
        string? attribute = args.Get(1, "attribute") as string;
        object? best = new Undefined(wantMax ? "max() of an empty sequence" : "min() of an empty sequence");
        object? bestKey = null;
        foreach (object? item in PyOps.Iterate(value))
        {
            object? key = attribute is null ? item : GetPath(item, attribute);
            if (best is Undefined || (PyOps.Compare(key, bestKey, wantMax ? ">" : "<") is int c && (wantMax ? c > 0 : c < 0)))
            {
                best = item;
                bestKey = key;
            }
        }

        return best;
    }

    private static object? Select(RenderState state, object? value, CallArgs args, bool byAttribute, bool keep)
    {
        string? attribute = byAttribute ? args.GetString(0, "attribute", string.Empty) : null;
        int testIndex = byAttribute ? 1 : 0;
        JinjaTest? test = null;
        CallArgs testArgs = CallArgs.Empty;
        if (args.Positional.Count > testIndex)
        {
            string testName = args.Positional[testIndex] as string ?? throw PyOps.Fail("the test name must be a string");
            if (!JinjaTests.TryGet(testName, out JinjaTest found))
            {
                throw PyOps.Fail($"no test named '{testName}'");
            }

            test = found;
            testArgs = new CallArgs(args.Positional.GetRange(testIndex + 1, args.Positional.Count - testIndex - 1), []);
        }

        var result = new PyList();
        if (!PyOps.Truthy(value))
        {
            return result;
        }

        foreach (object? item in PyOps.Iterate(value))
        {
            object? subject = attribute is null ? item : GetPath(item, attribute);
            bool passes = test is null ? PyOps.Truthy(subject) : test(subject, testArgs);
            if (passes == keep)
            {
                result.Add(item);
            }
        }

        return result;
    }

    /// <summary>Looks up a dotted attribute path such as <c>function.name</c>, item-first as Jinja's attrgetter does.</summary>
    private static object? GetPath(object? item, string path)
    {
        object? current = item;
        foreach (string part in path.Split('.'))
        {
            object key = long.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out long index) ? index : part;
            current = PyOps.GetItem(current, key);
        }

        return current;
    }

    private static object? Replace(RenderState state, object? value, CallArgs args)
    {
        string old = PyOps.Str(args.Get(0, "old"));
        string replacement = PyOps.Str(args.Get(1, "new"));
        return PyMethods.Replace(PyOps.Str(value), old, replacement, args.Get(2, "count"));
    }

    private static object? Reverse(RenderState state, object? value, CallArgs args)
    {
        if (value is string s)
        {
            char[] chars = s.ToCharArray();
            Array.Reverse(chars);
            return new string(chars);
        }

        var list = new PyList(PyOps.Iterate(value));
        list.Reverse();
        return list;
    }

    private static object? Round(RenderState state, object? value, CallArgs args)
    {
        double number = value switch
        {
            long l => l,
            double d => d,
            _ => throw PyOps.Fail($"round needs a number, not {PyOps.TypeName(value)}"),
        };
        int precision = args.Get(0, "precision", 0L) is long p ? (int)p : 0;
        string method = args.GetString(1, "method", "common");
        double scale = Math.Pow(10, precision);
        double rounded = method switch
        {
            "ceil" => Math.Ceiling(number * scale) / scale,
            "floor" => Math.Floor(number * scale) / scale,
            _ => Math.Round(number, Math.Clamp(precision, 0, 15), MidpointRounding.AwayFromZero),
        };
        return rounded;
    }

    private static object? Sort(RenderState state, object? value, CallArgs args)
    {
        bool reverse = PyOps.Truthy(args.Get(0, "reverse", false));
        bool caseSensitive = PyOps.Truthy(args.Get(1, "case_sensitive", false));
        string? attribute = args.Get(2, "attribute") as string;
        var list = new PyList(PyOps.Iterate(value));
        object? Key(object? item)
        {
            object? key = attribute is null ? item : GetPath(item, attribute);
            return !caseSensitive && key is string s ? s.ToLowerInvariant() : key;
        }

        List<object?> sorted = [.. list.OrderBy(Key, Comparer<object?>.Create((a, b) => PyOps.Compare(a, b, "<")))];
        if (reverse)
        {
            sorted.Reverse();
        }

        return sorted;
    }

    private static object? Sum(RenderState state, object? value, CallArgs args)
    {
        string? attribute = args.Get(0, "attribute") as string;
        object? total = args.Get(1, "start", 0L);
        foreach (object? item in PyOps.Iterate(value))
        {
            total = PyOps.Add(total, attribute is null ? item : GetPath(item, attribute));
        }

        return total;
    }

    private static object? ToJson(RenderState state, object? value, CallArgs args)
    {
        object? indentArg = args.Get(1, "indent");
        string? indent = indentArg switch
        {
            null or Undefined => null,
            long n => new string(' ', (int)Math.Max(0, n)),
            string s => s,
            _ => throw PyOps.Fail($"tojson indent must be an integer or string, not {PyOps.TypeName(indentArg)}"),
        };
        string itemSeparator = indent is null ? ", " : ",";
        string keySeparator = ": ";
        if (args.Get(2, "separators") is PyList { Count: 2 } separators)
        {
            itemSeparator = PyOps.Str(separators[0]);
            keySeparator = PyOps.Str(separators[1]);
        }

        bool sortKeys = PyOps.Truthy(args.Get(3, "sort_keys", false));
        bool ensureAscii = PyOps.Truthy(args.Get(0, "ensure_ascii", false));
        return PyJson.Serialize(value, indent, itemSeparator, keySeparator, sortKeys, ensureAscii);
    }

    private static object? Unique(RenderState state, object? value, CallArgs args)
    {
        var result = new PyList();
        foreach (object? item in PyOps.Iterate(value))
        {
            if (!result.Any(seen => PyOps.ValueEquals(seen, item)))
            {
                result.Add(item);
            }
        }

        return result;
    }
}
