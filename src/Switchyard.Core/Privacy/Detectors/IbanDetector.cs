using System.Collections.Frozen;

namespace Switchyard.Privacy.Detectors;

/// <summary>
/// International Bank Account Numbers: a registered country code, two check digits and the country's BBAN, written
/// unbroken or in groups of four separated by single spaces, exactly as long as that country's IBANs (SWIFT
/// registry), with ISO 7064 mod-97 equal to 1. Upper or lower case. Everything validated: confidence 1.
/// </summary>
public sealed class IbanDetector : IPrivacyDetector
{
    /// <summary>Confidence of an IBAN of the right length with a valid checksum.</summary>
    public const double Confidence = 1.0;

    /// <summary>IBAN length per country (SWIFT IBAN registry).</summary>
    private static readonly FrozenDictionary<int, int> Lengths = new Dictionary<int, int>
    {
        [Key("AD")] = 24, [Key("AE")] = 23, [Key("AL")] = 28, [Key("AT")] = 20, [Key("AZ")] = 28, [Key("BA")] = 20,
        [Key("BE")] = 16, [Key("BG")] = 22, [Key("BH")] = 22, [Key("BI")] = 27, [Key("BR")] = 29, [Key("BY")] = 28,
        [Key("CH")] = 21, [Key("CR")] = 22, [Key("CY")] = 28, [Key("CZ")] = 24, [Key("DE")] = 22, [Key("DJ")] = 27,
        [Key("DK")] = 18, [Key("DO")] = 28, [Key("EE")] = 20, [Key("EG")] = 29, [Key("ES")] = 24, [Key("FI")] = 18,
        [Key("FK")] = 18, [Key("FO")] = 18, [Key("FR")] = 27, [Key("GB")] = 22, [Key("GE")] = 22, [Key("GI")] = 23,
        [Key("GL")] = 18, [Key("GR")] = 27, [Key("GT")] = 28, [Key("HN")] = 28, [Key("HR")] = 21, [Key("HU")] = 28,
        [Key("IE")] = 22, [Key("IL")] = 23, [Key("IQ")] = 23, [Key("IS")] = 26, [Key("IT")] = 27, [Key("JO")] = 30,
        [Key("KW")] = 30, [Key("KZ")] = 20, [Key("LB")] = 28, [Key("LC")] = 32, [Key("LI")] = 21, [Key("LT")] = 20,
        [Key("LU")] = 20, [Key("LV")] = 21, [Key("LY")] = 25, [Key("MC")] = 27, [Key("MD")] = 24, [Key("ME")] = 22,
        [Key("MK")] = 19, [Key("MN")] = 20, [Key("MR")] = 27, [Key("MT")] = 31, [Key("MU")] = 30, [Key("NI")] = 28,
        [Key("NL")] = 18, [Key("NO")] = 15, [Key("OM")] = 23, [Key("PK")] = 24, [Key("PL")] = 28, [Key("PS")] = 29,
        [Key("PT")] = 25, [Key("QA")] = 29, [Key("RO")] = 24, [Key("RS")] = 22, [Key("RU")] = 33, [Key("SA")] = 24,
        [Key("SC")] = 31, [Key("SD")] = 18, [Key("SE")] = 24, [Key("SI")] = 19, [Key("SK")] = 24, [Key("SM")] = 27,
        [Key("SO")] = 23, [Key("ST")] = 25, [Key("SV")] = 28, [Key("TL")] = 23, [Key("TN")] = 24, [Key("TR")] = 26,
        [Key("UA")] = 29, [Key("VA")] = 22, [Key("VG")] = 24, [Key("XK")] = 20, [Key("YE")] = 30,
    }.ToFrozenDictionary();

    /// <inheritdoc />
    public IReadOnlyList<string> DataClasses { get; } = [Privacy.DataClasses.Iban];

    /// <inheritdoc />
    public void Detect(string text, List<PrivacyFinding> findings)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(findings);

