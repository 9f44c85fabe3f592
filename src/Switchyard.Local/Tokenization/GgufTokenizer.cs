using System.Text;
using Switchyard.Local.Gguf;

namespace Switchyard.Local.Tokenization;

/// <summary>
/// The tokenizer of a GGUF model, built from its <c>tokenizer.ggml.*</c> metadata and matching llama.cpp's
/// tokenization: SentencePiece-style vocabularies ("llama") and byte-level BPE ones ("gpt2", with the pre-tokenizer
/// named by <c>tokenizer.ggml.pre</c>). Instances are immutable and safe to share between threads.
/// </summary>
public sealed class GgufTokenizer
{
    private readonly TokenizerVocabulary _vocab;
    private readonly TokenizerSettings _settings;
    private readonly SpecialTokenPartitioner _partitioner;
    private readonly TokenPieces _pieces;
    private readonly SpmEncoder? _spm;
    private readonly BpeEncoder? _bpe;

    internal GgufTokenizer(TokenizerVocabulary vocabulary)
    {
        ArgumentNullException.ThrowIfNull(vocabulary);
        int n = vocabulary.Tokens.Count;
        if (n == 0)
        {
            throw new ArgumentException("The vocabulary has no tokens.", nameof(vocabulary));
        }

        if (vocabulary.TokenTypes is { } types && types.Count < n)
        {
            throw new ArgumentException("Fewer token types than tokens.", nameof(vocabulary));
        }

        if (vocabulary.Scores is { } scores && scores.Count < n)
        {
            throw new ArgumentException("Fewer scores than tokens.", nameof(vocabulary));
        }

        _vocab = vocabulary;
        var ids = new StringIdMap(n);
        for (int id = 0; id < n; id++)
        {
            ids.TryAdd(vocabulary.Tokens[id], id);
        }

        _settings = TokenizerSetup.Resolve(vocabulary, ids);
        _partitioner = new SpecialTokenPartitioner(vocabulary.Tokens, _settings.Attributes);
        _pieces = new TokenPieces(vocabulary.Tokens, _settings.Attributes, vocabulary.Model);
        if (vocabulary.Model == TokenizerModelKind.SentencePiece)
        {
            _spm = new SpmEncoder(ids, vocabulary.Scores ?? new float[n], _settings.UnknownId);
        }
        else
        {
            _bpe = new BpeEncoder(vocabulary.Tokens, vocabulary.Merges ?? [], _settings.PreTokenizer!);
        }
    }

    /// <summary>The number of tokens in the vocabulary.</summary>
    public int VocabularySize => _vocab.Tokens.Count;

    /// <summary>The beginning-of-sequence token, if the vocabulary has one.</summary>
    public int? BosTokenId => _settings.BosId;

    /// <summary>The end-of-sequence token, if the vocabulary has one.</summary>
    public int? EosTokenId => _settings.EosId;

    /// <summary>The end-of-turn token (from the metadata or found by its text, e.g. &lt;|eot_id|&gt;, &lt;|im_end|&gt;).</summary>
    public int? EotTokenId => _settings.EotId;

    /// <summary>Whether <see cref="Encode"/> with addSpecial puts <see cref="BosTokenId"/> first.</summary>
    public bool AddBos => _settings.AddBos;

    /// <summary>Whether <see cref="Encode"/> with addSpecial puts <see cref="EosTokenId"/> last.</summary>
    public bool AddEos => _settings.AddEos;

    internal TokenizerSettings Settings => _settings;

    /// <summary>Builds the tokenizer from a model's GGUF metadata.</summary>
    /// <exception cref="GgufFormatException">A required tokenizer key is missing or has the wrong type.</exception>
    /// <exception cref="NotSupportedException">The tokenizer model or pre-tokenizer is not supported.</exception>
    public static GgufTokenizer FromMetadata(GgufMetadata metadata) => new(GgufVocabularyReader.Read(metadata));

    /// <summary>Whether generation stops at this token (llama.cpp's end-of-generation set: EOS, EOT, &lt;|im_end|&gt;, ...).</summary>
    public bool IsEndOfGeneration(int id) => _settings.EndOfGeneration.Contains(id);

    /// <summary>Whether the token is a control token (rendered as nothing when decoding).</summary>
    public bool IsControl(int id) => (uint)id < (uint)VocabularySize && (_settings.Attributes[id] & TokenAttributes.Control) != 0;

