using Switchyard.Local.Gguf;
using Switchyard.Local.Tokenization;

namespace Switchyard.Local.Tests.Tokenization;

/// <summary>The algorithms on small hand-made vocabularies, built from plain data and from GGUF metadata.</summary>
public sealed class SyntheticVocabularyTests
{
    private static TokenizerVocabulary Spm(params (string Text, float Score)[] extra)
    {
        var tokens = new List<string> { "<unk>", "<s>", "</s>" };
        var types = new List<int> { GgufTokenType.Unknown, GgufTokenType.Control, GgufTokenType.Control };
        var scores = new List<float> { 0, 0, 0 };
        for (int b = 0; b < 256; b++)
        {
            tokens.Add($"<0x{b:X2}>");
            types.Add(GgufTokenType.Byte);
            scores.Add(0);
        }

        foreach ((string text, float score) in extra)
        {
            tokens.Add(text);
            types.Add(GgufTokenType.Normal);
            scores.Add(score);
        }

        return new TokenizerVocabulary { Model = TokenizerModelKind.SentencePiece, Tokens = tokens, TokenTypes = types, Scores = scores };
    }

    private static int Id(GgufTokenizer tokenizer, string text) =>
        Enumerable.Range(0, tokenizer.VocabularySize).Single(i => tokenizer.TokenText(i) == text);

    [Fact]
    public void SentencePiece_merges_the_best_scoring_pair_first()
    {
        var tokenizer = new GgufTokenizer(Spm(("▁", -5), ("a", -5), ("b", -5), ("c", -5), ("ab", -1), ("bc", -2), ("▁a", -0.5f), ("abc", -0.1f)));

        // "▁abc": ▁a (-0.5) beats ab (-1) and bc (-2); then only bc is left, and ▁abc is no token.
        Assert.Equal([Id(tokenizer, "▁a"), Id(tokenizer, "bc")], tokenizer.Encode("abc", false, false));
    }

    [Fact]
    public void SentencePiece_takes_the_leftmost_pair_on_equal_scores()
    {
        var tokenizer = new GgufTokenizer(Spm(("▁", -5), ("a", -5), ("aa", -1)));
        Assert.Equal([Id(tokenizer, "▁"), Id(tokenizer, "aa"), Id(tokenizer, "a")], tokenizer.Encode("aaa", false, false));
    }

    [Fact]
    public void SentencePiece_falls_back_to_byte_tokens()
    {
        var tokenizer = new GgufTokenizer(Spm(("▁", -5), ("a", -5)));
        Assert.Equal([Id(tokenizer, "▁"), 3 + 0xC3, 3 + 0xA9, Id(tokenizer, "a")], tokenizer.Encode("éa", false, false));
        Assert.Equal([1, Id(tokenizer, "▁"), Id(tokenizer, "a")], tokenizer.Encode("a", true, false));
        Assert.Equal("éa", tokenizer.Decode(tokenizer.Encode("éa", false, false)));
    }

    private static GgufTokenizer Bpe(params string[] merges) => new(new TokenizerVocabulary
    {
        Model = TokenizerModelKind.BytePairEncoding,
        PreTokenizer = "gpt-2",
        Tokens = ["a", "b", "c", "ab", "bc", "abc", "Ġ", "Ġa", "<|endoftext|>"],
        TokenTypes = [1, 1, 1, 1, 1, 1, 1, 1, GgufTokenType.Control],
        Merges = merges,
        EosId = 8,
        BosId = 8,
    });

    [Fact]
    public void Bpe_applies_merges_by_rank()
    {
        Assert.Equal([3, 2], Bpe("a b", "b c").Encode("abc", false, false));
        Assert.Equal([0, 4], Bpe("b c", "a b").Encode("abc", false, false));
        Assert.Equal([5], Bpe("b c", "a b", "a bc").Encode("abc", false, false));
    }

