using System.Text;
using PyList = System.Collections.Generic.List<object?>;

namespace Switchyard.Local.Templates;

/// <summary>The Python methods of str and dict that chat templates call, e.g. <c>content.strip()</c>, <c>tool.items()</c>.</summary>
internal static class PyMethods
{
    private static readonly HashSet<string> StringMethods =
    [
        "strip", "lstrip", "rstrip", "startswith", "endswith", "split", "rsplit", "splitlines", "title", "upper", "lower",
        "capitalize", "replace", "join", "find", "rfind", "count", "isdigit", "isalpha", "isalnum", "isspace", "isupper",
        "islower", "removeprefix", "removesuffix",
    ];

    private static readonly HashSet<string> DictMethods = ["items", "keys", "values", "get"];

    public static bool IsStringMethod(string name) => StringMethods.Contains(name);

    public static bool IsDictMethod(string name) => DictMethods.Contains(name);

    public static object? Call(RenderState state, object target, string name, CallArgs args) => target switch
    {
        string s => CallString(s, name, args),
        PyDict d => CallDict(d, name, args),
        LoopInfo loop when name == "cycle" => loop.Cycle(args),
        _ => throw PyOps.Fail($"'{PyOps.TypeName(target)}' object has no method '{name}'"),
    };

    private static object? CallDict(PyDict dict, string name, CallArgs args)
    {
        switch (name)
        {
            case "items":
                var items = new PyList(dict.Count);
                foreach (KeyValuePair<object, object?> pair in dict)
                {
                    items.Add(new PyList { pair.Key, pair.Value });
                }

                return items;
            case "keys":
                return new PyList(dict.Keys);
            case "values":
                return new PyList(dict.Values);
            default:
                object? key = args.Get(0, "key");
                return key is string or long or double or bool && dict.TryGetValue(key, out object? value) ? value : args.Get(1, "default");
        }
    }

    private static object? CallString(string s, string name, CallArgs args)
    {
        switch (name)
        {
            case "strip": return Strip(s, args.Get(0, "chars"), left: true, right: true);
            case "lstrip": return Strip(s, args.Get(0, "chars"), left: true, right: false);
            case "rstrip": return Strip(s, args.Get(0, "chars"), left: false, right: true);
            case "startswith": return Affix(s, args.Get(0, "prefix"), (text, affix) => text.StartsWith(affix, StringComparison.Ordinal));
            case "endswith": return Affix(s, args.Get(0, "suffix"), (text, affix) => text.EndsWith(affix, StringComparison.Ordinal));
            case "split": return Split(s, args.Get(0, "sep"), MaxSplit(args));
            case "rsplit": return RSplit(s, args.Get(0, "sep"), MaxSplit(args));
            case "splitlines": return new PyList(s.Split('\n').Select(line => (object?)line.TrimEnd('\r')).SkipLast(s.EndsWith('\n') ? 1 : 0));
            case "title": return Title(s);
            case "upper": return s.ToUpperInvariant();
            case "lower": return s.ToLowerInvariant();
            case "capitalize": return s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s[1..].ToLowerInvariant();
            case "replace": return Replace(s, RequireString(args.Get(0, "old"), "old"), RequireString(args.Get(1, "new"), "new"), args.Get(2, "count"));
            case "join": return Join(s, args.Get(0, "iterable"));
            case "find": return (long)s.IndexOf(RequireString(args.Get(0, "sub"), "sub"), StringComparison.Ordinal);
            case "rfind": return (long)s.LastIndexOf(RequireString(args.Get(0, "sub"), "sub"), StringComparison.Ordinal);
            case "count": return Count(s, RequireString(args.Get(0, "sub"), "sub"));
            case "isdigit": return s.Length > 0 && s.All(char.IsDigit);
            case "isalpha": return s.Length > 0 && s.All(char.IsLetter);
            case "isalnum": return s.Length > 0 && s.All(char.IsLetterOrDigit);
            case "isspace": return s.Length > 0 && s.All(char.IsWhiteSpace);
            case "isupper": return s.Any(char.IsLetter) && !s.Any(char.IsLower);
            case "islower": return s.Any(char.IsLetter) && !s.Any(char.IsUpper);
            case "removeprefix":
                string prefix = RequireString(args.Get(0, "prefix"), "prefix");
                return s.StartsWith(prefix, StringComparison.Ordinal) ? s[prefix.Length..] : s;
            default:
                string suffix = RequireString(args.Get(0, "suffix"), "suffix");
                return suffix.Length > 0 && s.EndsWith(suffix, StringComparison.Ordinal) ? s[..^suffix.Length] : s;
        }
    }

    private static string RequireString(object? value, string name) => value switch
    {
        string s => s,
        Undefined u => throw u.Fail(),
        _ => throw PyOps.Fail($"argument '{name}' must be str, not {PyOps.TypeName(value)}"),
    };

    private static int MaxSplit(CallArgs args) => args.Get(1, "maxsplit") switch
    {
        null or Undefined => -1,
        long l => (int)Math.Clamp(l, -1, int.MaxValue),
        object other => throw PyOps.Fail($"maxsplit must be an integer, not {PyOps.TypeName(other)}"),
    };

