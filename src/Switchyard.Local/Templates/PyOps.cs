using System.Globalization;
using System.Text;
using PyList = System.Collections.Generic.List<object?>;

namespace Switchyard.Local.Templates;

/// <summary>
/// Python value semantics for template values. Values are: null (None), <see cref="Undefined"/>, bool, long, double,
/// string, <see cref="PyList"/>, <see cref="PyDict"/>, <see cref="JinjaNamespace"/>, <see cref="LoopInfo"/> and
/// <see cref="JinjaCallable"/>.
/// </summary>
internal static class PyOps
{
    /// <summary>A render error without a position yet; the expression that catches it adds its position.</summary>
    public static ChatTemplateException Fail(string message) => new(message);

    public static string TypeName(object? value) => value switch
    {
        null => "NoneType",
        Undefined => "Undefined",
        bool => "bool",
        long => "int",
        double => "float",
        string => "str",
        PyList => "list",
        PyDict => "dict",
        JinjaNamespace => "Namespace",
        LoopInfo => "LoopContext",
        JinjaCallable => "function",
        _ => value.GetType().Name,
    };

    public static bool Truthy(object? value) => value switch
    {
        null => false,
        Undefined => false,
        bool b => b,
        long l => l != 0,
        double d => d != 0,
        string s => s.Length > 0,
        PyList list => list.Count > 0,
        PyDict dict => dict.Count > 0,
        _ => true,
    };

    private static bool IsNumber(object? value) => value is long or double or bool;

    private static bool IsInteger(object? value) => value is long or bool;

    private static long AsLong(object? value) => value switch
    {
        long l => l,
        bool b => b ? 1 : 0,
        _ => throw Fail($"expected an integer, got {TypeName(value)}"),
    };

    private static double AsDouble(object? value) => value switch
    {
        long l => l,
        double d => d,
        bool b => b ? 1 : 0,
        _ => throw Fail($"expected a number, got {TypeName(value)}"),
    };

