using System.Text;

namespace Switchyard.Local.Tokenization;

/// <summary>
/// A piece of text as code points (one int each; unpaired surrogates become U+FFFD, as llama.cpp does with invalid
/// UTF-8), with the two one-char-per-code-point views the regex pre-tokenizer steps run on.
/// </summary>
internal sealed class CodepointText
{
    /// <summary>Stands in for a supplementary code point in <see cref="Wide"/>; no supported pattern names it.</summary>
    internal const char SupplementaryPlaceholder = '\uFFFF';

    private string? _collapsed;
    private string? _wide;

    private CodepointText(int[] codepoints, int length)
    {
        Codepoints = codepoints;
        Length = length;
    }

    /// <summary>The code points; only the first <see cref="Length"/> are used.</summary>
    public int[] Codepoints { get; }

    public int Length { get; }

    /// <summary>
    /// One char per code point: ASCII as is, other whitespace as \v, other code points as a stand-in char per
    /// category (U+00D1 number, U+00D2 letter, U+00D3 punctuation, U+00D4 mark, U+00D5 symbol, U+00D0 anything else).
    /// The category regexes are rewritten to test these stand-ins (llama.cpp's "collapsed" text).
    /// </summary>
    public string Collapsed => _collapsed ??= BuildCollapsed();

    /// <summary>One char per code point: BMP code points as is except non-ASCII whitespace (as \v), supplementary ones as U+FFFF.</summary>
    public string Wide => _wide ??= BuildWide();

    public static CodepointText From(ReadOnlySpan<char> text)
    {
        int[] cps = new int[text.Length];
        int n = 0;
        int i = 0;
        while (i < text.Length)
        {
            if (Rune.DecodeFromUtf16(text[i..], out Rune rune, out int used) != System.Buffers.OperationStatus.Done)
            {
                rune = Rune.ReplacementChar;
                used = 1;
            }

            cps[n++] = rune.Value;
            i += used;
        }

        return new CodepointText(cps, n);
    }

    /// <summary>The collapsed stand-in char of a code point (see <see cref="Collapsed"/>).</summary>
    public static char CollapseOne(int cp)
    {
        if (cp < 0x80)
        {
            return (char)cp;
        }

        CodepointFlags flags = UnicodeClasses.Of(cp);
        if ((flags & CodepointFlags.Whitespace) != 0)
        {
            return '\v';
        }

        return (flags & CodepointFlags.CategoryMask) switch
        {
            CodepointFlags.Number => '\u00D1',
            CodepointFlags.Letter => '\u00D2',
            CodepointFlags.Punctuation => '\u00D3',
            CodepointFlags.Mark => '\u00D4',
            CodepointFlags.Symbol => '\u00D5',
            _ => '\u00D0',
        };
    }

    private string BuildCollapsed() =>
        string.Create(Length, this, static (span, self) =>
        {
            for (int i = 0; i < span.Length; i++)
            {
                span[i] = CollapseOne(self.Codepoints[i]);
            }
        });

    private string BuildWide() =>
        string.Create(Length, this, static (span, self) =>
        {
            for (int i = 0; i < span.Length; i++)
            {
                int cp = self.Codepoints[i];
                span[i] = cp switch
                {
                    > 0xFFFF => SupplementaryPlaceholder,
                    > 0x7F when UnicodeClasses.IsWhitespace(cp) => '\v',
                    _ => (char)cp,
                };
            }
        });
}
