using System.Globalization;
using System.Text;

namespace Switchyard.Embeddings.Tokenization;

/// <summary>
/// BERT's uncased WordPiece tokenizer, as HuggingFace's <c>BertTokenizerFast</c> runs it for all-MiniLM-L6-v2
/// (normalizer <c>BertNormalizer</c> with clean_text, handle_chinese_chars, lowercase and accent stripping;
/// pre-tokenizer <c>BertPreTokenizer</c>; model <c>WordPiece</c> with <c>##</c> continuations and at most 100
/// characters per word; template <c>[CLS] … [SEP]</c>):
/// <list type="number">
/// <item>Clean: U+0000, U+FFFD and control/format/private-use/unassigned code points are removed; whitespace
/// separates words.</item>
/// <item>Every CJK ideograph is a word of its own.</item>
/// <item>Accents are stripped (canonical decomposition, nonspacing marks removed), then the text is lowercased.</item>
/// <item>Every punctuation character (ASCII 33–47, 58–64, 91–96, 123–126 and Unicode categories P*) is a word of
/// its own, so maths and code keep <c>$ + &lt; = &gt; ^ | ~</c>.</item>
/// <item>Each word becomes the longest vocabulary entries that match from its start (<c>##</c>-prefixed after the
/// first); a word with a part that matches nothing, or longer than 100 code points, is one <c>[UNK]</c>.</item>
/// </list>
/// Text that spells a special token (<c>"[SEP]"</c>) is tokenised as text, never as the control token.
/// Instances are immutable and thread-safe; encoding allocates nothing but the result.
/// </summary>
public sealed class BertWordPieceTokenizer
{
    /// <summary>Words longer than this many code points become one <c>[UNK]</c>, as in BERT.</summary>
    public const int MaxInputCharsPerWord = 100;

    // A word is buffered up to MaxInputCharsPerWord code points (two UTF-16 units each at most) and one more
    // code point, which marks it as too long.
    private const int WordBufferChars = (MaxInputCharsPerWord + 1) * 2;

    private readonly Dictionary<string, int> _vocabulary;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly string[] _tokens;
    private readonly int _maxEntryChars;

    /// <summary>Creates a tokenizer over a vocabulary given in id order (the lines of BERT's <c>vocab.txt</c>).</summary>
    /// <param name="vocabulary">The entries; an entry's index is its id. Must contain [PAD], [UNK], [CLS] and [SEP].</param>
    /// <exception cref="ArgumentNullException"><paramref name="vocabulary"/> is null.</exception>
    /// <exception cref="InvalidDataException">A special token is missing.</exception>
    public BertWordPieceTokenizer(IReadOnlyList<string> vocabulary)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        _tokens = [.. vocabulary];
        _vocabulary = new Dictionary<string, int>(_tokens.Length, StringComparer.Ordinal);
        for (int id = 0; id < _tokens.Length; id++)
        {
            string token = _tokens[id];
            _vocabulary[token] = id; // A repeated entry maps to its last id, as in HuggingFace's loaders.
            int chars = token.StartsWith("##", StringComparison.Ordinal) ? token.Length - 2 : token.Length;
            _maxEntryChars = Math.Max(_maxEntryChars, chars);
        }

