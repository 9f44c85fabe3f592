using System.Buffers;

namespace Switchyard.Privacy.Detectors;

/// <summary>
/// Telephone numbers. A hand-written scanner reads a phone-shaped run — an optional '+', groups of digits or a
/// parenthesised area code, separated by single spaces, hyphens, dots or one slash — and then judges it:
/// <list type="bullet">
/// <item><b>International</b> (<c>+</c>, or <c>00</c> with grouping): an assigned country calling code and 8–15
/// digits (exactly 11 for +1 and +7); a <c>(0)</c> trunk marker is allowed. Confidence
/// <see cref="InternationalConfidence"/> (a little less for <c>00</c>).</item>
/// <item><b>National</b>: 9–12 digits (13 with a parenthesised area code after a trunk 0) in at least two groups,
/// without mixing dots with other separators, without one-digit groups after the first (OIDs, ISBN-10 check
/// digits), and not shaped like something else: dates (<c>2024-01-15 10</c>), US SSNs (3-2-4), ZIP+4 codes (5-4),
/// dotted quads, thousands-grouped amounts (<c>1 234 567 890</c>). Confidence <see cref="NationalConfidence"/>;
/// 3-3-3 groupings that could also be amounts get <see cref="AmbiguousConfidence"/>.</item>
/// <item><b>Bare digits</b> (9–12 digits, no separators, no '+') only right after a phone keyword that starts a word,
/// in one of several languages ("tel", "mobile", "Handy", "portable", "móvil"…), with no other number in between.
/// Confidence <see cref="AmbiguousConfidence"/>.</item>
/// </list>
/// A run must not continue an identifier ("INV-2024-…", "#123…"). If it fails as a whole, only a prefix ending where
/// another number plausibly starts (a space where the separator style changes, or after a '+' number of at most 13
/// digits) is tried, so the tail of a long number or a card is never reported on its own.
/// </summary>
public sealed class PhoneDetector : IPrivacyDetector
{
    /// <summary>Confidence of a number with a valid country calling code.</summary>
    public const double InternationalConfidence = 0.9;

    /// <summary>Confidence of a grouped national number.</summary>
    public const double NationalConfidence = 0.7;

    /// <summary>Confidence of a number that could also be something else (an amount, a bare run after a keyword).</summary>
    public const double AmbiguousConfidence = 0.6;

    private const int MaxGroups = 12;
    private const int SepSpace = 1;
    private const int SepDash = 2;
    private const int SepDot = 4;
    private const int SepSlash = 8;
    private const int KeywordWindow = 24;

    private static readonly SearchValues<string> Keywords = SearchValues.Create(
        [
            "phone", "tel", "call", "mobil", "mobiel", "cell", "fax", "whatsapp", "sms", "contact", "handy",
            "rufnummer", "tél", "portable", "móvil", "movil", "numer tel", "ring me", "bel me",
        ],
        StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public IReadOnlyList<string> DataClasses { get; } = [Privacy.DataClasses.Phone];

    /// <inheritdoc />
    public void Detect(string text, List<PrivacyFinding> findings)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(findings);
        int from = 0;
        while (from < text.Length)
        {
            int d = text.AsSpan(from).IndexOfAnyInRange('0', '9');
            if (d < 0)
            {
                return;
            }

            d += from;
            int start = d;
            int runEnd = DetectorText.DigitRunEnd(text, d);
            if (start > 0 && text[start - 1] == '(' && runEnd < text.Length && text[runEnd] == ')')
            {
                start--; // "(020) …" is an area code; "(020 7946 0958)" is a number in parentheses
            }

            if (start > 0 && text[start - 1] == '+')
            {
                start--;
            }

            int end = Match(text, start, findings);
            from = Math.Max(end, runEnd);
        }
    }