    [Fact]
    public void Bpe_words_are_split_first_and_special_tokens_are_cut_out()
    {
        GgufTokenizer tokenizer = Bpe("a b", "Ġ a");
        Assert.Equal([3, 6, 3], tokenizer.Encode("ab ab", false, false)); // "Ġab": a+b (rank 0) first, then Ġ+ab is no merge
        Assert.Equal([7, 4], Bpe("Ġ a", "b c").Encode(" abc", false, false));
        Assert.Equal([3, 8, 7], tokenizer.Encode("ab<|endoftext|> a", false, true));
        Assert.True(tokenizer.IsEndOfGeneration(8));
        Assert.Equal("ab ab", tokenizer.Decode([3, 6, 3]));
        Assert.Equal("ab a", tokenizer.Decode([3, 8, 7]));
    }

    [Fact]
    public void Built_from_gguf_metadata_with_llama_cpp_defaults()
    {
        var values = new Dictionary<string, GgufValue>
        {
            ["tokenizer.ggml.model"] = GgufValue.From("gpt2"),
            ["tokenizer.ggml.pre"] = GgufValue.From("qwen2"),
            ["tokenizer.ggml.tokens"] = GgufValue.From(new[] { "a", "b", "ab", "<|im_start|>", "<|im_end|>" }),
            ["tokenizer.ggml.token_type"] = GgufValue.From(new[] { 1, 1, 1, 3, 3 }),
            ["tokenizer.ggml.merges"] = GgufValue.From(new[] { "a b" }),
            ["tokenizer.ggml.eos_token_id"] = GgufValue.From(4u),
        };
        var tokenizer = GgufTokenizer.FromMetadata(new GgufMetadata("test.gguf", values));

        Assert.Equal(5, tokenizer.VocabularySize);
        Assert.Equal(4, tokenizer.EosTokenId);
        Assert.Null(tokenizer.BosTokenId); // llama.cpp's BPE default (11) is outside this vocabulary
        Assert.False(tokenizer.AddBos);
        Assert.True(tokenizer.IsEndOfGeneration(4));
        Assert.Equal([3, 2, 4], tokenizer.Encode("<|im_start|>ab<|im_end|>", true, true));
    }

    [Fact]
    public void Spm_from_metadata_accepts_missing_types_and_scores()
    {
        var values = new Dictionary<string, GgufValue>
        {
            ["tokenizer.ggml.model"] = GgufValue.From("llama"),
            ["tokenizer.ggml.tokens"] = GgufValue.From(new[] { "<unk>", "<s>", "</s>", "▁", "x", "▁x" }),
            ["tokenizer.ggml.add_bos_token"] = GgufValue.From(false),
        };
        var tokenizer = GgufTokenizer.FromMetadata(new GgufMetadata("test.gguf", values));

        Assert.Equal(1, tokenizer.BosTokenId);
        Assert.False(tokenizer.AddBos);
        Assert.Equal([5], tokenizer.Encode("x", true, false));
    }

    [Fact]
    public void Unsupported_or_broken_metadata_is_reported()
    {
        var wrongModel = new Dictionary<string, GgufValue>
        {
            ["tokenizer.ggml.model"] = GgufValue.From("bert"),
            ["tokenizer.ggml.tokens"] = GgufValue.From(new[] { "a" }),
        };
        Assert.Throws<NotSupportedException>(() => GgufTokenizer.FromMetadata(new GgufMetadata("m.gguf", wrongModel)));

        var unknownPre = new Dictionary<string, GgufValue>
        {
            ["tokenizer.ggml.model"] = GgufValue.From("gpt2"),
            ["tokenizer.ggml.pre"] = GgufValue.From("no-such-pre"),
            ["tokenizer.ggml.tokens"] = GgufValue.From(new[] { "a" }),
            ["tokenizer.ggml.merges"] = GgufValue.From(Array.Empty<string>()),
        };
        var error = Assert.Throws<NotSupportedException>(() => GgufTokenizer.FromMetadata(new GgufMetadata("m.gguf", unknownPre)));
        Assert.Contains("no-such-pre", error.Message, StringComparison.Ordinal);

        var noTokens = new Dictionary<string, GgufValue> { ["tokenizer.ggml.model"] = GgufValue.From("llama") };
        var missing = Assert.Throws<GgufFormatException>(() => GgufTokenizer.FromMetadata(new GgufMetadata("m.gguf", noTokens)));
        Assert.Contains("tokenizer.ggml.tokens", missing.Message, StringComparison.Ordinal);
    }
}
