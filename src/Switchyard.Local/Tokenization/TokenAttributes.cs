namespace Switchyard.Local.Tokenization;

/// <summary>Per-token attributes, as llama.cpp derives them from <c>tokenizer.ggml.token_type</c> and its fix-ups.</summary>
[Flags]
internal enum TokenAttributes
{
    None = 0,
    Unknown = 1 << 0,
    Unused = 1 << 1,
    Normal = 1 << 2,
    Control = 1 << 3,
    UserDefined = 1 << 4,
    Byte = 1 << 5,
    Normalized = 1 << 6,

    /// <summary>Whitespace before the token is dropped when it is parsed as a special token.</summary>
    LStrip = 1 << 7,

    /// <summary>Whitespace after the token is dropped when it is parsed as a special token.</summary>
    RStrip = 1 << 8,
    SingleWord = 1 << 9,
}
