using System.Collections.Concurrent;
using System.Text;

namespace Switchyard.Local.Tokenization;

/// <summary>
/// llama.cpp's byte-level BPE: the pre-tokenizer splits the text into words, each word is spelled with GPT-2's byte
/// characters, and within a word the adjacent pair with the best (lowest) merge rank is merged until none is left
/// (leftmost on ties). Symbols are interned as "pieces" so a merge is found by two ints, not two strings.
/// </summary>
internal sealed class BpeEncoder
{
    private readonly StringIdMap _pieces;
    private readonly int[] _pieceToken;
    private readonly Dictionary<long, (int Rank, int Merged)> _merges;
    private readonly WordSplitter[] _steps;
    private readonly bool _ignoreMerges;
    private readonly int[] _charPiece;
    private readonly ConcurrentDictionary<string, int[]> _wordCache = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int[]>.AlternateLookup<ReadOnlySpan<char>> _wordCacheSpans;

    public BpeEncoder(IReadOnlyList<string> tokens, IReadOnlyList<string> merges, BpePreTokenizerSpec spec)
    {
        _steps = spec.Steps;
        _ignoreMerges = spec.IgnoreMerges;
        _pieces = new StringIdMap(tokens.Count + (merges.Count / 4));
        var pieceToken = new List<int>(tokens.Count);
        for (int id = 0; id < tokens.Count; id++)
        {
            if (_pieces.TryAdd(tokens[id], pieceToken.Count))
            {
                pieceToken.Add(id);
            }
        }

        _merges = new Dictionary<long, (int, int)>(merges.Count);
        for (int rank = 0; rank < merges.Count; rank++)
        {
            string merge = merges[rank];
            int space = merge.Length > 1 ? merge.IndexOf(' ', 1) : -1;
            if (space < 0)
            {
                continue;
            }

            string first = merge[..space];
            string second = merge[(space + 1)..];
            int a = Intern(first, pieceToken);
            int b = Intern(second, pieceToken);
            int merged = Intern(first + second, pieceToken);
            _merges.TryAdd(((long)a << 32) | (uint)b, (rank, merged));
        }

        _pieceToken = [.. pieceToken];
        _charPiece = new int[0x200];
        for (int c = 0; c < _charPiece.Length; c++)
        {
            _charPiece[c] = _pieces.Find([(char)c]);
        }

        _wordCacheSpans = _wordCache.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>Words up to this many chars have their tokens cached (encoding a word depends on nothing else).</summary>
    internal const int CachedWordLength = 48;

    /// <summary>The cache is emptied when it reaches this many words.</summary>
    internal const int WordCacheCapacity = 65536;

    /// <summary>Tokenizes one stretch of raw text (no special tokens in it).</summary>
    public void Encode(ReadOnlySpan<char> text, List<int> output)
    {
        CodepointText cps = CodepointText.From(text);
        List<int> segments = [cps.Length];
        List<int> next = new(Math.Max(8, cps.Length / 3));
        foreach (WordSplitter step in _steps)
        {
            next.Clear();
            step.Split(cps, segments, next);
            (segments, next) = (next, segments);
        }

        // Spell the text with byte characters; offsets[i] is where code point i starts in the spelling.
        var offsets = new int[cps.Length + 1];
        var spelled = new StringBuilder(cps.Length * 2);
        Span<byte> utf8 = stackalloc byte[4];
        for (int i = 0; i < cps.Length; i++)
        {
            offsets[i] = spelled.Length;
            int n = new Rune(cps.Codepoints[i]).EncodeToUtf8(utf8);
            for (int j = 0; j < n; j++)
            {
                spelled.Append(ByteLevelMap.Encode(utf8[j]));
            }
        }

        offsets[cps.Length] = spelled.Length;
        string word = spelled.ToString();
        var symbols = new Symbol[Math.Max(1, word.Length)];
        var queue = new PriorityQueue<Bigram, (int Rank, int Left)>();
        int start = 0;
        foreach (int length in segments)
        {
            int from = offsets[start];
            EncodeWord(word.AsSpan(from, offsets[start + length] - from), symbols, queue, output);
            start += length;
        }
    }

    private int Intern(string piece, List<int> pieceToken)
    {
        int id = _pieces.Intern(piece);
        if (id == pieceToken.Count)
        {
            pieceToken.Add(-1);
        }

        return id;
    }

    private void EncodeWord(ReadOnlySpan<char> word, Symbol[] symbols, PriorityQueue<Bigram, (int, int)> queue, List<int> output)
    {
        if (word.IsEmpty)
        {
            return;
        }

        bool cacheable = word.Length <= CachedWordLength;
        if (cacheable && _wordCacheSpans.TryGetValue(word, out int[]? cached))
        {
            output.AddRange(cached);
            return;
        }

        int before = output.Count;
        MergeWord(word, symbols, queue, output);
        if (cacheable)
        {
            if (_wordCache.Count >= WordCacheCapacity)
            {
                _wordCache.Clear();
            }

            _wordCache.TryAdd(word.ToString(), output.GetRange(before, output.Count - before).ToArray());
        }
    }

    private void MergeWord(ReadOnlySpan<char> word, Symbol[] symbols, PriorityQueue<Bigram, (int, int)> queue, List<int> output)
    {
        if (_ignoreMerges)
        {
            int whole = _pieces.Find(word);
            if (whole >= 0 && _pieceToken[whole] >= 0)
            {
                output.Add(_pieceToken[whole]);
                return;
            }
        }

        int count = word.Length;
        for (int i = 0; i < count; i++)
        {
            symbols[i] = new Symbol { Start = i, Length = 1, Prev = i - 1, Next = i + 1 < count ? i + 1 : -1, Piece = CharPiece(word[i]) };
        }

        queue.Clear();
        for (int i = 1; i < count; i++)
        {
            AddBigram(symbols, queue, i - 1, i);
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
            left.Piece = bigram.Merged;
            right.Length = 0;
            left.Next = right.Next;
            if (right.Next >= 0)
            {
                symbols[right.Next].Prev = bigram.Left;
            }

            AddBigram(symbols, queue, left.Prev, bigram.Left);
            AddBigram(symbols, queue, bigram.Left, left.Next);
        }

        for (int i = 0; i != -1; i = symbols[i].Next)
        {
            int token = symbols[i].Piece >= 0 ? _pieceToken[symbols[i].Piece] : -1;
            if (token >= 0)
            {
                output.Add(token);
                continue;
            }

            // Not a token: llama.cpp tries each byte of the piece as a one-byte token (only ASCII can match).
            foreach (char c in word.Slice(symbols[i].Start, symbols[i].Length))
            {
                int single = c < 0x80 ? _charPiece[c] : -1;
                if (single >= 0 && _pieceToken[single] >= 0)
                {
                    output.Add(_pieceToken[single]);
                }
            }
        }
    }

    private int CharPiece(char c) => c < _charPiece.Length ? _charPiece[c] : _pieces.Find([c]);

    private void AddBigram(Symbol[] symbols, PriorityQueue<Bigram, (int, int)> queue, int left, int right)
    {
        if (left < 0 || right < 0)
        {
            return;
        }

        int a = symbols[left].Piece;
        int b = symbols[right].Piece;
        if (a < 0 || b < 0 || !_merges.TryGetValue(((long)a << 32) | (uint)b, out (int Rank, int Merged) merge))
        {
            return;
        }

        queue.Enqueue(new Bigram(left, right, symbols[left].Length + symbols[right].Length, merge.Merged), (merge.Rank, left));
    }

    private struct Symbol
    {
        public int Start;
        public int Length;
        public int Prev;
        public int Next;
        public int Piece;
    }

    private readonly record struct Bigram(int Left, int Right, int Size, int Merged);
}