    /// <summary>Reads the phone-shaped run at <paramref name="start"/>, reports it if valid, and returns its end.</summary>
    private static int Match(string text, int start, List<PrivacyFinding> findings)
    {
        bool boundaryOk = IsStartBoundary(text, start);
        Span<char> digits = stackalloc char[16];
        Span<int> groups = stackalloc int[MaxGroups];
        Span<char> seps = stackalloc char[MaxGroups];
        Span<int> groupEnds = stackalloc int[MaxGroups];
        Span<int> digitsBefore = stackalloc int[MaxGroups + 1]; // digits in the first k groups
        int digitCount = 0;
        int groupCount = 0;
        bool plus = false;
        bool parens = false;
        bool trunkZero = false;
        int end = start;

        int i = start;
        if (text[i] == '+')
        {
            plus = true;
            i++;
        }

        char pendingSep = '\0';
        while (i < text.Length)
        {
            bool afterParen = false;
            int groupLength;
            if (text[i] == '(')
            {
                int close = DetectorText.DigitRunEnd(text, i + 1);
                groupLength = close - (i + 1);
                if (groupLength == 0 || groupLength > 5 || close >= text.Length || text[close] != ')')
                {
                    break;
                }

                if (groupLength == 1 && text[i + 1] == '0' && (plus || groupCount > 0))
                {
                    // "+44 (0)20 …": the national trunk prefix, not part of the number.
                    trunkZero = true;
                    groupLength = 0;
                }
                else
                {
                    Append(text.AsSpan(i + 1, groupLength), digits, ref digitCount);
                    parens = true;
                }

                i = close + 1;
                afterParen = true;
            }
            else if (char.IsAsciiDigit(text[i]))
            {
                int e = DetectorText.DigitRunEnd(text, i);
                groupLength = e - i;
                Append(text.AsSpan(i, groupLength), digits, ref digitCount);
                i = e;
            }
            else
            {
                break;
            }

            if (groupLength > 0)
            {
                if (groupCount < MaxGroups)
                {
                    groups[groupCount] = groupLength;
                    seps[groupCount] = pendingSep;
                    groupEnds[groupCount] = i;
                    digitsBefore[groupCount + 1] = digitCount;
                }

                groupCount++;
            }

            pendingSep = '\0';
            end = i;
            if (i >= text.Length)
            {
                break;
            }

            char c = text[i];
            if (c is ' ' or '-' or '.' or '/' && i + 1 < text.Length && (char.IsAsciiDigit(text[i + 1]) || text[i + 1] == '('))
            {
                pendingSep = c;
                i++;
                continue;
            }

            if (afterParen && char.IsAsciiDigit(c))
            {
                continue;
            }

            break;
        }

        int runEnd = Math.Max(end, i);
        if (!boundaryOk || groupCount == 0 || groupCount > MaxGroups)
        {
            return runEnd;
        }

        // The whole run, or else the longest part of it that ends at a space where another number may start: one
        // written right after the phone number ("555-123-4567 4803 …", "078-375 06 15 906-11-5037"): where the
        // style of separators changes, or, after a '+', anywhere if at most 13 digits remain (E.164 numbers are
        // rarely longer). A run of space-separated groups alone ("1234 5678 9012 3456") is never cut.
        for (int k = groupCount; k >= 2; k--)
        {
            int kEnd = k == groupCount ? end : groupEnds[k - 1];
            int kDigits = digitsBefore[k];
            if (k < groupCount)
            {
                bool styleChange = seps[k] == ' '
                    && (seps[k - 1] is not (' ' or '\0') || (k + 1 < groupCount && seps[k + 1] is not (' ' or '\0')));
                bool internationalCut = plus && seps[k] == ' ' && kDigits <= 13;
                if (!styleChange && !internationalCut)
                {
                    continue;
                }
            }

            if (kDigits > 15 || !IsEndBoundary(text, kEnd))
            {
                continue;
            }

            double confidence = Evaluate(text, start, digits[..kDigits], groups[..k], seps[..k], plus, parens || trunkZero);
            if (confidence > 0)
            {
                findings.Add(new PrivacyFinding(Privacy.DataClasses.Phone, start, kEnd - start, confidence));
                return runEnd;
            }
        }

        if (groupCount == 1 && digitCount <= 15 && IsEndBoundary(text, end))
        {
            double confidence = Evaluate(text, start, digits[..digitCount], groups[..1], seps[..1], plus, parens || trunkZero);
            if (confidence > 0)
            {
                findings.Add(new PrivacyFinding(Privacy.DataClasses.Phone, start, end - start, confidence));
            }
        }

        return runEnd;
    }

    private static double Evaluate(
        string text, int start, ReadOnlySpan<char> number, ReadOnlySpan<int> groups, ReadOnlySpan<char> seps, bool plus, bool parens)
    {
        if (plus)
        {
            return IsInternational(number) ? InternationalConfidence : 0;
        }

        if (number.StartsWith("00") && number.Length > 2 && number[2] != '0' && (groups.Length > 1 || parens))
        {
            return IsInternational(number[2..]) ? InternationalConfidence - 0.1 : 0;
        }

        int separators = 0;
        int slashes = 0;
        foreach (char sep in seps)
        {
            separators |= sep switch
            {
                ' ' => SepSpace,
                '-' => SepDash,
                '.' => SepDot,
                '/' => SepSlash,
                _ => 0,
            };
            slashes += sep == '/' ? 1 : 0;
        }

        return National(text, start, number, groups, seps, parens, separators, slashes);
    }

    /// <summary>
    /// A number starts cleanly: not glued to a word or to another number, and not the tail of an identifier such as
    /// "INV-2026-…" or "#123…".
    /// </summary>
    private static bool IsStartBoundary(string text, int start)
    {
        if (start == 0)
        {
            return true;
        }

        char c = text[start - 1];
        if (DetectorText.IsWordChar(c) || c is '#' or '+' or '_')
        {
            return false;
        }

        if (c is '-' or '/' or '.' or ',' or ':' && start >= 2 && DetectorText.IsWordChar(text[start - 2]))
        {
            return c is '.' or ':' && !char.IsAsciiDigit(text[start - 2]); // "Tel.030 …", "Tel:+49 …"
        }

        return true;
    }