    /// <summary>Python's strip: whitespace when <paramref name="chars"/> is None, else any of those characters.</summary>
    public static string Strip(string s, object? chars, bool left, bool right)
    {
        if (chars is null or Undefined)
        {
            return left && right ? s.Trim() : left ? s.TrimStart() : s.TrimEnd();
        }

        char[] set = RequireString(chars, "chars").ToCharArray();
        return left && right ? s.Trim(set) : left ? s.TrimStart(set) : s.TrimEnd(set);
    }

    private static bool Affix(string s, object? affix, Func<string, string, bool> test)
    {
        if (affix is PyList options)
        {
            return options.Any(option => test(s, RequireString(option, "prefix")));
        }

        return test(s, RequireString(affix, "prefix"));
    }

    public static PyList Split(string s, object? separator, int maxSplit)
    {
        var parts = new PyList();
        if (separator is null or Undefined)
        {
            int i = 0;
            while (true)
            {
                while (i < s.Length && char.IsWhiteSpace(s[i]))
                {
                    i++;
                }

                if (i >= s.Length)
                {
                    return parts;
                }

                if (maxSplit >= 0 && parts.Count == maxSplit)
                {
                    parts.Add(s[i..].TrimEnd());
                    return parts;
                }

                int start = i;
                while (i < s.Length && !char.IsWhiteSpace(s[i]))
                {
                    i++;
                }

                parts.Add(s[start..i]);
            }
        }

        string sep = RequireString(separator, "sep");
        if (sep.Length == 0)
        {
            throw PyOps.Fail("empty separator");
        }

        int from = 0;
        while (maxSplit < 0 || parts.Count < maxSplit)
        {
            int at = s.IndexOf(sep, from, StringComparison.Ordinal);
            if (at < 0)
            {
                break;
            }

            parts.Add(s[from..at]);
            from = at + sep.Length;
        }

        parts.Add(s[from..]);
        return parts;
    }

    private static PyList RSplit(string s, object? separator, int maxSplit)
    {
        if (separator is null or Undefined || maxSplit < 0)
        {
            return Split(s, separator, maxSplit);
        }

        string sep = RequireString(separator, "sep");
        if (sep.Length == 0)
        {
            throw PyOps.Fail("empty separator");
        }

        var parts = new List<string>();
        int end = s.Length;
        while (parts.Count < maxSplit)
        {
            int at = end - sep.Length < 0 ? -1 : s.LastIndexOf(sep, end - 1, end, StringComparison.Ordinal);
            if (at < 0)
            {
                break;
            }

            parts.Add(s[(at + sep.Length)..end]);
            end = at;
        }

        parts.Add(s[..end]);
        parts.Reverse();
        return [.. parts];
    }

    /// <summary>Python's str.title(): a letter after a non-letter is upper-cased, other letters lower-cased.</summary>
    public static string Title(string s)
    {
        var sb = new StringBuilder(s.Length);
        bool previousCased = false;
        foreach (char c in s)
        {
            if (char.IsLetter(c))
            {
                sb.Append(previousCased ? char.ToLowerInvariant(c) : char.ToUpperInvariant(c));
                previousCased = true;
            }
            else
            {
                sb.Append(c);
                previousCased = false;
            }
        }

        return sb.ToString();
    }

    public static string Replace(string s, string old, string replacement, object? count)
    {
        long limit = count switch
        {
            null or Undefined => -1,
            long l => l,
            _ => throw PyOps.Fail($"count must be an integer, not {PyOps.TypeName(count)}"),
        };
        if (limit < 0 && old.Length > 0)
        {
            return s.Replace(old, replacement, StringComparison.Ordinal);
        }

        var sb = new StringBuilder();
        int from = 0;
        long done = 0;
        if (old.Length == 0)
        {
            for (int i = 0; i <= s.Length; i++)
            {
                if (limit < 0 || done < limit)
                {
                    sb.Append(replacement);
                    done++;
                }

                if (i < s.Length)
                {
                    sb.Append(s[i]);
                }
            }

            return sb.ToString();
        }

        while (done < limit)
        {
            int at = s.IndexOf(old, from, StringComparison.Ordinal);
            if (at < 0)
            {
                break;
            }

            sb.Append(s, from, at - from).Append(replacement);
            from = at + old.Length;
            done++;
        }

        return sb.Append(s, from, s.Length - from).ToString();
    }

    private static string Join(string separator, object? iterable)
    {
        var sb = new StringBuilder();
        int i = 0;
        foreach (object? item in PyOps.Iterate(iterable))
        {
            if (item is not string text)
            {
                throw PyOps.Fail($"sequence item {i}: expected str instance, {PyOps.TypeName(item)} found");
            }

            sb.Append(i++ == 0 ? string.Empty : separator).Append(text);
        }

        return sb.ToString();
    }

    private static long Count(string s, string sub)
    {
        if (sub.Length == 0)
        {
            return s.Length + 1;
        }

        long count = 0;
        for (int at = s.IndexOf(sub, StringComparison.Ordinal); at >= 0; at = s.IndexOf(sub, at + sub.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
