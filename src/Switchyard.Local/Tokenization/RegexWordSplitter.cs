using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Switchyard.Local.Tokenization;

/// <summary>
/// A pre-tokenizer step given as a regex, run the way llama.cpp runs the regexes it has no hand-written matcher for:
/// every match becomes a segment and so does every stretch of text between matches. A pattern that uses Unicode
/// categories (\p{L}, \p{N}, \p{P}, \p{S}, \p{M}) runs on the collapsed text, with each category rewritten to its
/// stand-in char plus its ASCII members (as llama.cpp does, so \p{S} misses '~' there too); other patterns run on the
/// code points directly. Each pattern is compiled once per process.
/// </summary>
internal sealed class RegexWordSplitter : WordSplitter
{
    private static readonly ConcurrentDictionary<string, Regex> Compiled = new(StringComparer.Ordinal);

    private readonly Regex _regex;
    private readonly bool _collapsed;

    public RegexWordSplitter(string pattern)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        _collapsed = UsesCategories(pattern);
        if (!_collapsed && pattern.Any(char.IsSurrogate))
        {
            throw new NotSupportedException($"Pre-tokenizer regex with characters outside the BMP is not supported: {pattern}");
        }

        string dotnet = ToDotNet(pattern, _collapsed);
        _regex = Compiled.GetOrAdd(dotnet, static p => new Regex(p, RegexOptions.Compiled | RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture));
    }

    /// <summary>The .NET pattern actually run (for tests and diagnostics).</summary>
    public string DotNetPattern => _regex.ToString();

    public override void Split(CodepointText text, List<int> segments, List<int> output)
    {
        string view = _collapsed ? text.Collapsed : text.Wide;
        int start = 0;
        foreach (int length in segments)
        {
            ReadOnlySpan<char> segment = view.AsSpan(start, length);
            int done = 0;
            foreach (ValueMatch match in _regex.EnumerateMatches(segment))
            {
                if (match.Length == 0)
                {
                    continue;
                }

                if (match.Index > done)
                {
                    output.Add(match.Index - done);
                }

                output.Add(match.Length);
                done = match.Index + match.Length;
            }

            if (done < length)
            {
                output.Add(length - done);
            }

            start += length;
        }
    }

    private static readonly string[] CategoryNames = ["\\p{N}", "\\p{L}", "\\p{P}", "\\p{M}", "\\p{S}", "\\p{Lu}", "\\p{Ll}", "\\p{Lt}", "\\p{Lm}", "\\p{Lo}"];

    private static bool UsesCategories(string pattern) => CategoryNames.Any(c => pattern.Contains(c, StringComparison.Ordinal));

    /// <summary>The members of a category inside a character class, in the collapsed text.</summary>
    private static string? CategoryClassBody(string name) => name switch
    {
        "N" => "\\u00D10-9",
        "L" or "Lu" or "Ll" or "Lt" or "Lm" or "Lo" => "\\u00D2A-Za-z",
        "P" => "\\u00D3!-#%-*,-/:-;?-@\\[-\\]_\\{\\}",
        "M" => "\\u00D4",
        "S" => "\\u00D5\\$\\+<->\\^`\\|",
        _ => null,
    };

    /// <summary>
    /// Rewrites a pattern written for llama.cpp (ECMAScript flavour) into .NET syntax: categories become collapsed
    /// classes (when <paramref name="collapse"/>), and '$' outside classes becomes \z (end of input only).
    /// </summary>
    internal static string ToDotNet(string pattern, bool collapse)
    {
        var sb = new StringBuilder(pattern.Length * 2);
        bool inClass = false;
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                if (collapse && pattern[i + 1] == 'p' && i + 2 < pattern.Length && pattern[i + 2] == '{')
                {
                    int close = pattern.IndexOf('}', i + 3);
                    string? body = close > 0 ? CategoryClassBody(pattern[(i + 3)..close]) : null;
                    if (body is null)
                    {
                        throw new NotSupportedException($"Unsupported category in pre-tokenizer regex: {pattern}");
                    }

                    sb.Append(inClass ? body : "[" + body + "]");
                    i = close;
                    continue;
                }

                sb.Append(c).Append(pattern[i + 1]);
                i++;
                continue;
            }

            // escapes were consumed in pairs above, so these are the unescaped ones
            if (c == '[' && !inClass)
            {
                inClass = true;
            }
            else if (c == ']' && inClass)
            {
                inClass = false;
            }
            else if (c == '$' && !inClass)
            {
                sb.Append("\\z");
                continue;
            }

            if (c > 0x7E || char.IsControl(c))
            {
                sb.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                continue;
            }

            sb.Append(c);
        }

        return sb.ToString();
    }
}
