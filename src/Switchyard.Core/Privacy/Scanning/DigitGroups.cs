using Switchyard.Privacy.Detectors;

namespace Switchyard.Privacy.Scanning;

/// <summary>
/// Joins digit groups that a person split apart — <c>4111.1111.1111.1111</c>, <c>4111 1111\n1111 1111</c>,
/// <c>DE89/3704/0044/…</c> — into one run, so number detectors (cards, IBANs, national ids, phones) see one number;
/// and finds Luhn-valid card numbers glued inside words (<c>ref4111111111111111x</c>).
/// </summary>
internal static class DigitGroups
{
    /// <summary>Longest separator between two groups: one or two characters ("\r\n", " - ", ". ").</summary>
    private const int MaxSeparator = 3;

    /// <summary>Characters of context kept before a joined number, for the detectors' keyword and boundary checks.</summary>
    private const int ContextBefore = 24;

    /// <summary>
    /// For each chain of groups a person split apart — letters-and-digits groups that both hold a digit, or a digit
    /// group next to two capital letters before it or up to four after it (<c>AB 12 34 56 C</c>,
    /// <c>GB82 WEST 1234…</c>), separated by spaces, dots, hyphens, slashes, tabs or line breaks (up to three
    /// characters) — and long enough to be a number the detectors look for (six digits, nine characters), a small view:
    /// a little context before, the chain with its separators removed, two characters after. Null when there is none.
    /// Only the chains are copied, so the cost follows the numbers in the text, not its length.
    /// </summary>
    /// <param name="view">The text.</param>
    /// <param name="scratch">A builder the windows are built in, one after another.</param>
    /// <param name="read">Reads each window; a window is valid only during the call.</param>
    /// <returns>Whether there was any window.</returns>
    public static bool Windows(TextView view, ViewBuilder scratch, Action<TextView> read)
    {
        string text = view.Text;
        if (CountDigits(text) < 6)
        {
            return false; // the shortest number looked for is a UK NINO's six digits
        }

        bool any = false;
        List<(int Start, int End)>? groups = null;
        int i = 0;
        while (i < text.Length)
        {
            if (!char.IsAsciiLetterOrDigit(text[i]))
            {
                i++;
                continue;
            }

            int g = i;
            int ge = GroupEnd(text, i);
            int digits = DetectorText.CountDigits(text.AsSpan(g, ge - g));
            int characters = ge - g;
            bool chained = false;
            groups?.Clear();
            while (true)
            {
                int sepEnd = ge;
                while (sepEnd < text.Length && sepEnd - ge < MaxSeparator && IsSeparator(text[sepEnd]))
                {
                    sepEnd++;
                }

                if (sepEnd == ge || sepEnd >= text.Length || !char.IsAsciiLetterOrDigit(text[sepEnd]))
                {
                    break;
                }

                int next = GroupEnd(text, sepEnd);
                if (!Joins(text.AsSpan(g, ge - g), text.AsSpan(sepEnd, next - sepEnd), chained))
                {
                    break;
                }

                groups ??= [];
                if (groups.Count == 0)
                {
                    groups.Add((g, ge));
                }

                groups.Add((sepEnd, next));
                digits += DetectorText.CountDigits(text.AsSpan(sepEnd, next - sepEnd));
                characters += next - sepEnd;
                chained = true;
                g = sepEnd;
                ge = next;
            }

            // Long enough for a number looked for: nine digits (SSN, phone, card), or six with capitals (NINO, IBAN).
            if (chained && characters >= 9 && (digits >= 9 || (digits >= 6 && HasCapital(text, groups!))))
            {
                // A long chain (a table of numbers) is read in overlapping slices: every value of up to
                // WindowSpan / 2 characters lies wholly inside one of them.
                int first = 0;
                while (first < groups!.Count)
                {
                    int last = first;
                    while (last + 1 < groups.Count && groups[last + 1].End - groups[first].Start <= WindowSpan)
                    {
                        last++;
                    }

                    if (last > first)
                    {
                        ReadWindow(view, groups, first, last, scratch, read);
                        any = true;
                    }

                    if (last == groups.Count - 1)
                    {
                        break;
                    }

                    int next = first + 1;
                    while (next < last && groups[next].Start < groups[first].Start + (WindowSpan / 2))
                    {
                        next++;
                    }

                    first = next;
                }
            }

            i = ge;
        }

        return any;
    }

    private static int GroupEnd(string text, int start)
    {
        int end = start;
        while (end < text.Length && char.IsAsciiLetterOrDigit(text[end]))
        {
            end++;
        }

        return end;
    }

    /// <summary>Whether two neighbouring groups belong to one number; <paramref name="chained"/>: the left one was joined to its own left.</summary>
    private static bool Joins(ReadOnlySpan<char> left, ReadOnlySpan<char> right, bool chained)
    {
        bool leftDigit = left.ContainsAnyInRange('0', '9');
        bool rightDigit = right.ContainsAnyInRange('0', '9');
        return (leftDigit && rightDigit)
            || (leftDigit && IsCapitals(right, 4))
            || (rightDigit && !right.ContainsAnyExceptInRange('0', '9') && IsCapitals(left, chained ? 4 : 2));
    }

