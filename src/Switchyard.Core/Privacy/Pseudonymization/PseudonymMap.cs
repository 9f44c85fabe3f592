using System.Globalization;
using System.Text;

namespace Switchyard.Privacy.Pseudonymization;

/// <summary>
/// One request's mapping between detected values and their placeholders, in both directions. It is created for a
/// request and dropped with it; nothing is shared between requests.
/// </summary>
/// <remarks>
/// <para>
/// A placeholder is <c>[[TAG_n]]</c>: <c>TAG</c> is the data class in upper case (characters outside A–Z and 0–9
/// become <c>_</c>), <c>n</c> counts from 1 per tag, e.g. <c>[[EMAIL_1]]</c>, <c>[[EMAIL_2]]</c>, <c>[[PHONE_1]]</c>.
/// The same value always gets the same placeholder within the map, whatever class it was found as second.
/// </para>
/// <para>
/// Because <c>[</c> occurs only as the first two characters of a placeholder and <c>]</c> only as the last two, no
/// placeholder is a prefix of another and a placeholder in pseudonymised text is either one that was inserted or
/// one the caller wrote literally. The second case is prevented by <see cref="Reserve"/>: a placeholder that occurs
/// in the original text is never handed out.
/// </para>
/// <para>Not thread-safe; one request uses it from one flow at a time.</para>
/// </remarks>
internal sealed class PseudonymMap
{
    private const string Open = "[[";
    private const string Close = "]]";

    private readonly PrivacyScanner _scanner;
    private readonly Dictionary<string, string> _byValue = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _byPlaceholder = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _lastNumberByTag = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _occurrences = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _distinct = new(StringComparer.Ordinal);
    private readonly List<string> _reserved = [];
    private readonly List<string> _bracketedInputs = [];

    public PseudonymMap(PrivacyScanner scanner)
    {
        ArgumentNullException.ThrowIfNull(scanner);
        _scanner = scanner;
    }

    /// <summary>True when no value has been replaced (so nothing needs restoring).</summary>
    public bool IsEmpty => _byValue.Count == 0;

    /// <summary>The longest placeholder handed out (0 when none).</summary>
    public int MaxPlaceholderLength { get; private set; }

    /// <summary>
    /// True when an input passed to <see cref="Pseudonymize"/> contains, literally, a placeholder this map handed
    /// out. Restoring would then turn the caller's own text into a value, so the request must be redone with those
    /// inputs reserved (see <see cref="Reserve"/>).
    /// </summary>
    public bool HasCollision
    {
        get
        {
            foreach (string input in _bracketedInputs)
            {
                foreach (string placeholder in _byPlaceholder.Keys)
                {
                    if (input.Contains(placeholder, StringComparison.Ordinal))
                    {
                        return true;
                    }
                }
            }

            return false;
        }
    }

    /// <summary>The inputs seen so far that contain <c>[[</c> (candidates for a collision).</summary>
    public IReadOnlyList<string> BracketedInputs => _bracketedInputs;

    /// <summary>Never hands out a placeholder that occurs in any of <paramref name="texts"/>.</summary>
    public void Reserve(IEnumerable<string> texts) => _reserved.AddRange(texts);

    /// <summary>Replaces every value the scanner finds in <paramref name="text"/>; returns the same instance when it finds none.</summary>
    public string Pseudonymize(string text)
    {
        if (text.Length == 0)
        {
            return text;
        }

        if (text.Contains(Open, StringComparison.Ordinal))
        {
            _bracketedInputs.Add(text);
        }

        IReadOnlyList<PrivacyFinding> findings = _scanner.Scan(text);
        if (findings.Count == 0)
        {
            return text;
        }

        var result = new StringBuilder(text.Length + (findings.Count * 8));
        int position = 0;
        foreach (PrivacyFinding finding in findings)
        {
            if (finding.Start < position || finding.Length <= 0 || finding.End > text.Length)
            {
                continue; // The scanner promises ordered, non-overlapping, in-range findings; never trust it blindly.
            }

            result.Append(text, position, finding.Start - position);
            result.Append(PlaceholderFor(text.Substring(finding.Start, finding.Length), finding.DataClass));
            position = finding.End;
        }

        result.Append(text, position, text.Length - position);
        return result.ToString();
    }

