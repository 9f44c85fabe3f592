using System.Globalization;
using System.Text;

namespace Switchyard.Routing.Cascade;

/// <summary>
/// Reduces an answer to its final answer, a short key that two answers share when they reach the same result in
/// different words; <see cref="SelfConsistencyVerifier"/> compares answers by it.
/// </summary>
/// <remarks>
/// <para>
/// First the segment that holds the final answer is found: the last <c>\boxed{…}</c>; else the last line starting
/// with <c>####</c>; else the text after an answer marker (<c>answer:</c>, <c>answer is</c>, <c>answer =</c>, any
/// case, as in "Final answer: 42") on one of the last three non-empty lines, or the line after the marker when the
/// marker ends its line; else the last line that has any letter or digit.
/// </para>
/// <para>
/// When that segment contains a number the key is its last number in canonical form: thousands separators
/// (<c>1,200</c>) and trailing zeros (<c>42.50</c>) removed, a leading minus kept, a fraction (<c>3/4</c>) as its
/// decimal value; so <c>$1,200.00</c> and <c>1200</c> agree. Otherwise the key is the segment's text in lower case
/// with punctuation, markdown and the articles a/an/the removed and spaces collapsed, so <c>**Paris**.</c> and
/// <c>paris</c> agree but <c>Paris</c> and <c>The capital is Paris</c> do not. The comparison is deliberately
/// strict: a false disagreement costs an escalation, a false agreement returns a wrong answer.
/// </para>
/// </remarks>
public static class FinalAnswer
{
    private const int MarkerLines = 3;

    /// <summary>The final-answer key of <paramref name="text"/>; empty when it has no letter or digit.</summary>
    /// <param name="text">An answer.</param>
    /// <returns>The last number in canonical form, or the normalised final text.</returns>
    public static string Extract(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return string.Empty;
        }

        if ((Boxed(text) ?? HashMarked(text) ?? AnswerMarked(text)) is { } segment && KeyOf(segment) is { Length: > 0 } marked)
        {
            return marked;
        }

        var lines = text.Split('\n');
        for (var i = lines.Length - 1; i >= 0; i--)
        {
            if (KeyOf(lines[i]) is { Length: > 0 } key)
            {
                return key;
            }
        }