    /// <summary>The token's text as stored in the vocabulary (U+2581 for spaces, GPT-2 byte characters, ...).</summary>
    public string TokenText(int id)
    {
        CheckId(id);
        return _vocab.Tokens[id];
    }

    /// <summary>Tokenizes text as llama.cpp's llama_tokenize does.</summary>
    /// <param name="text">The text.</param>
    /// <param name="addSpecial">Add BOS first (and EOS last) when the vocabulary asks for them.</param>
    /// <param name="parseSpecial">Turn the text of control tokens (e.g. &lt;|im_start|&gt;) into those tokens;
    /// user-defined tokens are matched either way.</param>
    public int[] Encode(string text, bool addSpecial, bool parseSpecial)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = ReplaceLoneSurrogates(text);
        List<TextFragment> fragments = _partitioner.Partition(text, parseSpecial);
        var output = new List<int>(text.Length / 3 + 4);
        if (addSpecial && _settings.AddBos)
        {
            output.Add(_settings.BosId!.Value);
        }

        bool previousWasSpecial = true;
        foreach (TextFragment fragment in fragments)
        {
            if (fragment.IsToken)
            {
                output.Add(fragment.TokenId);
                previousWasSpecial = true;
                continue;
            }

            ReadOnlySpan<char> raw = text.AsSpan(fragment.Start, fragment.Length);
            if (_spm is not null)
            {
                _spm.Encode(EscapeSpaces(raw, _settings.AddSpacePrefix && previousWasSpecial), output);
            }
            else
            {
                _bpe!.Encode(raw, output);
            }

            previousWasSpecial = false;
        }

        if (addSpecial && _settings.AddEos)
        {
            output.Add(_settings.EosId!.Value);
        }

        return [.. output];
    }

    /// <summary>
    /// Decodes tokens to text as llama.cpp's llama_detokenize does (special tokens not rendered): control tokens give
    /// nothing, the leading space SentencePiece adds is removed from the first token, and vocabularies that ask for it
    /// get clean_up_tokenization_spaces. Invalid UTF-8 becomes U+FFFD.
    /// </summary>
    public string Decode(ReadOnlySpan<int> ids)
    {
        var bytes = new List<byte>(ids.Length * 4);
        bool stripSpace = _settings.AddSpacePrefix;
        foreach (int id in ids)
        {
            ReadOnlySpan<byte> piece = Piece(id);
            if (stripSpace && piece.Length > 0 && piece[0] == (byte)' ')
            {
                piece = piece[1..];
            }

            stripSpace = false;
            foreach (byte b in piece)
            {
                bytes.Add(b);
            }
        }

        Span<byte> span = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(bytes);
        int length = _settings.CleanSpaces ? SpaceCleanup.Apply(span) : span.Length;
        return Encoding.UTF8.GetString(span[..length]);
    }

    /// <summary>A decoder for streaming output token by token (see <see cref="TokenDecoder"/>).</summary>
    public TokenDecoder CreateDecoder() => new(this);

    /// <summary>The bytes a token decodes to; control and unknown tokens give nothing.</summary>
    internal ReadOnlySpan<byte> Piece(int id)
    {
        CheckId(id);
        return (_settings.Attributes[id] & (TokenAttributes.Control | TokenAttributes.Unknown)) != 0 ? default : _pieces[id];
    }

    private void CheckId(int id)
    {
        if ((uint)id >= (uint)VocabularySize)
        {
            throw new ArgumentOutOfRangeException(nameof(id), id, $"Token id out of range (vocabulary size {VocabularySize}).");
        }
    }

    private static string EscapeSpaces(ReadOnlySpan<char> raw, bool prefix)
    {
        return string.Create(raw.Length + (prefix ? 1 : 0), (Raw: raw.ToString(), Prefix: prefix), static (span, state) =>
        {
            int o = 0;
            if (state.Prefix)
            {
                span[o++] = '\u2581';
            }

            foreach (char c in state.Raw)
            {
                span[o++] = c == ' ' ? '\u2581' : c;
            }
        });
    }

    private static string ReplaceLoneSurrogates(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (!char.IsSurrogate(c))
            {
                continue;
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }

            // As llama.cpp does with invalid UTF-8: an unpaired surrogate becomes U+FFFD.
            return Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(text));
        }

        return text;
    }
}
