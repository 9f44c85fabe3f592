using System.Globalization;
using System.Text;
using PyList = System.Collections.Generic.List<object?>;

namespace Switchyard.Local.Templates;

/// <summary>
/// Python's <c>json.dumps</c> as Hugging Face's <c>tojson</c> filter calls it: <c>ensure_ascii=False</c> by default,
/// separators <c>", "</c>/<c>": "</c> (or <c>","</c> with an indent), keys in insertion order unless sorted.
/// </summary>
internal static class PyJson
{
    public static string Serialize(object? value, string? indent, string itemSeparator, string keySeparator, bool sortKeys, bool ensureAscii)
    {
        var sb = new StringBuilder();
        Write(sb, value, indent, itemSeparator, keySeparator, sortKeys, ensureAscii, 0);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, object? value, string? indent, string itemSep, string keySep, bool sortKeys, bool ascii, int depth)
    {
        switch (value)
        {
            case null:
                sb.Append("null");
                break;
            case bool b:
                sb.Append(b ? "true" : "false");
                break;
            case long l:
                sb.Append(l.ToString(CultureInfo.InvariantCulture));
                break;
            case double d:
                sb.Append(double.IsNaN(d) ? "NaN" : double.IsInfinity(d) ? (d > 0 ? "Infinity" : "-Infinity") : PyOps.FormatFloat(d));
                break;
            case string s:
                WriteString(sb, s, ascii);
                break;
            case PyList list:
                if (list.Count == 0)
                {
                    sb.Append("[]");
                    break;
                }

                sb.Append('[');
                for (int i = 0; i < list.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(itemSep);
                    }

                    NewLine(sb, indent, depth + 1);
                    Write(sb, list[i], indent, itemSep, keySep, sortKeys, ascii, depth + 1);
                }

                NewLine(sb, indent, depth);
                sb.Append(']');
                break;
            case PyDict dict:
                WriteObject(sb, dict, indent, itemSep, keySep, sortKeys, ascii, depth);
                break;
            case JinjaNamespace ns:
                WriteObject(sb, ns.Attributes, indent, itemSep, keySep, sortKeys, ascii, depth);
                break;
            default:
                throw PyOps.Fail($"Object of type {PyOps.TypeName(value)} is not JSON serializable");
        }
    }

    private static void WriteObject(StringBuilder sb, PyDict dict, string? indent, string itemSep, string keySep, bool sortKeys, bool ascii, int depth)
    {
        if (dict.Count == 0)
        {
            sb.Append("{}");
            return;
        }

        IEnumerable<KeyValuePair<string, object?>> pairs = dict.Select(p => new KeyValuePair<string, object?>(JsonKey(p.Key), p.Value));
        if (sortKeys)
        {
            pairs = pairs.OrderBy(p => p.Key, StringComparer.Ordinal);
        }

        sb.Append('{');
        bool first = true;
        foreach (KeyValuePair<string, object?> pair in pairs)
        {
            if (!first)
            {
                sb.Append(itemSep);
            }

            first = false;
            NewLine(sb, indent, depth + 1);
            WriteString(sb, pair.Key, ascii);
            sb.Append(keySep);
            Write(sb, pair.Value, indent, itemSep, keySep, sortKeys, ascii, depth + 1);
        }

        NewLine(sb, indent, depth);
        sb.Append('}');
    }

    /// <summary>json.dumps turns non-string keys into strings: 1 -> "1", 1.5 -> "1.5", True -> "true".</summary>
    private static string JsonKey(object key) => key switch
    {
        string s => s,
        bool b => b ? "true" : "false",
        _ => PyOps.Str(key),
    };

    private static void NewLine(StringBuilder sb, string? indent, int depth)
    {
        if (indent is null)
        {
            return;
        }

        sb.Append('\n');
        for (int i = 0; i < depth; i++)
        {
            sb.Append(indent);
        }
    }

    private static void WriteString(StringBuilder sb, string s, bool ascii)
    {
        sb.Append('"');
        foreach (char c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                default:
                    if (c < 0x20 || (ascii && c > 0x7e))
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        sb.Append('"');
    }
}
