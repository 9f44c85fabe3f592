using System.Buffers;

namespace Switchyard.Privacy.Detectors;

/// <summary>
/// UK National Insurance numbers: two prefix letters, six digits (unbroken or as pairs) and a suffix letter A–D, as
/// in <c>AB123456C</c> or <c>AB 12 34 56 C</c>, all in one case. HMRC's rules are applied: the first letter is not D,
/// F, I, Q, U or V; the second not D, F, I, O, Q, U or V; the prefixes BG, GB, KN, NK, NT, TN and ZZ are never
/// issued. There is no check digit: confidence <see cref="Confidence"/>. A number without its suffix, or in lower
/// case with a space after the prefix, counts only right after a keyword ("NI number", "national insurance", "NINO"),
/// with <see cref="NoSuffixConfidence"/>.
/// </summary>
public sealed class UkNinoDetector : IPrivacyDetector
{
    /// <summary>Confidence of a number with valid prefix and suffix.</summary>
    public const double Confidence = 0.9;

    /// <summary>Confidence of a number without a suffix right after a keyword.</summary>
    public const double NoSuffixConfidence = 0.75;

    private const int KeywordWindow = 32;

    private static readonly SearchValues<string> Keywords = SearchValues.Create(
        ["national insurance", "nino", "ni number", "ni no", "ni#", "nin:"],
        StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public IReadOnlyList<string> DataClasses { get; } = [Privacy.DataClasses.UkNino];

    /// <inheritdoc />
    public void Detect(string text, List<PrivacyFinding> findings)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(findings);
        int from = 2;
        while (from < text.Length)
        {
            int d = text.AsSpan(from).IndexOfAnyInRange('0', '9');
            if (d < 0)
            {
                return;
            }

            d += from;
            from = DetectorText.DigitRunEnd(text, d);

            // The prefix letters sit right before the digits, or one space before.
            int p = d - 2;
            if (text[d - 1] == ' ')
            {
                p = d - 3;
            }

            if (p < 0 || !char.IsAsciiLetter(text[p]) || !char.IsAsciiLetter(text[p + 1]) || DetectorText.IsWordCharAt(text, p - 1))
            {
                continue;
            }

            int end = Match(text, p, d, out bool suffix);
            if (end < 0)
            {
                continue;
            }

            // Lower case after a short word ("at 123456 a.m.") is too common to trust without a keyword.
            bool loose = !suffix || (char.IsAsciiLetterLower(text[p]) && p == d - 3);
            double confidence = !loose ? Confidence
                : DetectorText.HasKeywordRightBefore(text, p, KeywordWindow, Keywords) ? NoSuffixConfidence
                : 0;
            if (confidence > 0)
            {
                findings.Add(new PrivacyFinding(Privacy.DataClasses.UkNino, p, end - p, confidence));
                from = end;
            }
        }
    }

    /// <summary>The end of a valid number with prefix at <paramref name="p"/> and digits from <paramref name="d"/>, or -1.</summary>
    private static int Match(string text, int p, int d, out bool suffix)
    {
        suffix = false;
        bool upper = char.IsAsciiLetterUpper(text[p]);
        if (char.IsAsciiLetterUpper(text[p + 1]) != upper || !IsValidPrefix(char.ToUpperInvariant(text[p]), char.ToUpperInvariant(text[p + 1])))
        {
            return -1;
        }

        // Six digits: unbroken, or three pairs separated by single spaces.
        int i = d;
        int run = DetectorText.DigitRunEnd(text, i);
        if (run - i == 6)
        {
            i = run;
        }
        else if (run - i == 2
            && text.Length > i + 7 && text[i + 2] == ' ' && text[i + 5] == ' '
            && DetectorText.DigitRunEnd(text, i + 3) == i + 5 && DetectorText.DigitRunEnd(text, i + 6) == i + 8)
        {
            i += 8;
        }
        else
        {
            return -1;
        }

        // Optional suffix, right after the digits or after one space.
        int s = i < text.Length && text[i] == ' ' ? i + 1 : i;
        if (s < text.Length && (upper ? text[s] is >= 'A' and <= 'D' : text[s] is >= 'a' and <= 'd') && !DetectorText.IsWordCharAt(text, s + 1))
        {
            suffix = true;
            return s + 1;
        }

        return DetectorText.IsWordCharAt(text, i) ? -1 : i;
    }

    internal static bool IsValidPrefix(char a, char b)
    {
        if (a is 'D' or 'F' or 'I' or 'Q' or 'U' or 'V' || b is 'D' or 'F' or 'I' or 'O' or 'Q' or 'U' or 'V')
        {
            return false;
        }

        return (a, b) is not (('B', 'G') or ('G', 'B') or ('K', 'N') or ('N', 'K') or ('N', 'T') or ('T', 'N') or ('Z', 'Z'));
    }
}
