namespace Switchyard.Local.Tokenization;

/// <summary>
/// The character classes llama.cpp's pre-tokenizers test: one general-category bit per code point (as the \p{..}
/// classes of the tokenizer regexes see it) plus a separate whitespace bit (regex \s).
/// </summary>
[Flags]
internal enum CodepointFlags : ushort
{
    /// <summary>No code point: a position outside the text being split.</summary>
    None = 0,

    /// <summary>Unassigned code point (Cn).</summary>
    Undefined = 0x0001,

    /// <summary>\p{N}.</summary>
    Number = 0x0002,

    /// <summary>\p{L}.</summary>
    Letter = 0x0004,

    /// <summary>\p{Z}.</summary>
    Separator = 0x0008,

    /// <summary>\p{M}.</summary>
    Mark = 0x0010,

    /// <summary>\p{P}.</summary>
    Punctuation = 0x0020,

    /// <summary>\p{S}.</summary>
    Symbol = 0x0040,

    /// <summary>\p{C} other than unassigned: controls, format characters, surrogates, private use.</summary>
    Control = 0x0080,

    /// <summary>The category bits.</summary>
    CategoryMask = 0x00FF,

    /// <summary>\s: the Unicode White_Space code points.</summary>
    Whitespace = 0x0100,
}
