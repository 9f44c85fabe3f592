namespace Switchyard.Privacy.Detectors;

/// <summary>
/// Payment card numbers (PANs): 13–19 digits, written either unbroken or in the usual groups (4-4-4-4[-1..3],
/// 4-6-5, 4-6-4) with one kind of separator (space or hyphen), that pass the Luhn check and start with an issuer
/// range (IIN) of a known network with a length that network issues: Visa, Mastercard (51–55, 2221–2720), American
/// Express, Discover, JCB, Diners Club, UnionPay, Maestro and Mir. Everything validated: confidence 1.
/// A run of digit groups must be one card number (optionally followed by a short group such as an expiry month or
/// CVV), so a Luhn-valid stretch inside a longer account or reference number is not reported.
/// </summary>
public sealed class PaymentCardDetector : IPrivacyDetector
{
    /// <summary>Confidence of a Luhn-valid number in a known issuer range.</summary>
    public const double Confidence = 1.0;

    private const int MaxGroups = 24;

    /// <inheritdoc />
    public IReadOnlyList<string> DataClasses { get; } = [Privacy.DataClasses.PaymentCard];

    /// <inheritdoc />
    public void Detect(string text, List<PrivacyFinding> findings)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(findings);
        Span<int> starts = stackalloc int[MaxGroups];
        Span<int> lengths = stackalloc int[MaxGroups];
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

            // A run of 12 digits or fewer with no separator after it cannot hold a card number: the common case.
            char sep = end < text.Length ? text[end] : '\0';
            if (end - d < 12 && (sep is not (' ' or '-') || !DetectorText.IsDigitAt(text, end + 1)))
            {
                from = end;
                continue;
            }

            // Collect the groups of the run: digits joined by one separator character, the same throughout.
            int count = 0;
            int g = d;
            while (true)
            {
                int ge = DetectorText.DigitRunEnd(text, g);
                if (count < MaxGroups)
                {
                    starts[count] = g;
                    lengths[count] = ge - g;
                }

                count++;
                if (ge + 1 < text.Length && text[ge] == sep && sep is ' ' or '-' && char.IsAsciiDigit(text[ge + 1]))
                {
                    g = ge + 1;
                    continue;
                }

                end = ge;
                break;
            }

            // The run must start cleanly ("DE89 3704 …" is an IBAN's tail) and hold no more than one card number:
            // tried are the whole run, and the run without a short last group ("… 1111 12/27", "… 1111 123").
            // A 13-19 digit first group is self-delimiting.
            if (count <= MaxGroups && DetectorText.IsNumberStartBoundary(text, d))
            {
                int last = -1;
                if (lengths[0] >= 13)
                {
                    last = (count > 1 || EndsCleanly(text, end)) && IsCard(text, starts, lengths, 0, 0) ? 0 : -1;
                }
                else if (EndsCleanly(text, end) && IsCardShape(lengths[..count]) && IsCard(text, starts, lengths, 0, count - 1))
                {
                    last = count - 1;
                }
                else if (count >= 2 && lengths[count - 1] <= 3 && (EndsCleanly(text, end) || text[end] == '/')
                    && IsCardShape(lengths[..(count - 1)]) && IsCard(text, starts, lengths, 0, count - 2))
                {
                    last = count - 2;
                }

                if (last >= 0)
                {
                    findings.Add(new PrivacyFinding(Privacy.DataClasses.PaymentCard, d, starts[last] + lengths[last] - d, Confidence));
                }
            }

            from = end;
        }
    }

    /// <summary>One group of 13-19 digits, 4-6-5 (American Express), 4-6-4 (Diners Club), or fours with a short last group.</summary>
    private static bool IsCardShape(ReadOnlySpan<int> groups)
    {
        if (groups.Length == 1)
        {
            return groups[0] is >= 13 and <= 19;
        }

        if (groups is [4, 6, 5] or [4, 6, 4])
        {
            return true;
        }

        int digits = 0;
        for (int g = 0; g < groups.Length; g++)
        {
            if (groups[g] != 4 && (g != groups.Length - 1 || groups[g] < 1 || groups[g] > 4))
            {
                return false;
            }

            digits += groups[g];
        }

        return digits is >= 13 and <= 19;
    }

    private static bool EndsCleanly(string text, int end) => DetectorText.IsNumberEndBoundary(text, end);

    private static bool IsCard(string text, ReadOnlySpan<int> starts, ReadOnlySpan<int> lengths, int first, int last)
    {
        Span<byte> pan = stackalloc byte[19];
        int n = 0;
        for (int g = first; g <= last; g++)
        {
            for (int k = 0; k < lengths[g]; k++)
            {
                if (n == pan.Length)
                {
                    return false;
                }

                pan[n++] = (byte)(text[starts[g] + k] - '0');
            }
        }

        if (n < 13)
        {
            return false;
        }

        ReadOnlySpan<byte> number = pan[..n];
        return IsKnownIssuer(number) && Luhn(number);
    }

    /// <summary>The Luhn (mod 10) check.</summary>
    internal static bool Luhn(ReadOnlySpan<byte> digits)
    {
        int sum = 0;
        bool twice = false;
        for (int i = digits.Length - 1; i >= 0; i--)
        {
            int v = digits[i];
            if (twice)
            {
                v *= 2;
                if (v > 9)
                {
                    v -= 9;
                }
            }

            sum += v;
            twice = !twice;
        }

        return sum % 10 == 0;
    }

    private static int Prefix(ReadOnlySpan<byte> digits, int length)
    {
        int v = 0;
        for (int i = 0; i < length; i++)
        {
            v = (v * 10) + digits[i];
        }

        return v;
    }

    /// <summary>Whether the number starts with an issuer range that issues numbers of its length.</summary>
    internal static bool IsKnownIssuer(ReadOnlySpan<byte> digits)
    {
        int n = digits.Length;
        int p1 = digits[0];
        int p2 = Prefix(digits, 2);
        int p3 = Prefix(digits, 3);
        int p4 = Prefix(digits, 4);
        return p1 switch
        {
            // Visa (and Visa Electron).
            4 => n is 13 or 16 or 19,

            // Mastercard 51-55 and 2221-2720; Mir 2200-2204.
            5 when p2 is >= 51 and <= 55 => n == 16,
            2 when p4 is >= 2221 and <= 2720 => n == 16,
            2 when p4 is >= 2200 and <= 2204 => n is >= 16 and <= 19,

            // American Express 34, 37; Diners Club 300-305, 3095, 36, 38-39; JCB 3528-3589.
            3 when p2 is 34 or 37 => n == 15,
            3 when p3 is >= 300 and <= 305 || p4 == 3095 || p2 is 36 or 38 or 39 => n is >= 14 and <= 19,
            3 when p4 is >= 3528 and <= 3589 => n is >= 16 and <= 19,

            // Discover 6011, 644-649, 65; UnionPay 62 (incl. Discover's 622126-622925), 81.
            6 when p4 == 6011 || p3 is >= 644 and <= 649 || p2 == 65 => n is >= 16 and <= 19,
            6 when p2 == 62 => n is >= 16 and <= 19,
            8 when p2 == 81 && p4 <= 8171 => n is >= 16 and <= 19,

            // Maestro (incl. the former UK Switch range 6759).
            5 when p4 is 5018 or 5020 or 5038 or 5893 => n is >= 12 and <= 19,
            6 when p4 is 6304 or 6759 or 6761 or 6762 or 6763 => n is >= 12 and <= 19,
            _ => false,
        };
    }
}