    private static void Append(ReadOnlySpan<char> group, Span<char> digits, ref int count)
    {
        foreach (char c in group)
        {
            if (count < digits.Length)
            {
                digits[count] = c;
            }

            count++;
        }
    }

    /// <summary>The number ends here: not before '(' or '+', and not before a hyphen glued to more of an identifier (a UUID's "-e438").</summary>
    private static bool IsEndBoundary(string text, int end) =>
        DetectorText.IsNumberEndBoundary(text, end) && (end >= text.Length || text[end] is not ('(' or '+'))
        && !(end + 1 < text.Length && text[end] is '-' or '_' && char.IsAsciiLetterOrDigit(text[end + 1]));

    /// <summary>Digits after the '+' (or "00"): an assigned country code and a plausible length.</summary>
    private static bool IsInternational(ReadOnlySpan<char> number)
    {
        if (number.Length < 8 || number.Length > 15 || number[0] == '0')
        {
            return false;
        }

        int a = number[0] - '0';
        int b = number[1] - '0';
        if (a is 1 or 7)
        {
            // NANP and Russia/Kazakhstan numbers are always 1 + 10 digits.
            return number.Length == 11;
        }

        int two = (a * 10) + b;
        return two switch
        {
            20 or 27 or 30 or 31 or 32 or 33 or 34 or 36 or 39 or 40 or 41 or 43 or 44 or 45 or 46 or 47 or 48 or 49
                or 51 or 52 or 53 or 54 or 55 or 56 or 57 or 58 or 60 or 61 or 62 or 63 or 64 or 65 or 66
                or 81 or 82 or 84 or 86 or 90 or 91 or 92 or 93 or 94 or 95 or 98 => true,

            // Zones of three-digit codes.
            21 or 22 or 23 or 24 or 25 or 26 or 29 or 35 or 37 or 38 or 42 or 50 or 59 or 67 or 68 or 69
                or 85 or 87 or 88 or 96 or 97 or 99 => number.Length >= 9,
            _ => false,
        };
    }

    private static double National(
        string text, int start, ReadOnlySpan<char> number, ReadOnlySpan<int> groups, ReadOnlySpan<char> seps, bool parens, int separators, int slashes)
    {
        // 9-12 digits; 13 with a trunk '0' before a parenthesised area code, as German numbers can have.
        if (number.Length < 9 || number.Length > (parens && number[0] == '0' ? 13 : 12))
        {
            return 0;
        }

        if (groups.Length == 1 && !parens)
        {
            // A bare run of digits is a phone number only where the text says so.
            return DetectorText.HasKeywordRightBefore(text, start, KeywordWindow, Keywords) ? AmbiguousConfidence : 0;
        }

        if (((separators & SepDot) != 0 && separators != SepDot) || slashes > 1)
        {
            return 0;
        }

        // One-digit groups occur only as a leading trunk or country digit ("1-800-…", "8 (912) …"), never with dots
        // (OIDs, versions) and never later (ISBN-10 check digits).
        for (int g = separators == SepDot ? 0 : 1; g < groups.Length; g++)
        {
            if (groups[g] == 1)
            {
                return 0;
            }
        }

        char firstSep = seps.Length > 1 ? seps[1] : '\0';
        if (!parens && groups.Length >= 3 && firstSep != ' '
            && ((groups[0] == 4 && groups[1] <= 2 && groups[2] <= 2) || (groups[0] <= 2 && groups[1] <= 2 && groups[2] == 4)))
        {
            return 0; // a date, maybe followed by a time or a count
        }

        int n = groups.Length;
        if (n >= 3 && groups[n - 3] == 3 && groups[n - 2] == 2 && groups[n - 1] == 4 && seps[n - 1] == seps[n - 2] && seps[n - 1] is '-' or ' ')
        {
            return 0; // a US SSN, or one right after another number
        }

        if (!parens && n == 2 && groups[0] == 5 && groups[1] == 4 && firstSep == '-')
        {
            return 0; // ZIP+4
        }

        if (separators == SepDot && n == 4 && groups[0] <= 3 && groups[1] <= 3 && groups[2] <= 3 && groups[3] <= 3)
        {
            return 0; // shaped like an IPv4 address
        }

        if (!parens && separators is SepSpace or SepDot && n >= 3)
        {
            bool thousands = true;
            for (int g = 1; g < n && thousands; g++)
            {
                thousands = groups[g] == 3;
            }

            if (thousands)
            {
                // 1 234 567 890 is an amount; 912 345 678 may be a Spanish phone number or an amount.
                return groups[0] == 1 ? 0 : AmbiguousConfidence;
            }
        }

        return NationalConfidence;
    }
}