        _lookup = _vocabulary.GetAlternateLookup<ReadOnlySpan<char>>();
        PadId = RequireToken("[PAD]");
        UnkId = RequireToken("[UNK]");
        ClsId = RequireToken("[CLS]");
        SepId = RequireToken("[SEP]");
    }

    /// <summary>Id of <c>[PAD]</c>.</summary>
    public int PadId { get; }

    /// <summary>Id of <c>[UNK]</c>.</summary>
    public int UnkId { get; }

    /// <summary>Id of <c>[CLS]</c>, the first id of every encoding.</summary>
    public int ClsId { get; }

    /// <summary>Id of <c>[SEP]</c>, the last id of every encoding.</summary>
    public int SepId { get; }

    /// <summary>Number of vocabulary entries.</summary>
    public int VocabularySize => _tokens.Length;

    /// <summary>
    /// Loads a <c>vocab.txt</c> (one entry per line, the line number is the id; LF or CRLF line ends).
    /// </summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">The file lacks a special token.</exception>
    public static BertWordPieceTokenizer FromVocabularyFile(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"WordPiece vocabulary not found: {path}", path);
        }

        // ReadLines splits on CR, LF and CRLF alike; a trailing newline yields no extra entry.
        return new BertWordPieceTokenizer([.. File.ReadLines(path, Encoding.UTF8)]);
    }

    /// <summary>The vocabulary entry of an id.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The id is outside the vocabulary.</exception>
    public string IdToToken(int id)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(id);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(id, _tokens.Length);
        return _tokens[id];
    }

    /// <summary>
    /// Encodes <paramref name="text"/> as <c>[CLS] pieces… [SEP]</c>, truncated to <paramref name="maxTokens"/> ids in
    /// all (the pieces beyond <paramref name="maxTokens"/> − 2 are dropped; the text past them is not even read).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="maxTokens"/> is below 2.</exception>
    public int[] Encode(string text, int maxTokens)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTokens, 2);
        Span<int> buffer = maxTokens <= 1024 ? stackalloc int[maxTokens] : new int[maxTokens];
        int count = Encode(text, buffer);
        return buffer[..count].ToArray();
    }

    /// <summary>
    /// Encodes <paramref name="text"/> into <paramref name="destination"/> as <c>[CLS] pieces… [SEP]</c>, truncated
    /// to the destination's length, and returns the number of ids written (at least 2).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is shorter than 2.</exception>
    public int Encode(ReadOnlySpan<char> text, Span<int> destination)
    {
        if (destination.Length < 2)
        {
            throw new ArgumentException("Room for at least [CLS] and [SEP] is needed.", nameof(destination));
        }

        destination[0] = ClsId;
        var sink = new SpanSink(destination[1..^1]);
        Run(text, ref sink);
        destination[sink.Count + 1] = SepId;
        return sink.Count + 2;
    }

    /// <summary>
    /// The word pieces of <paramref name="text"/> as vocabulary entries, without <c>[CLS]</c>/<c>[SEP]</c> and
    /// without truncation (for inspection and tests).
    /// </summary>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    public IReadOnlyList<string> Tokenize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sink = new ListSink(new List<int>());
        Run(text, ref sink);
        return [.. sink.Ids.Select(id => _tokens[id])];
    }

    /// <summary>Number of word pieces of <paramref name="text"/> (without <c>[CLS]</c>/<c>[SEP]</c>, untruncated).</summary>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    public int CountTokens(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sink = new CountSink();
        Run(text, ref sink);
        return sink.Count;
    }

    private int RequireToken(string token) => _vocabulary.TryGetValue(token, out int id)
        ? id
        : throw new InvalidDataException($"The WordPiece vocabulary has no {token} entry; it is not a BERT vocabulary.");

    /// <summary>Normalizes, pre-tokenizes and WordPiece-splits <paramref name="text"/>, feeding ids to the sink until it is full.</summary>
    private void Run<TSink>(ReadOnlySpan<char> text, ref TSink sink) where TSink : struct, IIdSink, allows ref struct
    {
        if (sink.IsFull)
        {
            return;
        }

        Span<char> word = stackalloc char[WordBufferChars];
        Span<char> scratch = stackalloc char[WordBufferChars + 2];
        Span<int> pieces = stackalloc int[MaxInputCharsPerWord];
        Span<Rune> folded = stackalloc Rune[AccentFolding.MaxFoldedLength];
        int length = 0; // UTF-16 units buffered in word
        int runes = 0; // code points in the current word (may exceed what is buffered)

        int i = 0;
        while (i < text.Length)
        {
            int cp = text[i];
            Rune rune;
            if (cp < 0x80)
            {
                i++;
                // ASCII fast path: no folding; lowercase by bit.
                if (cp is ' ' or '\t' or '\n' or '\r')
                {
                    if (!FlushWord(word[..length], runes, ref sink, scratch, pieces))
                    {
                        return;
                    }

                    length = runes = 0;
                    continue;
                }

                if (cp < 0x20 || cp == 0x7F)
                {
                    continue; // control
                }

                if (IsAsciiPunctuation(cp))
                {
                    if (!FlushWord(word[..length], runes, ref sink, scratch, pieces))
                    {
                        return;
                    }

                    word[0] = (char)cp;
                    if (!FlushWord(word[..1], 1, ref sink, scratch, pieces))
                    {
                        return;
                    }

                    length = runes = 0;
                    continue;
                }

                if ((uint)(cp - 'A') <= 'Z' - 'A')
                {
                    cp |= 0x20;
                }

                if (++runes <= MaxInputCharsPerWord + 1)
                {
                    word[length++] = (char)cp;
                }

                continue;
            }

            // Lone surrogates decode as U+FFFD, which cleaning removes (as the Rust/Python tokenizers never see them).
            Rune.DecodeFromUtf16(text[i..], out rune, out int consumed);
            i += consumed;
            cp = rune.Value;
            if (cp == 0xFFFD || IsControl(rune))
            {
                continue;
            }

            if (Rune.IsWhiteSpace(rune))
            {
                if (!FlushWord(word[..length], runes, ref sink, scratch, pieces))
                {
                    return;
                }

                length = runes = 0;
                continue;
            }

            bool cjk = IsCjkIdeograph(cp);
            if (cjk)
            {
                if (!FlushWord(word[..length], runes, ref sink, scratch, pieces))
                {
                    return;
                }

                length = runes = 0;
            }

            int count = AccentFolding.Fold(rune, folded);
            for (int k = 0; k < count; k++)
            {
                var r = Rune.ToLowerInvariant(folded[k]);
                if (IsPunctuation(r))
                {
                    if (!FlushWord(word[..length], runes, ref sink, scratch, pieces))
                    {
                        return;
                    }

                    int n = r.EncodeToUtf16(word);
                    if (!FlushWord(word[..n], 1, ref sink, scratch, pieces))
                    {
                        return;
                    }

                    length = runes = 0;
                    continue;
                }

                if (++runes <= MaxInputCharsPerWord + 1)
                {
                    length += r.EncodeToUtf16(word[length..]);
                }
            }

            if (cjk)
            {
                if (!FlushWord(word[..length], runes, ref sink, scratch, pieces))
                {
                    return;
                }

                length = runes = 0;
            }
        }

        FlushWord(word[..length], runes, ref sink, scratch, pieces);
    }

    /// <summary>WordPiece for one word (greedy longest match first). Returns false once the sink is full.</summary>
    private bool FlushWord<TSink>(scoped ReadOnlySpan<char> word, int runes, ref TSink sink, scoped Span<char> scratch, scoped Span<int> pieces)
        where TSink : struct, IIdSink, allows ref struct
    {
        if (word.IsEmpty)
        {
            return true;
        }

        if (runes > MaxInputCharsPerWord)
        {
            return sink.Add(UnkId);
        }

        scratch[0] = '#';
        scratch[1] = '#';
        int count = 0;
        int start = 0;
        while (start < word.Length)
        {
            int end = Math.Min(word.Length, start + _maxEntryChars);
            int id = -1;
            while (end > start)
            {
                var candidate = word[start..end];
                if (start > 0)
                {
                    candidate.CopyTo(scratch[2..]);
                    candidate = scratch[..(candidate.Length + 2)];
                }

                if (_lookup.TryGetValue(candidate, out id))
                {
                    break;
                }

                id = -1;
                // Step back one code point (never leave half a surrogate pair at the end).
                end -= end - start >= 2 && char.IsLowSurrogate(word[end - 1]) && char.IsHighSurrogate(word[end - 2]) ? 2 : 1;
            }

            if (id < 0)
            {
                return sink.Add(UnkId);
            }

            pieces[count++] = id;
            start = end;
        }

        foreach (int id in pieces[..count])
        {
            if (!sink.Add(id))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsAsciiPunctuation(int cp) =>
        cp is >= 33 and <= 47 or >= 58 and <= 64 or >= 91 and <= 96 or >= 123 and <= 126;

    private static bool IsPunctuation(Rune rune) =>
        IsAsciiPunctuation(rune.Value) || Rune.GetUnicodeCategory(rune) is UnicodeCategory.ConnectorPunctuation
            or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation or UnicodeCategory.ClosePunctuation
            or UnicodeCategory.InitialQuotePunctuation or UnicodeCategory.FinalQuotePunctuation
            or UnicodeCategory.OtherPunctuation;

    /// <summary>Unicode category C* (control, format, surrogate, private use, unassigned), except tab, LF and CR.</summary>
    private static bool IsControl(Rune rune) => Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control
        or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
        or UnicodeCategory.OtherNotAssigned;

    /// <summary>The CJK Unified Ideographs blocks BERT splits per character (not Hiragana, Katakana or Hangul).</summary>
    private static bool IsCjkIdeograph(int cp) =>
        cp is >= 0x4E00 and <= 0x9FFF or >= 0x3400 and <= 0x4DBF or >= 0x20000 and <= 0x2A6DF
            or >= 0x2A700 and <= 0x2B73F or >= 0x2B740 and <= 0x2B81F or >= 0x2B820 and <= 0x2CEAF
            or >= 0xF900 and <= 0xFAFF or >= 0x2F800 and <= 0x2FA1F;

    private interface IIdSink
    {
        bool IsFull { get; }

        /// <summary>Adds an id; returns false when no more ids are wanted.</summary>
        bool Add(int id);
    }

    private ref struct SpanSink(Span<int> destination) : IIdSink
    {
        private readonly Span<int> _destination = destination;

        public int Count { get; private set; }

        public readonly bool IsFull => Count >= _destination.Length;

        public bool Add(int id)
        {
            if (Count < _destination.Length)
            {
                _destination[Count++] = id;
            }

            return Count < _destination.Length;
        }
    }

    private readonly struct ListSink(List<int> ids) : IIdSink
    {
        public List<int> Ids { get; } = ids;

        public bool IsFull => false;

        public bool Add(int id)
        {
            Ids.Add(id);
            return true;
        }
    }

    private struct CountSink : IIdSink
    {
        public int Count { get; private set; }

        public readonly bool IsFull => false;

        public bool Add(int id)
        {
            Count++;
            return true;
        }
    }
}
