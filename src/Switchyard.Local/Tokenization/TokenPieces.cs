using System.Globalization;
using System.Text;

namespace Switchyard.Local.Tokenization;

/// <summary>
/// The bytes each token decodes to, computed once (llama.cpp's token-to-piece cache): normal SentencePiece tokens
/// with U+2581 as space, normal byte-level BPE tokens mapped back through GPT-2's byte map, byte tokens as their
/// byte, and control, unknown and user-defined tokens as their text.
/// </summary>
internal sealed class TokenPieces
{
    private readonly byte[] _bytes;
    private readonly int[] _offsets;

    public TokenPieces(IReadOnlyList<string> tokens, TokenAttributes[] attributes, TokenizerModelKind model)
    {
        var blob = new List<byte>(tokens.Count * 6);
        _offsets = new int[tokens.Count + 1];
        for (int id = 0; id < tokens.Count; id++)
        {
            _offsets[id] = blob.Count;
            AppendPiece(blob, tokens[id], attributes[id], model);
        }

        _offsets[tokens.Count] = blob.Count;
        _bytes = [.. blob];
    }

    /// <summary>The piece of a token with control and unknown tokens rendered as their text.</summary>
    public ReadOnlySpan<byte> this[int id] => _bytes.AsSpan(_offsets[id], _offsets[id + 1] - _offsets[id]);

    public int Count => _offsets.Length - 1;

    private static void AppendPiece(List<byte> blob, string text, TokenAttributes attr, TokenizerModelKind model)
    {
        if ((attr & (TokenAttributes.Unknown | TokenAttributes.Control | TokenAttributes.UserDefined)) != 0)
        {
            blob.AddRange(Encoding.UTF8.GetBytes(text));
        }
        else if ((attr & TokenAttributes.Normal) != 0)
        {
            if (model == TokenizerModelKind.SentencePiece)
            {
                blob.AddRange(Encoding.UTF8.GetBytes(text.Replace('\u2581', ' ')));
            }
            else
            {
                AppendByteLevel(blob, text);
            }
        }
        else if ((attr & TokenAttributes.Byte) != 0)
        {
            if (text.Length >= 5 && byte.TryParse(text.AsSpan(3, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out byte b))
            {
                blob.Add(b);
            }
        }
    }

    private static void AppendByteLevel(List<byte> blob, string text)
    {
        Span<byte> utf8 = stackalloc byte[4];
        foreach (Rune rune in text.EnumerateRunes())
        {
            int b = ByteLevelMap.Decode(rune.Value);
            if (b >= 0)
            {
                blob.Add((byte)b);
                continue;
            }

            // As llama.cpp: a char outside the byte map is shown, not dropped.
            int n = rune.EncodeToUtf8(utf8);
            var marker = new StringBuilder("[UNK_BYTE_0x");
            for (int j = 0; j < n; j++)
            {
                marker.Append(utf8[j].ToString("x2", CultureInfo.InvariantCulture));
            }

            marker.Append(text).Append(']');
            blob.AddRange(Encoding.UTF8.GetBytes(marker.ToString()));
        }
    }
}
