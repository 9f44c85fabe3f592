using System.Buffers;
using System.Globalization;
using System.Text;

namespace Switchyard.Privacy.Scanning;

/// <summary>
/// Folds a text into the form detectors read, keeping the map back to the original characters:
/// <list type="bullet">
/// <item>invisible characters are removed: format characters (zero-width space, joiners, word joiner, byte-order
/// mark, soft hyphen, bidi controls, tags), variation selectors, the combining grapheme joiner, Hangul fillers;</item>
/// <item>each code point is replaced by its NFKC form (full-width <c>＠</c> and digits, mathematical digits, ligatures,
/// circled and superscript digits, non-breaking and other Unicode spaces), from a table generated with Python's
/// <c>unicodedata</c> (<c>tools/gen-nfkc-fold.py</c>), because .NET's normaliser does nothing under invariant
/// globalization; decimal digits of any script become ASCII digits and dash punctuation becomes <c>-</c>;</item>
/// <item>escapes are decoded in place: HTML character references (<c>&amp;#64;</c>, <c>&amp;#x40;</c>,
/// <c>&amp;commat;</c>), URL percent-encoding (<c>%40</c>, multi-byte UTF-8), and <c>\u0040</c> / <c>\x40</c>.</item>
/// </list>
/// Text that needs none of this (plain ASCII without <c>&amp;</c>, <c>%</c> or <c>\</c>) is returned as the identity view,
/// without allocating. Canonical composition across characters (e + combining accent) is not done: no detector needs it.
/// </summary>
internal static class TextNormalizer
{
    private static readonly SearchValues<char> s_plain = SearchValues.Create(PlainAscii());

    private static readonly Lazy<Dictionary<int, string>> s_nfkc = new(LoadNfkc);

    private static readonly Dictionary<string, char> s_namedEntities = new(StringComparer.Ordinal)
    {
        ["amp"] = '&', ["lt"] = '<', ["gt"] = '>', ["quot"] = '"', ["apos"] = '\'', ["nbsp"] = ' ', ["commat"] = '@',
        ["period"] = '.', ["num"] = '#', ["plus"] = '+', ["minus"] = '-', ["hyphen"] = '-', ["dash"] = '-',
        ["lowbar"] = '_', ["colon"] = ':', ["sol"] = '/', ["bsol"] = '\\', ["lpar"] = '(', ["rpar"] = ')',
        ["lsqb"] = '[', ["rsqb"] = ']', ["lbrack"] = '[', ["rbrack"] = ']', ["lcub"] = '{', ["rcub"] = '}',
        ["comma"] = ',', ["excl"] = '!', ["quest"] = '?', ["equals"] = '=', ["dollar"] = '$', ["percnt"] = '%',
        ["ast"] = '*', ["semi"] = ';', ["vert"] = '|', ["tilde"] = '~', ["shy"] = '\u00AD', ["zwsp"] = '\u200B',
        ["ZeroWidthSpace"] = '\u200B', ["zwj"] = '\u200D', ["zwnj"] = '\u200C', ["NoBreak"] = '\u2060',
    };

    /// <summary>The folded view of <paramref name="text"/> (the identity view when nothing changes).</summary>
    public static TextView Normalize(string text)
    {
        var original = TextView.Identity(text);
        int first = text.AsSpan().IndexOfAnyExcept(s_plain);
        if (first < 0)
        {
            return original;
        }

        first = FirstChange(text, first);
        if (first < 0)
        {
            return original; // only characters that fold to themselves: nothing to build
        }

        var builder = new ViewBuilder(original, text.Length);
        builder.Copy(0, first);
        bool changed = false;
        int i = first;
        while (i < text.Length)
        {
            char c = text[i];
            if (c < 0x80 && c is not ('&' or '%' or '\\'))
            {
                builder.Append(c, i, i + 1);
                i++;
                continue;
            }

            int consumed;
            int codePoint;
            if (c == '&' && TryEntity(text, i, out codePoint, out consumed))
            {
                changed = true;
                AppendFolded(builder, codePoint, i, i + consumed);
                i += consumed;
                continue;
            }

            if (c == '%' && TryPercent(text, i, builder, out consumed))
            {
                changed = true;
                i += consumed;
                continue;
            }

            if (c == '\\' && TryBackslash(text, i, out codePoint, out consumed))
            {
                changed = true;
                AppendFolded(builder, codePoint, i, i + consumed);
                i += consumed;
                continue;
            }

            if (c < 0x80)
            {
                builder.Append(c, i, i + 1);
                i++;
                continue;
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                codePoint = char.ConvertToUtf32(c, text[i + 1]);
                consumed = 2;
            }
            else
            {
                codePoint = c;
                consumed = 1;
            }

            changed |= AppendFolded(builder, codePoint, i, i + consumed);
            i += consumed;
        }

        if (changed)
        {
            return builder.Build();
        }

        builder.Return();
        return original;
    }