        return string.Empty;
    }

    private static string KeyOf(string segment) => LastNumber(segment) ?? NormalizeText(segment);

    // The content of the last \boxed{...}, braces balanced.
    private static string? Boxed(string text)
    {
        const string Marker = "\\boxed{";
        var start = text.LastIndexOf(Marker, StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        start += Marker.Length;
        var depth = 1;
        for (var i = start; i < text.Length; i++)
        {
            if (text[i] == '{')
            {
                depth++;
            }
            else if (text[i] == '}' && --depth == 0)
            {
                return text[start..i];
            }
        }

        return null;
    }

    // The rest of the last line starting with "####" (GSM8K's convention).
    private static string? HashMarked(string text)
    {
        var lines = text.Split('\n');
        for (var i = lines.Length - 1; i >= 0; i--)
        {
            var line = lines[i].Trim();
            if (line.StartsWith("####", StringComparison.Ordinal))
            {
                return line.TrimStart('#');
            }
        }

        return null;
    }

    // The text after "answer:" / "answer is" / "answer =" near the end (a marker early in a long answer is usually
    // part of the reasoning, not the conclusion).
    private static string? AnswerMarked(string text)
    {
        var lines = text.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        for (var i = lines.Count - 1; i >= Math.Max(0, lines.Count - MarkerLines); i--)
        {
            if (AfterMarker(lines[i]) is not { } rest)
            {
                continue;
            }

            if (NormalizeText(rest).Length == 0 && LastNumber(rest) is null)
            {
                return i + 1 < lines.Count ? lines[i + 1] : null;
            }

            return rest;
        }

        return null;
    }

    private static string? AfterMarker(string line)
    {
        const string Word = "answer";
        var end = line.Length;
        while (end > 0)
        {
            var at = line.LastIndexOf(Word, end - 1, StringComparison.OrdinalIgnoreCase);
            if (at < 0)
            {
                return null;
            }

            end = at;
            if (at > 0 && char.IsLetter(line[at - 1]))
            {
                continue;
            }

            var i = at + Word.Length;
            while (i < line.Length && (line[i] is ' ' or '\t' or '*' or '_'))
            {
                i++;
            }

            if (i < line.Length && line[i] is (':' or '='))
            {
                return line[(i + 1)..];
            }

            if (i + 2 <= line.Length && line.AsSpan(i, 2).Equals("is", StringComparison.OrdinalIgnoreCase)
                && (i + 2 == line.Length || !char.IsLetterOrDigit(line[i + 2])))
            {
                return line[(i + 2)..];
            }
        }

        return null;
    }

    // The last number in canonical form, or null when there is none.
    private static string? LastNumber(string s)
    {
        string? last = null;
        var i = 0;
        while (i < s.Length)
        {
            if (!char.IsAsciiDigit(s[i]))
            {
                i++;
                continue;
            }

            var negative = i > 0 && s[i - 1] == '-' && (i == 1 || !char.IsLetterOrDigit(s[i - 2]));
            var numerator = ReadNumber(s, ref i);
            if (i + 1 < s.Length && s[i] == '/' && char.IsAsciiDigit(s[i + 1]))
            {
                i++;
                var denominator = ReadNumber(s, ref i);
                last = Canonical(negative, numerator, denominator);
            }
            else
            {
                last = Canonical(negative, numerator, null);
            }
        }

        return last;
    }

    // Digits with optional thousands groups (",ddd" not followed by a digit) and an optional decimal part.
    private static string ReadNumber(string s, ref int i)
    {
        var number = new StringBuilder();
        while (true)
        {
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                number.Append(s[i++]);
            }

            if (i < s.Length && s[i] == ',' && IsGroup(s, i + 1))
            {
                i++;
                continue;
            }

            break;
        }

        if (i + 1 < s.Length && s[i] == '.' && char.IsAsciiDigit(s[i + 1]))
        {
            number.Append('.');
            i++;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                number.Append(s[i++]);
            }
        }

        return number.ToString();
    }

    private static bool IsGroup(string s, int start) =>
        start + 3 <= s.Length
        && char.IsAsciiDigit(s[start]) && char.IsAsciiDigit(s[start + 1]) && char.IsAsciiDigit(s[start + 2])
        && (start + 3 == s.Length || !char.IsAsciiDigit(s[start + 3]));

    private static string Canonical(bool negative, string numerator, string? denominator)
    {
        const NumberStyles Style = NumberStyles.AllowDecimalPoint;
        if (!decimal.TryParse(numerator, Style, CultureInfo.InvariantCulture, out var value))
        {
            // Too large for decimal: compare the digits as written.
            var digits = numerator.TrimStart('0');
            return (negative ? "-" : string.Empty) + (digits.Length == 0 ? "0" : digits) + (denominator is null ? string.Empty : "/" + denominator);
        }

        if (denominator is not null)
        {
            if (!decimal.TryParse(denominator, Style, CultureInfo.InvariantCulture, out var divisor) || divisor == 0)
            {
                return (negative ? "-" : string.Empty) + numerator + "/" + denominator;
            }

            value /= divisor;
        }

        if (negative)
        {
            value = -value;
        }

        return value == 0 ? "0" : value.ToString("G29", CultureInfo.InvariantCulture);
    }

    // Lower case, letters and digits only, articles dropped, single spaces (SQuAD's answer normalisation).
    private static string NormalizeText(string segment)
    {
        var cleaned = new StringBuilder(segment.Length);
        foreach (var c in segment)
        {
            cleaned.Append(char.IsLetterOrDigit(c) ? char.ToLowerInvariant(c) : ' ');
        }

        var words = cleaned.ToString()
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Where(w => w is not ("a" or "an" or "the"));
        return string.Join(' ', words);
    }
}
