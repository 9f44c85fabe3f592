using System.Globalization;

namespace Switchyard.Local.Tokenization;

/// <summary>
/// Code point classification for the pre-tokenizers, from .NET's Unicode data. llama.cpp ships its own tables
/// (generated from Python's unicodedata); the two agree except for code points assigned in a newer Unicode version
/// than the other side knows.
/// </summary>
internal static class UnicodeClasses
{
    private static readonly CodepointFlags[] Bmp = BuildBmp();

    /// <summary>The flags of a code point (any value up to 0x10FFFF; surrogates count as control).</summary>
    public static CodepointFlags Of(int codepoint) =>
        (uint)codepoint < (uint)Bmp.Length ? Bmp[codepoint] : Compute(codepoint);

    /// <summary>Whether the code point is in the White_Space set llama.cpp uses for \s.</summary>
    public static bool IsWhitespace(int c) =>
        c is (>= 0x09 and <= 0x0D) or 0x20 or 0x85 or 0xA0 or 0x1680 or (>= 0x2000 and <= 0x200A)
            or 0x2028 or 0x2029 or 0x202F or 0x205F or 0x3000;

    private static CodepointFlags[] BuildBmp()
    {
        var table = new CodepointFlags[0x10000];
        for (int c = 0; c < table.Length; c++)
        {
            table[c] = Compute(c);
        }

        return table;
    }

    private static CodepointFlags Compute(int codepoint)
    {
        if ((uint)codepoint > 0x10FFFF)
        {
            return CodepointFlags.None;
        }

        UnicodeCategory category = codepoint is >= 0xD800 and <= 0xDFFF
            ? UnicodeCategory.Surrogate
            : CharUnicodeInfo.GetUnicodeCategory(codepoint);
        CodepointFlags flags = category switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => CodepointFlags.Letter,
            UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => CodepointFlags.Number,
            UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => CodepointFlags.Separator,
            UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark => CodepointFlags.Mark,
            UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation
                or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
                or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation => CodepointFlags.Punctuation,
            UnicodeCategory.MathSymbol or UnicodeCategory.CurrencySymbol or UnicodeCategory.ModifierSymbol
                or UnicodeCategory.OtherSymbol => CodepointFlags.Symbol,
            UnicodeCategory.OtherNotAssigned => CodepointFlags.Undefined,
            _ => CodepointFlags.Control,
        };

        return IsWhitespace(codepoint) ? flags | CodepointFlags.Whitespace : flags;
    }
}
