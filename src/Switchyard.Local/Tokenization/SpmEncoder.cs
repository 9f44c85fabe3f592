using System.Globalization;
using System.Text;

namespace Switchyard.Local.Tokenization;

/// <summary>
/// llama.cpp's SentencePiece-style tokenizer: start from single code points and keep merging the adjacent pair whose
/// concatenation is the highest-scoring token (leftmost on ties); pieces that are not tokens fall back to byte tokens.
/// </summary>
internal sealed class SpmEncoder
{
    private readonly StringIdMap _tokens;
    private readonly IReadOnlyList<float> _scores;
    private readonly int[] _byteTokens;
    private readonly int? _unknownId;

    public SpmEncoder(StringIdMap tokens, IReadOnlyList<float> scores, int? unknownId)
    {
        _tokens = tokens;
        _scores = scores;
        _unknownId = unknownId;
        _byteTokens = new int[256];
        for (int b = 0; b < 256; b++)
        {
            int id = tokens.Find(string.Create(CultureInfo.InvariantCulture, $"<0x{b:X2}>"));
            if (id < 0 && b < 0x80)
            {
                id = tokens.Find([(char)b]);
            }

            _byteTokens[b] = id;
        }
    }

    /// <summary>Tokenizes text whose spaces are already escaped as U+2581.</summary>
    public void Encode(ReadOnlySpan<char> text, List<int> output)
    {
        if (text.IsEmpty)
        {
            return;
        }

        var symbols = new Symbol[text.Length];
        int count = 0;
        for (int i = 0; i < text.Length;)
        {
            int len = char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
            symbols[count] = new Symbol { Start = i, Length = len, Prev = count - 1, Next = i + len < text.Length ? count + 1 : -1 };
            count++;
            i += len;
        }

        var queue = new PriorityQueue<Bigram, (float NegatedScore, int Left)>();
        for (int i = 1; i < count; i++)
        {
            TryAddBigram(text, symbols, queue, i - 1, i);
        }

        while (queue.TryDequeue(out Bigram bigram, out _))
        {
            ref Symbol left = ref symbols[bigram.Left];
            ref Symbol right = ref symbols[bigram.Right];
            if (left.Length == 0 || right.Length == 0 || left.Length + right.Length != bigram.Size)
            {
                continue;
            }

            left.Length += right.Length;
            right.Length = 0;
            left.Next = right.Next;
            if (right.Next >= 0)
            {
                symbols[right.Next].Prev = bigram.Left;
            }

            TryAddBigram(text, symbols, queue, left.Prev, bigram.Left);
            TryAddBigram(text, symbols, queue, bigram.Left, left.Next);
        }

        for (int i = 0; i != -1; i = symbols[i].Next)
        {
            ReadOnlySpan<char> piece = text.Slice(symbols[i].Start, symbols[i].Length);
            int id = _tokens.Find(piece);
            if (id >= 0)
            {
                output.Add(id);
            }
            else
            {
                AddBytes(piece, output);
            }
        }
    }

    private void AddBytes(ReadOnlySpan<char> piece, List<int> output)
    {
        Span<byte> bytes = stackalloc byte[8];
        int n = Encoding.UTF8.GetBytes(piece, bytes);
        for (int j = 0; j < n; j++)
        {
            int id = _byteTokens[bytes[j]];
            if (id < 0)
            {
                id = _unknownId ?? throw new InvalidOperationException($"The vocabulary has no token for byte 0x{bytes[j]:X2}.");
            }

            output.Add(id);
        }
    }

    private void TryAddBigram(ReadOnlySpan<char> text, Symbol[] symbols, PriorityQueue<Bigram, (float, int)> queue, int left, int right)
    {
        if (left < 0 || right < 0)
        {
            return;
        }

        int size = symbols[left].Length + symbols[right].Length;
        int id = _tokens.Find(text.Slice(symbols[left].Start, size));
        if (id < 0)
        {
            return;
        }

        queue.Enqueue(new Bigram(left, right, size), (-_scores[id], left));
    }

    private struct Symbol
    {
        public int Start;
        public int Length;
        public int Prev;
        public int Next;
    }

    private readonly record struct Bigram(int Left, int Right, int Size);
}