    public static bool ValueEquals(object? a, object? b)
    {
        if (ReferenceEquals(a, b))
        {
            return true;
        }

        if (IsNumber(a) && IsNumber(b))
        {
            return IsInteger(a) && IsInteger(b) ? AsLong(a) == AsLong(b) : AsDouble(a) == AsDouble(b);
        }

        switch (a)
        {
            case null:
                return b is null;
            case Undefined:
                return b is Undefined;
            case string sa:
                return b is string sb && string.Equals(sa, sb, StringComparison.Ordinal);
            case PyList la when b is PyList lb:
                if (la.Count != lb.Count)
                {
                    return false;
                }

                for (int i = 0; i < la.Count; i++)
                {
                    if (!ValueEquals(la[i], lb[i]))
                    {
                        return false;
                    }
                }

                return true;
            case PyDict da when b is PyDict db:
                if (da.Count != db.Count)
                {
                    return false;
                }

                foreach (KeyValuePair<object, object?> pair in da)
                {
                    if (!db.TryGetValue(pair.Key, out object? other) || !ValueEquals(pair.Value, other))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return false;
        }
    }

    /// <summary>Orders two values as Python does for &lt;, &lt;=, &gt;, &gt;=; throws for types that do not order.</summary>
    public static int Compare(object? a, object? b, string op)
    {
        ThrowIfUndefined(a);
        ThrowIfUndefined(b);
        if (IsNumber(a) && IsNumber(b))
        {
            return IsInteger(a) && IsInteger(b) ? AsLong(a).CompareTo(AsLong(b)) : AsDouble(a).CompareTo(AsDouble(b));
        }

        if (a is string sa && b is string sb)
        {
            return string.CompareOrdinal(sa, sb);
        }

        if (a is PyList la && b is PyList lb)
        {
            for (int i = 0; i < la.Count && i < lb.Count; i++)
            {
                if (!ValueEquals(la[i], lb[i]))
                {
                    return Compare(la[i], lb[i], op);
                }
            }

            return la.Count.CompareTo(lb.Count);
        }

        throw Fail($"'{op}' not supported between instances of '{TypeName(a)}' and '{TypeName(b)}'");
    }

    public static void ThrowIfUndefined(object? value)
    {
        if (value is Undefined undefined)
        {
            throw undefined.Fail();
        }
    }

    public static object? Add(object? a, object? b)
    {
        ThrowIfUndefined(a);
        ThrowIfUndefined(b);
        if (IsInteger(a) && IsInteger(b))
        {
            return Checked(() => checked(AsLong(a) + AsLong(b)));
        }

        if (IsNumber(a) && IsNumber(b))
        {
            return AsDouble(a) + AsDouble(b);
        }

        if (a is string sa && b is string sb)
        {
            return string.Concat(sa, sb);
        }

        if (a is PyList la && b is PyList lb)
        {
            var joined = new PyList(la.Count + lb.Count);
            joined.AddRange(la);
            joined.AddRange(lb);
            return joined;
        }

        if (a is string)
        {
            throw Fail($"can only concatenate str (not \"{TypeName(b)}\") to str");
        }

        throw Unsupported("+", a, b);
    }

    public static object? Subtract(object? a, object? b)
    {
        RequireNumbers("-", a, b);
        return IsInteger(a) && IsInteger(b) ? Checked(() => checked(AsLong(a) - AsLong(b))) : (object)(AsDouble(a) - AsDouble(b));
    }

    public static object? Multiply(object? a, object? b)
    {
        ThrowIfUndefined(a);
        ThrowIfUndefined(b);
        if (IsInteger(a) && IsInteger(b))
        {
            return Checked(() => checked(AsLong(a) * AsLong(b)));
        }

        if (IsNumber(a) && IsNumber(b))
        {
            return AsDouble(a) * AsDouble(b);
        }

        if (a is string or PyList && IsInteger(b))
        {
            return Repeat(a!, AsLong(b));
        }

        if (b is string or PyList && IsInteger(a))
        {
            return Repeat(b!, AsLong(a));
        }

        throw Unsupported("*", a, b);
    }

    private static object Repeat(object sequence, long times)
    {
        if (sequence is string s)
        {
            var sb = new StringBuilder();
            for (long i = 0; i < times; i++)
            {
                sb.Append(s);
            }

            return sb.ToString();
        }

        var list = (PyList)sequence;
        var result = new PyList();
        for (long i = 0; i < times; i++)
        {
            result.AddRange(list);
        }

        return result;
    }

    public static object? Divide(object? a, object? b)
    {
        RequireNumbers("/", a, b);
        double divisor = AsDouble(b);
        if (divisor == 0)
        {
            throw Fail("division by zero");
        }

        return AsDouble(a) / divisor;
    }

    public static object? FloorDivide(object? a, object? b)
    {
        RequireNumbers("//", a, b);
        if (IsInteger(a) && IsInteger(b))
        {
            long x = AsLong(a);
            long y = AsLong(b);
            if (y == 0)
            {
                throw Fail("integer division or modulo by zero");
            }

            long q = x / y;
            return (x % y != 0 && ((x < 0) != (y < 0))) ? q - 1 : q;
        }

        double d = AsDouble(b);
        if (d == 0)
        {
            throw Fail("float floor division by zero");
        }

        return Math.Floor(AsDouble(a) / d);
    }

    public static object? Modulo(object? a, object? b)
    {
        RequireNumbers("%", a, b);
        if (IsInteger(a) && IsInteger(b))
        {
            long x = AsLong(a);
            long y = AsLong(b);
            if (y == 0)
            {
                throw Fail("integer division or modulo by zero");
            }

            long r = x % y;
            return r != 0 && ((r < 0) != (y < 0)) ? r + y : r;
        }

        double dx = AsDouble(a);
        double dy = AsDouble(b);
        if (dy == 0)
        {
            throw Fail("float modulo");
        }

        double m = dx % dy;
        return m != 0 && ((m < 0) != (dy < 0)) ? m + dy : m;
    }

    public static object? Power(object? a, object? b)
    {
        RequireNumbers("**", a, b);
        if (IsInteger(a) && IsInteger(b) && AsLong(b) >= 0)
        {
            long result = 1;
            long x = AsLong(a);
            for (long e = AsLong(b); e > 0; e--)
            {
                result = Checked(() => checked(result * x));
            }

            return result;
        }

        return Math.Pow(AsDouble(a), AsDouble(b));
    }

    public static object? Negate(object? a)
    {
        ThrowIfUndefined(a);
        return a switch
        {
            long l => (object)Checked(() => checked(-l)),
            bool b => b ? -1L : 0L,
            double d => -d,
            _ => throw Fail($"bad operand type for unary -: '{TypeName(a)}'"),
        };
    }

    public static object? Plus(object? a)
    {
        ThrowIfUndefined(a);
        return a switch
        {
            long or double => a,
            bool b => b ? 1L : 0L,
            _ => throw Fail($"bad operand type for unary +: '{TypeName(a)}'"),
        };
    }

    private static long Checked(Func<long> operation)
    {
        try
        {
            return operation();
        }
        catch (OverflowException)
        {
            throw Fail("integer overflow");
        }
    }

    private static void RequireNumbers(string op, object? a, object? b)
    {
        ThrowIfUndefined(a);
        ThrowIfUndefined(b);
        if (!IsNumber(a) || !IsNumber(b))
        {
            throw Unsupported(op, a, b);
        }
    }

    private static ChatTemplateException Unsupported(string op, object? a, object? b) =>
        Fail($"unsupported operand type(s) for {op}: '{TypeName(a)}' and '{TypeName(b)}'");

    /// <summary>Python's <c>item in container</c>.</summary>
    public static bool Contains(object? container, object? item)
    {
        switch (container)
        {
            case string s:
                return item is string sub
                    ? s.Contains(sub, StringComparison.Ordinal)
                    : throw Fail($"'in <string>' requires string as left operand, not {TypeName(item)}");
            case PyList list:
                foreach (object? element in list)
                {
                    if (ValueEquals(element, item))
                    {
                        return true;
                    }
                }

                return false;
            case PyDict dict:
                return item is string or long or double or bool && dict.ContainsKey(item);
            case JinjaNamespace ns:
                return item is string name && ns.Attributes.ContainsKey(name);
            case Undefined:
                return false;
            default:
                throw Fail($"argument of type '{TypeName(container)}' is not iterable");
        }
    }

    /// <summary>The items a for loop or filter walks: list items, dict keys, string characters; undefined is empty.</summary>
    public static PyList Iterate(object? value)
    {
        switch (value)
        {
            case PyList list:
                return list;
            case PyDict dict:
                return [.. dict.Keys];
            case string s:
                var chars = new PyList(s.Length);
                foreach (Rune rune in s.EnumerateRunes())
                {
                    chars.Add(rune.ToString());
                }

                return chars;
            case Undefined:
                return [];
            case JinjaNamespace ns:
                return [.. ns.Attributes.Keys];
            default:
                throw Fail($"'{TypeName(value)}' object is not iterable");
        }
    }

    public static long Length(object? value) => value switch
    {
        string s => CodePointCount(s),
        PyList list => list.Count,
        PyDict dict => dict.Count,
        Undefined => 0,
        JinjaNamespace ns => ns.Attributes.Count,
        _ => throw Fail($"object of type '{TypeName(value)}' has no len()"),
    };

    private static long CodePointCount(string s)
    {
        long count = s.Length;
        foreach (char c in s)
        {
            if (char.IsLowSurrogate(c))
            {
                count--;
            }
        }

        return count;
    }

    /// <summary>Python's <c>str(value)</c>, except that undefined is the empty string (as Jinja prints it).</summary>
    public static string Str(object? value) => value switch
    {
        string s => s,
        null => "None",
        Undefined => string.Empty,
        bool b => b ? "True" : "False",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => FormatFloat(d),
        PyList or PyDict => Repr(value),
        JinjaNamespace ns => "<Namespace " + Repr(ns.Attributes) + ">",
        JinjaCallable c => $"<function {c.Name}>",
        _ => value.ToString() ?? string.Empty,
    };

    /// <summary>Python's <c>repr(value)</c>.</summary>
    public static string Repr(object? value)
    {
        switch (value)
        {
            case string s:
                return ReprString(s);
            case Undefined:
                return "Undefined";
            case PyList list:
                var sb = new StringBuilder("[");
                for (int i = 0; i < list.Count; i++)
                {
                    sb.Append(i == 0 ? string.Empty : ", ").Append(Repr(list[i]));
                }

                return sb.Append(']').ToString();
            case PyDict dict:
                var db = new StringBuilder("{");
                bool first = true;
                foreach (KeyValuePair<object, object?> pair in dict)
                {
                    db.Append(first ? string.Empty : ", ").Append(Repr(pair.Key)).Append(": ").Append(Repr(pair.Value));
                    first = false;
                }

                return db.Append('}').ToString();
            default:
                return Str(value);
        }
    }

    private static string ReprString(string s)
    {
        char quote = s.Contains('\'', StringComparison.Ordinal) && !s.Contains('"', StringComparison.Ordinal) ? '"' : '\'';
        var sb = new StringBuilder(s.Length + 2);
        sb.Append(quote);
        foreach (char c in s)
        {
            switch (c)
            {
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c == quote)
                    {
                        sb.Append('\\').Append(c);
                    }
                    else if (c < 0x20 || c == 0x7f)
                    {
                        sb.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        return sb.Append(quote).ToString();
    }

    /// <summary>Python's <c>repr(float)</c>: shortest round-trip digits, exponent form below 1e-4 and from 1e16.</summary>
    public static string FormatFloat(double d)
    {
        if (double.IsNaN(d))
        {
            return "nan";
        }

        if (double.IsInfinity(d))
        {
            return d > 0 ? "inf" : "-inf";
        }

        if (d == 0)
        {
            return double.IsNegative(d) ? "-0.0" : "0.0";
        }

        string shortest = Math.Abs(d).ToString("R", CultureInfo.InvariantCulture);

        // Digits and decimal exponent of the shortest round-trip form.
        int ePos = shortest.IndexOfAny(['E', 'e']);
        string mantissa = ePos >= 0 ? shortest[..ePos] : shortest;
        int exponent = ePos >= 0 ? int.Parse(shortest[(ePos + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture) : 0;
        int dot = mantissa.IndexOf('.', StringComparison.Ordinal);
        string intPart = dot >= 0 ? mantissa[..dot] : mantissa;
        string fracPart = dot >= 0 ? mantissa[(dot + 1)..] : string.Empty;
        string digits = (intPart + fracPart).TrimStart('0');
        int leadingZeros = (intPart + fracPart).Length - (intPart + fracPart).TrimStart('0').Length;

        // Scientific exponent: value = d1.d2d3... x 10^sci.
        int sci = intPart.Length - 1 - leadingZeros + exponent;
        digits = digits.TrimEnd('0');
        if (digits.Length == 0)
        {
            digits = "0";
        }

        string sign = d < 0 ? "-" : string.Empty;
        if (sci < -4 || sci >= 16)
        {
            string mant = digits.Length == 1 ? digits : digits[0] + "." + digits[1..];
            string exp = Math.Abs(sci).ToString("00", CultureInfo.InvariantCulture);
            return $"{sign}{mant}e{(sci < 0 ? '-' : '+')}{exp}";
        }

        if (sci < 0)
        {
            return $"{sign}0.{new string('0', -sci - 1)}{digits}";
        }

        if (digits.Length <= sci + 1)
        {
            return $"{sign}{digits}{new string('0', sci + 1 - digits.Length)}.0";
        }

        return $"{sign}{digits[..(sci + 1)]}.{digits[(sci + 1)..]}";
    }

    /// <summary>Jinja's <c>obj.name</c>: a Python attribute (method) first, then the item of that name.</summary>
    public static object? GetAttribute(object? target, string name)
    {
        switch (target)
        {
            case Undefined undefined:
                throw undefined.Fail();
            case PyDict dict:
                if (PyMethods.IsDictMethod(name))
                {
                    return new BoundMethod(dict, name);
                }

                return dict.TryGetValue(name, out object? value) ? value : new Undefined($"'dict object' has no attribute '{name}'");
            case string s:
                return PyMethods.IsStringMethod(name) ? new BoundMethod(s, name) : new Undefined($"'str object' has no attribute '{name}'");
            case JinjaNamespace ns:
                return ns.Attributes.TryGetValue(name, out object? attribute) ? attribute : new Undefined($"'Namespace' object has no attribute '{name}'");
            case LoopInfo loop:
                return loop.Get(name);
            default:
                return new Undefined($"'{TypeName(target)} object' has no attribute '{name}'");
        }
    }

    /// <summary>Jinja's <c>obj[key]</c>: the item first, then an attribute of that name.</summary>
    public static object? GetItem(object? target, object? key)
    {
        switch (target)
        {
            case Undefined undefined:
                throw undefined.Fail();
            case PyDict dict when key is string or long or double or bool:
                return dict.TryGetValue(key, out object? value) ? value : key is string name ? GetAttribute(dict, name) : new Undefined($"dict has no key {Repr(key)}");
            case PyList list when IsInteger(key):
                long index = AsLong(key);
                if (index < 0)
                {
                    index += list.Count;
                }

                return index >= 0 && index < list.Count ? list[(int)index] : new Undefined($"list index {AsLong(key)} out of range");
            case string s when IsInteger(key):
                long at = AsLong(key);
                if (at < 0)
                {
                    at += s.Length;
                }

                return at >= 0 && at < s.Length ? s[(int)at].ToString() : new Undefined($"string index {AsLong(key)} out of range");
            case JinjaNamespace or LoopInfo when key is string attribute:
                return GetAttribute(target, attribute);
            default:
                return key is string other && target is not null
                    ? GetAttribute(target, other)
                    : new Undefined($"'{TypeName(target)} object' has no item {Repr(key)}");
        }
    }

    /// <summary>Python slicing <c>target[start:stop:step]</c> of a list or string.</summary>
    public static object? Slice(object? target, object? start, object? stop, object? step)
    {
        if (target is Undefined undefined)
        {
            throw undefined.Fail();
        }

        long stepValue = step is null or Undefined ? 1 : AsLong(step);
        if (stepValue == 0)
        {
            throw Fail("slice step cannot be zero");
        }

        int length = target switch
        {
            PyList list => list.Count,
            string s => s.Length,
            _ => -1,
        };
        if (length < 0)
        {
            return new Undefined($"'{TypeName(target)}' object is not subscriptable");
        }

        long from = SliceBound(start, length, stepValue, isStart: true);
        long to = SliceBound(stop, length, stepValue, isStart: false);
        var indices = new List<int>();
        for (long i = from; stepValue > 0 ? i < to : i > to; i += stepValue)
        {
            indices.Add((int)i);
        }

        if (target is string str)
        {
            var sb = new StringBuilder(indices.Count);
            foreach (int i in indices)
            {
                sb.Append(str[i]);
            }

            return sb.ToString();
        }

        var source = (PyList)target!;
        var result = new PyList(indices.Count);
        foreach (int i in indices)
        {
            result.Add(source[i]);
        }

        return result;
    }

    private static long SliceBound(object? bound, int length, long step, bool isStart)
    {
        if (bound is null or Undefined)
        {
            return step > 0 ? (isStart ? 0 : length) : (isStart ? length - 1 : -1);
        }

        long value = AsLong(bound);
        if (value < 0)
        {
            value += length;
        }

        if (step > 0)
        {
            return Math.Clamp(value, 0, length);
        }

        return Math.Clamp(value, -1, length - 1);
    }
}