    /// <summary>The index of the first character folding changes, from <paramref name="from"/> on, or -1.</summary>
    private static int FirstChange(string text, int from)
    {
        int i = from;
        while (i < text.Length)
        {
            char c = text[i];
            if (c < 0x80)
            {
                if ((c == '&' && TryEntity(text, i, out _, out _))
                    || (c == '%' && i + 2 < text.Length && char.IsAsciiHexDigit(text[i + 1]) && char.IsAsciiHexDigit(text[i + 2]))
                    || (c == '\\' && TryBackslash(text, i, out _, out _)))
                {
                    return i;
                }

                int next = text.AsSpan(i + 1).IndexOfAnyExcept(s_plain);
                if (next < 0)
                {
                    return -1;
                }

                i += next + 1;
                continue;
            }

            int codePoint = c;
            int length = 1;
            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                codePoint = char.ConvertToUtf32(c, text[i + 1]);
                length = 2;
            }

            if (IsInvisible(codePoint) || s_nfkc.Value.ContainsKey(codePoint))
            {
                return i;
            }

            UnicodeCategory category = CharUnicodeInfo.GetUnicodeCategory(codePoint);
            if (category is UnicodeCategory.DecimalDigitNumber or UnicodeCategory.DashPunctuation or UnicodeCategory.SpaceSeparator)
            {
                return i;
            }

            i += length;
        }