    /// <summary>Restores every known placeholder in <paramref name="text"/>; returns the same instance when there is none.</summary>
    public string Restore(string text)
    {
        if (IsEmpty || !text.Contains(Open, StringComparison.Ordinal))
        {
            return text;
        }

        var output = new StringBuilder(text.Length);
        Restore(text, final: true, output);
        string restored = output.ToString();
        return restored == text ? text : restored;
    }

    /// <summary>
    /// Appends <paramref name="text"/> to <paramref name="output"/> with every known placeholder restored. Unless
    /// <paramref name="final"/>, a tail that is the beginning of a known placeholder (and could complete it with more
    /// text) is held back: its length is returned and it is not appended.
    /// </summary>
    /// <remarks>
    /// Scans left to right; at each <c>[</c> it restores a complete known placeholder, holds the rest of the text
    /// back if the rest is a proper prefix of a known placeholder, and otherwise copies the character. Holding back
    /// and resuming with more text gives exactly the result of restoring the whole text at once, wherever the text
    /// was split, because a decision at a position only changes when the text after it is still a proper prefix.
    /// </remarks>
    public int Restore(ReadOnlySpan<char> text, bool final, StringBuilder output)
    {
        var lookup = _byPlaceholder.GetAlternateLookup<ReadOnlySpan<char>>();
        int i = 0;
        while (i < text.Length)
        {
            int bracket = text[i..].IndexOf('[');
            if (bracket < 0)
            {
                break;
            }

            output.Append(text.Slice(i, bracket));
            i += bracket;
            ReadOnlySpan<char> rest = text[i..];

            int window = Math.Min(rest.Length, MaxPlaceholderLength);
            int close = rest.StartsWith(Open) ? rest[..window].IndexOf(Close) : -1;
            if (close >= 0 && lookup.TryGetValue(rest[..(close + Close.Length)], out string? value))
            {
                output.Append(value);
                i += close + Close.Length;
                continue;
            }

            if (!final && IsProperPrefixOfPlaceholder(rest))
            {
                return rest.Length;
            }

            output.Append('[');
            i++;
        }

        output.Append(text[i..]);
        return 0;
    }

    /// <summary>What was replaced so far, per data class.</summary>
    public PseudonymizationReport CreateReport() => new(_occurrences, _distinct);

    private bool IsProperPrefixOfPlaceholder(ReadOnlySpan<char> text)
    {
        if (text.Length >= MaxPlaceholderLength)
        {
            return false;
        }

        foreach (string placeholder in _byPlaceholder.Keys)
        {
            if (placeholder.Length > text.Length && placeholder.AsSpan().StartsWith(text, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private string PlaceholderFor(string value, string dataClass)
    {
        _occurrences[dataClass] = _occurrences.GetValueOrDefault(dataClass) + 1;
        if (_byValue.TryGetValue(value, out string? existing))
        {
            return existing;
        }

        string tag = Tag(dataClass);
        int number = _lastNumberByTag.GetValueOrDefault(tag);
        string placeholder;
        do
        {
            number++;
            placeholder = string.Create(CultureInfo.InvariantCulture, $"{Open}{tag}_{number}{Close}");
        }
        while (IsReserved(placeholder));

        _lastNumberByTag[tag] = number;
        _byValue.Add(value, placeholder);
        _byPlaceholder.Add(placeholder, value);
        _distinct[dataClass] = _distinct.GetValueOrDefault(dataClass) + 1;
        MaxPlaceholderLength = Math.Max(MaxPlaceholderLength, placeholder.Length);
        return placeholder;
    }

    private bool IsReserved(string placeholder)
    {
        foreach (string text in _reserved)
        {
            if (text.Contains(placeholder, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static string Tag(string dataClass)
    {
        if (string.IsNullOrEmpty(dataClass))
        {
            return "VALUE";
        }

        return string.Create(dataClass.Length, dataClass, static (span, source) =>
        {
            for (int i = 0; i < source.Length; i++)
            {
                char c = char.ToUpperInvariant(source[i]);
                span[i] = c is (>= 'A' and <= 'Z') or (>= '0' and <= '9') ? c : '_';
            }
        });
    }
}
