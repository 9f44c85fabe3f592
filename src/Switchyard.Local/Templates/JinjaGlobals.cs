using System.Globalization;
using System.Text;
using PyList = System.Collections.Generic.List<object?>;

namespace Switchyard.Local.Templates;

/// <summary>The global functions chat templates call: Hugging Face's two plus Jinja2's <c>namespace</c>, <c>range</c>, <c>dict</c>.</summary>
internal static class JinjaGlobals
{
    /// <summary>Jinja2's sandbox cap on <c>range</c>.</summary>
    private const long MaxRange = 100_000;

    public static Scope CreateScope()
    {
        var scope = new Scope(null);
        Add(scope, "raise_exception", RaiseException);
        Add(scope, "strftime_now", StrftimeNow);
        Add(scope, "namespace", Namespace);
        Add(scope, "range", Range);
        Add(scope, "dict", Dict);
        return scope;
    }

    private static void Add(Scope scope, string name, Func<RenderState, CallArgs, object?> body) =>
        scope.Set(name, new BuiltinFunction(name, body));

    private static object? RaiseException(RenderState state, CallArgs args) =>
        throw new ChatTemplateException(PyOps.Str(args.Get(0, "message")), ChatTemplateErrorKind.Raised, 0, 0);

    private static object? StrftimeNow(RenderState state, CallArgs args) =>
        Strftime(state.TimeProvider.GetLocalNow(), args.GetString(0, "format", string.Empty));

    private static object? Namespace(RenderState state, CallArgs args)
    {
        var ns = new JinjaNamespace();
        foreach (object? initial in args.Positional)
        {
            if (initial is not PyDict dict)
            {
                throw PyOps.Fail($"namespace() takes a dict, not {PyOps.TypeName(initial)}");
            }

            foreach (KeyValuePair<object, object?> pair in dict)
            {
                ns.Attributes[pair.Key] = pair.Value;
            }
        }

        foreach (KeyValuePair<string, object?> pair in args.Named)
        {
            ns.Attributes[pair.Key] = pair.Value;
        }

        return ns;
    }

    private static object? Dict(RenderState state, CallArgs args)
    {
        var dict = new PyDict();
        foreach (KeyValuePair<string, object?> pair in args.Named)
        {
            dict[pair.Key] = pair.Value;
        }

        return dict;
    }

    private static object? Range(RenderState state, CallArgs args)
    {
        long[] bounds = new long[args.Positional.Count];
        for (int i = 0; i < bounds.Length; i++)
        {
            bounds[i] = args.Positional[i] switch
            {
                long l => l,
                bool b => b ? 1 : 0,
                Undefined u => throw u.Fail(),
                var other => throw PyOps.Fail($"range() needs integers, not {PyOps.TypeName(other)}"),
            };
        }

        (long start, long stop, long step) = bounds.Length switch
        {
            1 => (0L, bounds[0], 1L),
            2 => (bounds[0], bounds[1], 1L),
            3 => (bounds[0], bounds[1], bounds[2]),
            _ => throw PyOps.Fail($"range expected 1 to 3 arguments, got {bounds.Length}"),
        };
        if (step == 0)
        {
            throw PyOps.Fail("range() arg 3 must not be zero");
        }

        var result = new PyList();
        for (long i = start; step > 0 ? i < stop : i > stop; i += step)
        {
            if (result.Count >= MaxRange)
            {
                throw PyOps.Fail($"range too big: more than {MaxRange} items");
            }

            result.Add(i);
        }

        return result;
    }

    /// <summary>C/Python strftime for the usual directives; '-' after '%' drops padding as glibc does.</summary>
    public static string Strftime(DateTimeOffset time, string format)
    {
        var sb = new StringBuilder();
        for (int i = 0; i < format.Length; i++)
        {
            if (format[i] != '%' || i + 1 >= format.Length)
            {
                sb.Append(format[i]);
                continue;
            }

            char code = format[++i];
            bool noPad = false;
            if (code == '-' && i + 1 < format.Length)
            {
                noPad = true;
                code = format[++i];
            }

            string Pad(int value, int width) =>
                noPad ? value.ToString(CultureInfo.InvariantCulture) : value.ToString(new string('0', width), CultureInfo.InvariantCulture);

            sb.Append(code switch
            {
                'a' => time.ToString("ddd", CultureInfo.InvariantCulture),
                'A' => time.ToString("dddd", CultureInfo.InvariantCulture),
                'b' or 'h' => time.ToString("MMM", CultureInfo.InvariantCulture),
                'B' => time.ToString("MMMM", CultureInfo.InvariantCulture),
                'd' => Pad(time.Day, 2),
                'e' => time.Day.ToString(CultureInfo.InvariantCulture).PadLeft(noPad ? 0 : 2),
                'H' => Pad(time.Hour, 2),
                'I' => Pad(time.Hour % 12 == 0 ? 12 : time.Hour % 12, 2),
                'j' => Pad(time.DayOfYear, 3),
                'm' => Pad(time.Month, 2),
                'M' => Pad(time.Minute, 2),
                'p' => time.Hour < 12 ? "AM" : "PM",
                'S' => Pad(time.Second, 2),
                'y' => Pad(time.Year % 100, 2),
                'Y' => time.Year.ToString(CultureInfo.InvariantCulture),
                'z' => (time.Offset < TimeSpan.Zero ? "-" : "+") + time.Offset.ToString("hhmm", CultureInfo.InvariantCulture),
                'F' => time.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                'T' => time.ToString("HH:mm:ss", CultureInfo.InvariantCulture),
                '%' => "%",
                _ => "%" + code,
            });
        }

        return sb.ToString();
    }
}