    /// <summary>A bank code after digits ("GB82 WEST"), a prefix before them ("AB 12"), not a word ("IBAN DE89").</summary>
    private static bool IsCapitals(ReadOnlySpan<char> group, int max) => group.Length <= max && !group.ContainsAnyExceptInRange('A', 'Z');

    /// <summary>Card numbers (13–19 digits, a known issuer, Luhn-valid) whose digits run straight into letters.</summary>
    public static void FindCardsInWords(TextView view, List<PrivacyFinding> findings, double confidence)
    {
        string text = view.Text;
        int from = 0;
        Span<byte> digits = stackalloc byte[19];
        while (from < text.Length)
        {
            int d = text.AsSpan(from).IndexOfAnyInRange('0', '9');
            if (d < 0)
            {
                return;
            }

            d += from;
            int end = DetectorText.DigitRunEnd(text, d);
            int length = end - d;
            bool glued = (d > 0 && char.IsLetter(text[d - 1])) || (end < text.Length && char.IsLetter(text[end]));
            if (glued && length is >= 13 and <= 19)
            {
                for (int k = 0; k < length; k++)
                {
                    digits[k] = (byte)(text[d + k] - '0');
                }

                ReadOnlySpan<byte> number = digits[..length];
                if (PaymentCardDetector.IsKnownIssuer(number) && PaymentCardDetector.Luhn(number))
                {
                    var (start, stop) = view.ToOriginal(d, end);
                    findings.Add(new PrivacyFinding(DataClasses.PaymentCard, start, stop - start, confidence));
                }
            }

            from = end;
        }
    }

    /// <summary>
    /// US SSNs written 3-2-4 with any separators, mixed or not (<c>123/45/6789</c>, <c>123 45\n6789</c>); the
    /// detector itself reads only hyphens and spaces.
    /// </summary>
    public static void FindSsnGroups(TextView view, List<PrivacyFinding> findings, double confidence)
    {
        string text = view.Text;
        int from = 0;
        while (from < text.Length)
        {
            int d = text.AsSpan(from).IndexOfAnyInRange('0', '9');
            if (d < 0)
            {
                return;
            }

            d += from;
            int end = DetectorText.DigitRunEnd(text, d);
            from = end;
            if (end - d != 3 || !DetectorText.IsNumberStartBoundary(text, d))
            {
                continue;
            }

            int g2 = SkipSeparator(text, end);
            int g2End = g2 > end ? DetectorText.DigitRunEnd(text, g2) : g2;
            int g3 = g2End - g2 == 2 ? SkipSeparator(text, g2End) : g2End;
            int g3End = g3 > g2End ? DetectorText.DigitRunEnd(text, g3) : g3;
            if (g2End - g2 != 2 || g3End - g3 != 4 || g3 == g2End || (g2End < text.Length && text[end] == text[g2End] && text[end] is '-' or ' '))
            {
                continue; // not 3-2-4, or a form the detector reads itself
            }

            if (!DetectorText.IsNumberEndBoundary(text, g3End))
            {
                continue;
            }

            int area = DetectorText.Number(text, d, 3), group = DetectorText.Number(text, g2, 2), serial = DetectorText.Number(text, g3, 4);
            if (UsSsnDetector.IsValid(area, group, serial))
            {
                var (start, stop) = view.ToOriginal(d, g3End);
                findings.Add(new PrivacyFinding(DataClasses.UsSsn, start, stop - start, confidence));
            }
        }
    }

    /// <summary>
    /// IBANs and UK NINOs however their characters were regrouped (<c>GB71 QBX Z9 07 066…</c>, <c>GA120 00 0C</c>):
    /// from each group start, the following groups (one separator between them) are read as one string, and a whole
    /// valid IBAN (country, length, mod-97) or NINO (valid prefix, six digits, suffix A–D) ending at a group end counts.
    /// </summary>
    /// <param name="view">The text.</param>
    /// <param name="findings">Receives the findings.</param>
    /// <param name="ibanConfidence">Confidence of an IBAN, or 0 not to look for them.</param>
    /// <param name="ninoConfidence">Confidence of a NINO, or 0 not to look for them.</param>
    public static void FindRegrouped(TextView view, List<PrivacyFinding> findings, double ibanConfidence, double ninoConfidence)
    {
        string text = view.Text;
        Span<char> compact = stackalloc char[34];
        for (int start = 0; start < text.Length; start++)
        {
            if (!char.IsAsciiLetterUpper(text[start]) || (start > 0 && char.IsAsciiLetterOrDigit(text[start - 1]))
                || start + 1 >= text.Length)
            {
                continue;
            }

            int n = 0;
            int p = start;
            int groups = 0;
            while (p < text.Length && n < compact.Length)
            {
                int end = GroupEnd(text, p);
                if (end == p)
                {
                    break;
                }

                int take = Math.Min(end - p, compact.Length - n);
                text.AsSpan(p, take).CopyTo(compact[n..]);
                n += take;
                groups++;
                if (groups > 1 && IsMatch(compact[..n], out string? dataClass) && (end >= text.Length || !char.IsAsciiLetterOrDigit(text[end])))
                {
                    double confidence = dataClass == DataClasses.Iban ? ibanConfidence : ninoConfidence;
                    if (confidence > 0)
                    {
                        var (from, to) = view.ToOriginal(start, end);
                        findings.Add(new PrivacyFinding(dataClass!, from, to - from, confidence));
                    }

                    break;
                }

                // One separator, then the next group.
                if (end + 1 < text.Length && IsSeparator(text[end]) && char.IsAsciiLetterOrDigit(text[end + 1]))
                {
                    p = end + 1;
                    continue;
                }

                break;
            }
        }
    }

