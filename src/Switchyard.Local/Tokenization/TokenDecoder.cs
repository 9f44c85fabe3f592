using System.Text;

namespace Switchyard.Local.Tokenization;

/// <summary>
/// Turns generated tokens into text one token at a time. A character whose UTF-8 bytes are spread over several
/// tokens (byte-fallback or byte-level tokens) is held back until it is complete, so every returned string is valid
/// text; invalid byte sequences come out as U+FFFD. Control tokens give nothing. Each piece is emitted as is (no
/// SentencePiece leading-space removal, no space clean-up), as llama.cpp's server streams. Not thread-safe.
/// </summary>
public sealed class TokenDecoder
{
    private readonly GgufTokenizer _tokenizer;
    private readonly Decoder _utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false).GetDecoder();
    private char[] _chars = new char[64];

    internal TokenDecoder(GgufTokenizer tokenizer) => _tokenizer = tokenizer;

    /// <summary>Adds a token; returns the text completed by it (possibly empty).</summary>
    public string Append(int tokenId) => Convert(_tokenizer.Piece(tokenId), flush: false);

    /// <summary>Returns what is still held back (an incomplete character, as U+FFFD) and starts over.</summary>
    public string Flush() => Convert([], flush: true);

    /// <summary>Drops anything held back.</summary>
    public void Reset() => _utf8.Reset();

    private string Convert(ReadOnlySpan<byte> bytes, bool flush)
    {
        int needed = _utf8.GetCharCount(bytes, flush);
        if (needed == 0)
        {
            if (flush || bytes.Length > 0)
            {
                // GetCharCount does not advance the decoder; feed the bytes so they are held.
                _utf8.GetChars(bytes, _chars, flush);
            }

            return string.Empty;
        }

        if (needed > _chars.Length)
        {
            _chars = new char[Math.Max(needed, _chars.Length * 2)];
        }

        int written = _utf8.GetChars(bytes, _chars, flush);
        return new string(_chars, 0, written);
    }
}