        return -1;
    }

    /// <summary>Appends the folded form of one code point; false when it is appended unchanged.</summary>
    private static bool AppendFolded(ViewBuilder builder, int codePoint, int from, int to)
    {
        if (codePoint < 0x80)
        {
            builder.Append((char)codePoint, from, to);
            return to - from != 1;
        }

        if (IsInvisible(codePoint))
        {
            return true;
        }

        if (s_nfkc.Value.TryGetValue(codePoint, out string? folded))
        {
            foreach (Rune rune in folded.EnumerateRunes())
            {
                AppendSimple(builder, rune.Value, from, to);
            }

            return true;
        }

        return AppendSimple(builder, codePoint, from, to);
    }

    /// <summary>Appends a code point NFKC leaves alone, folding digits of any script and dashes; false when unchanged.</summary>
    private static bool AppendSimple(ViewBuilder builder, int codePoint, int from, int to)
    {
        if (codePoint < 0x80)
        {
            builder.Append((char)codePoint, from, to);
            return true;
        }

        if (IsInvisible(codePoint))
        {
            return true;
        }

        UnicodeCategory category = CharUnicodeInfo.GetUnicodeCategory(codePoint);
        if (category == UnicodeCategory.DecimalDigitNumber)
        {
            int digit = codePoint <= 0xFFFF
                ? CharUnicodeInfo.GetDecimalDigitValue((char)codePoint)
                : CharUnicodeInfo.GetDecimalDigitValue(char.ConvertFromUtf32(codePoint), 0);
            if (digit is >= 0 and <= 9)
            {
                builder.Append((char)('0' + digit), from, to);
                return true;
            }
        }

        if (category == UnicodeCategory.DashPunctuation)
        {
            builder.Append('-', from, to);
            return true;
        }

        if (category == UnicodeCategory.SpaceSeparator)
        {
            builder.Append(' ', from, to);
            return true;
        }

        if (codePoint <= 0xFFFF)
        {
            builder.Append((char)codePoint, from, to);
        }
        else
        {
            string pair = char.ConvertFromUtf32(codePoint);
            builder.Append(pair[0], from, to);
            builder.Append(pair[1], from, to);
        }

        return to - from != (codePoint <= 0xFFFF ? 1 : 2);
    }

    /// <summary>Characters that render as nothing and so can hide inside a value.</summary>
    internal static bool IsInvisible(int codePoint) =>
        codePoint is 0x034F or (>= 0xFE00 and <= 0xFE0F) or (>= 0x180B and <= 0x180F) or 0x115F or 0x1160 or 0x3164 or 0xFFA0
            or (>= 0xE0100 and <= 0xE01EF)
        || (codePoint > 0x7F && CharUnicodeInfo.GetUnicodeCategory(codePoint) == UnicodeCategory.Format);

    /// <summary><c>&amp;#64;</c>, <c>&amp;#x40;</c> (the semicolon may be missing before a non-alphanumeric) or a named reference.</summary>
    private static bool TryEntity(string text, int at, out int codePoint, out int consumed)
    {
        codePoint = 0;
        consumed = 0;
        int i = at + 1;
        if (i < text.Length && text[i] == '#')
        {
            i++;
            bool hex = i < text.Length && text[i] is 'x' or 'X';
            if (hex)
            {
                i++;
            }

            int digitsStart = i;
            long value = 0;
            while (i < text.Length && i - digitsStart < 8 && (hex ? char.IsAsciiHexDigit(text[i]) : char.IsAsciiDigit(text[i])))
            {
                value = (value * (hex ? 16 : 10)) + HexValue(text[i]);
                i++;
            }

            if (i == digitsStart || value is 0 or > 0x10FFFF || value is >= 0xD800 and <= 0xDFFF)
            {
                return false;
            }

            if (i < text.Length && text[i] == ';')
            {
                i++;
            }
            else if (i < text.Length && char.IsAsciiLetterOrDigit(text[i]))
            {
                return false;
            }

            codePoint = (int)value;
            consumed = i - at;
            return true;
        }

        int nameStart = i;
        while (i < text.Length && i - nameStart <= 16 && char.IsAsciiLetter(text[i]))
        {
            i++;
        }

        if (i == nameStart || i >= text.Length || text[i] != ';' || !s_namedEntities.TryGetValue(text[nameStart..i], out char named))
        {
            return false;
        }

        codePoint = named;
        consumed = i + 1 - at;
        return true;
    }

    /// <summary>A run of <c>%XX</c> bytes that is valid UTF-8, decoded and appended.</summary>
    private static bool TryPercent(string text, int at, ViewBuilder builder, out int consumed)
    {
        consumed = 0;
        Span<byte> bytes = stackalloc byte[64];
        int count = 0;
        int i = at;
        while (count < bytes.Length && i + 2 < text.Length && text[i] == '%' && char.IsAsciiHexDigit(text[i + 1]) && char.IsAsciiHexDigit(text[i + 2]))
        {
            bytes[count++] = (byte)((HexValue(text[i + 1]) << 4) | HexValue(text[i + 2]));
            i += 3;
        }

        if (count == 0)
        {
            return false;
        }

        // Decode as many complete, valid UTF-8 characters as the run holds; each maps back to its own %XX group(s).
        int offset = 0;
        int decodedAny = 0;
        while (offset < count)
        {
            OperationStatus status = Rune.DecodeFromUtf8(bytes[offset..count], out Rune rune, out int used);
            if (status != OperationStatus.Done)
            {
                break;
            }

            int from = at + (offset * 3);
            int to = from + (used * 3);
            if (rune.Value < 0x20 && rune.Value is not ('\t' or '\n' or '\r'))
            {
                break; // %00 and other controls: not text, leave as written
            }

            AppendFolded(builder, rune.Value, from, to);
            offset += used;
            decodedAny++;
        }

        consumed = offset * 3;
        return decodedAny > 0;
    }

    /// <summary><c>\u0040</c> or <c>\x40</c> written out in the text itself.</summary>
    private static bool TryBackslash(string text, int at, out int codePoint, out int consumed)
    {
        codePoint = 0;
        consumed = 0;
        if (at + 1 >= text.Length)
        {
            return false;
        }

        int digits = text[at + 1] switch { 'u' => 4, 'x' => 2, _ => 0 };
        if (digits == 0 || at + 2 + digits > text.Length)
        {
            return false;
        }

        int value = 0;
        for (int k = 0; k < digits; k++)
        {
            char h = text[at + 2 + k];
            if (!char.IsAsciiHexDigit(h))
            {
                return false;
            }

            value = (value << 4) | HexValue(h);
        }

        if (value is >= 0xD800 and <= 0xDFFF or < 0x20)
        {
            return false;
        }

        codePoint = value;
        consumed = 2 + digits;
        return true;
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    private static string PlainAscii()
    {
        var chars = new StringBuilder();
        for (char c = '\0'; c < '\u0080'; c++)
        {
            if (c is not ('&' or '%' or '\\'))
            {
                chars.Append(c);
            }
        }

        return chars.ToString();
    }

    private static Dictionary<int, string> LoadNfkc()
    {
        var table = new Dictionary<int, string>(5000);
        using Stream stream = typeof(TextNormalizer).Assembly.GetManifestResourceStream("Switchyard.Privacy.Scanning.nfkc-fold.txt")
            ?? throw new InvalidOperationException("The NFKC table is missing from the assembly.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            int tab = line.IndexOf('\t', StringComparison.Ordinal);
            int codePoint = int.Parse(line.AsSpan(0, tab), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            var folded = new StringBuilder(4);
            foreach (string part in line[(tab + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                folded.Append(char.ConvertFromUtf32(int.Parse(part, NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
            }

            table[codePoint] = folded.ToString();
        }

        return table;
    }
}