    private static bool IsMatch(ReadOnlySpan<char> compact, out string? dataClass)
    {
        dataClass = null;
        if (compact.Length == 9 && UkNinoDetector.IsValidPrefix(compact[0], compact[1]) && char.IsAsciiLetterUpper(compact[0])
            && char.IsAsciiLetterUpper(compact[1]) && !compact[2..8].ContainsAnyExceptInRange('0', '9') && compact[8] is >= 'A' and <= 'D')
        {
            dataClass = DataClasses.UkNino;
            return true;
        }

        if (compact.Length >= 15 && IbanDetector.IsValidCompact(compact))
        {
            dataClass = DataClasses.Iban;
            return true;
        }

        return false;
    }

    private static int SkipSeparator(string text, int p)
    {
        int q = p;
        while (q < text.Length && q - p < MaxSeparator && IsSeparator(text[q]))
        {
            q++;
        }

        return q;
    }

    private static bool IsSeparator(char c) => c is ' ' or '.' or '-' or '/' or '\t' or '\n' or '\r';

    /// <summary>Widest slice of a chain read at once (separators included).</summary>
    private const int WindowSpan = 64;

    /// <summary>Reads the view of groups [<paramref name="first"/>, <paramref name="last"/>] joined, with context, and, when a line break is inside, as written without the breaks.</summary>
    private static void ReadWindow(TextView view, List<(int Start, int End)> groups, int first, int last, ViewBuilder builder, Action<TextView> read)
    {
        string text = view.Text;
        int start = groups[first].Start;
        int end = groups[last].End;
        int from = start;
        while (from > 0 && start - from < ContextBefore && text[from - 1] is not ('\n' or '\r'))
        {
            from--;
        }

        int to = end;
        while (to < text.Length && to - end < 2 && text[to] is not ('\n' or '\r'))
        {
            to++;
        }

        builder.Reset(view);
        builder.Copy(from, start);
        for (int g = first; g <= last; g++)
        {
            builder.Copy(groups[g].Start, groups[g].End);
        }

        builder.Copy(end, to);
        read(builder.BuildBorrowed());

        // Broken over lines inside a group ("536-2\n2-1234"): also the slice as written, without the breaks — when a
        // break sits between two short pieces (a cut group) and other separators remain to be kept.
        if (HasCutGroup(text, groups, first, last))
        {
            builder.Reset(view);
            builder.Copy(from, start);
            for (int k = start; k < end; k++)
            {
                if (text[k] is not ('\n' or '\r'))
                {
                    builder.Copy(k, k + 1);
                }
            }

            builder.Copy(end, to);
            read(builder.BuildBorrowed());
        }
    }

    /// <summary>Whether a line break separates two pieces of at most four characters and the slice has other separators too.</summary>
    private static bool HasCutGroup(string text, List<(int Start, int End)> groups, int first, int last)
    {
        bool cut = false, other = false;
        for (int g = first; g < last; g++)
        {
            ReadOnlySpan<char> separator = text.AsSpan(groups[g].End, groups[g + 1].Start - groups[g].End);
            if (separator.IndexOfAny('\n', '\r') >= 0)
            {
                cut |= groups[g].End - groups[g].Start <= 4 && groups[g + 1].End - groups[g + 1].Start <= 4;
                other |= separator.ContainsAnyExcept('\n', '\r');
            }
            else
            {
                other = true;
            }
        }

        return cut && other;
    }

    private static bool HasCapital(string text, List<(int Start, int End)> groups)
    {
        foreach (var (start, end) in groups)
        {
            if (text.AsSpan(start, end - start).ContainsAnyInRange('A', 'Z'))
            {
                return true;
            }
        }

        return false;
    }

    private static int CountDigits(string text)
    {
        int count = 0;
        int from = 0;
        while (true)
        {
            int d = text.AsSpan(from).IndexOfAnyInRange('0', '9');
            if (d < 0)
            {
                return count;
            }

            from += d + 1;
            if (++count >= 6)
            {
                return count;
            }
        }
    }
}