        // Pre-filter: an IBAN starts with two letters and two digits; look only where a digit follows two ASCII letters.
        int from = 2;
        while (from < text.Length)
        {
            int d = text.AsSpan(from).IndexOfAnyInRange('0', '9');
            if (d < 0)
            {
                return;
            }

            d += from;
            int start = d - 2;
            int end = start >= 0 && char.IsAsciiLetter(text[start]) && char.IsAsciiLetter(text[start + 1])
                && DetectorText.IsDigitAt(text, d + 1) && !DetectorText.IsWordCharAt(text, start - 1)
                ? Match(text, start)
                : -1;
            if (end > 0)
            {
                findings.Add(new PrivacyFinding(Privacy.DataClasses.Iban, start, end - start, Confidence));
                from = end + 2;
            }
            else
            {
                from = DetectorText.DigitRunEnd(text, d) + 2;
            }
        }
    }

    private static int Key(string code) => Key(code[0], code[1]);

    private static int Key(char a, char b) => (char.ToUpperInvariant(a) << 8) | char.ToUpperInvariant(b);

    /// <summary>The end of a valid IBAN starting at <paramref name="start"/>, or -1.</summary>
    private static int Match(string text, int start)
    {
        if (!Lengths.TryGetValue(Key(text[start], text[start + 1]), out int length))
        {
            return -1;
        }

        // Read exactly `length` alphanumerics; spaces are allowed only between groups of four.
        Span<char> iban = stackalloc char[34];
        int n = 0;
        int i = start;
        bool grouped = false;
        bool upper = char.IsAsciiLetterUpper(text[start]);
        while (n < length)
        {
            if (i >= text.Length)
            {
                return -1;
            }

            char c = text[i];
            if (c == ' ' && n % 4 == 0 && n > 0 && (grouped || n == 4) && text[i - 1] != ' ')
            {
                grouped = true;
                i++;
                continue;
            }

            if (!char.IsAsciiLetterOrDigit(c) || (char.IsAsciiLetter(c) && char.IsAsciiLetterUpper(c) != upper))
            {
                return -1;
            }

            // A grouped IBAN has a space after every fourth character: "DE89 3704…", never "DE89 37040044…".
            if (grouped && n % 4 == 0 && text[i - 1] != ' ')
            {
                return -1;
            }

            iban[n++] = char.ToUpperInvariant(c);
            i++;
        }

        if (DetectorText.IsWordCharAt(text, i))
        {
            return -1;
        }

        return Mod97(iban[..n]) == 1 ? i : -1;
    }

    /// <summary>Whether <paramref name="compact"/> (upper-case, no separators) is a whole valid IBAN: known country, its length, check digits.</summary>
    internal static bool IsValidCompact(ReadOnlySpan<char> compact) =>
        compact.Length >= 15 && char.IsAsciiLetterUpper(compact[0]) && char.IsAsciiLetterUpper(compact[1])
        && char.IsAsciiDigit(compact[2]) && char.IsAsciiDigit(compact[3])
        && Lengths.TryGetValue(Key(compact[0], compact[1]), out int length) && length == compact.Length
        && Mod97(compact) == 1;

    /// <summary>The country's IBAN length, or 0 for an unknown country.</summary>
    internal static int LengthFor(char a, char b) => Lengths.TryGetValue(Key(a, b), out int length) ? length : 0;

    /// <summary>ISO 7064 mod 97-10 of the IBAN rearranged (first four characters moved to the end, letters as 10-35).</summary>
    internal static int Mod97(ReadOnlySpan<char> iban)
    {
        int remainder = 0;
        for (int k = 0; k < iban.Length; k++)
        {
            char c = iban[(k + 4) % iban.Length];
            if (char.IsAsciiDigit(c))
            {
                remainder = ((remainder * 10) + (c - '0')) % 97;
            }
            else
            {
                remainder = ((remainder * 100) + (c - 'A' + 10)) % 97;
            }
        }

        return remainder;
    }
}
