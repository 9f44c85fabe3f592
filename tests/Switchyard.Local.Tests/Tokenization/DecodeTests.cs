namespace Switchyard.Local.Tests.Tokenization;

/// <summary>Decoding as llama.cpp's llama_detokenize (special tokens not rendered).</summary>
public sealed class DecodeTests
{
    [Theory]
    [InlineData("llama-spm")]
    [InlineData("phi-3")]
    [InlineData("qwen2")]
    [InlineData("deepseek-coder")]
    public void Every_vector_input_round_trips(string vocab)
    {
        var tokenizer = VocabularyVectors.Tokenizer(vocab);
        foreach (string input in VocabularyVectors.Inputs(vocab))
        {
            Assert.Equal(input, tokenizer.Decode(tokenizer.Encode(input, addSpecial: false, parseSpecial: false)));
        }
    }

    [Theory]
    [InlineData("llama-bpe")]
    [InlineData("gpt-2")]
    public void Vector_inputs_round_trip_where_space_clean_up_does_not_apply(string vocab)
    {
        var tokenizer = VocabularyVectors.Tokenizer(vocab);
        string[] cleaned = [" ?", " !", " .", " ,", " '"];
        int checkedCount = 0;
        foreach (string input in VocabularyVectors.Inputs(vocab).Where(s => !cleaned.Any(c => s.Contains(c, StringComparison.Ordinal))))
        {
            Assert.Equal(input, tokenizer.Decode(tokenizer.Encode(input, addSpecial: false, parseSpecial: false)));
            checkedCount++;
        }

        Assert.True(checkedCount > 30, $"only {checkedCount} inputs checked");
    }

    [Theory]
    [InlineData("Hello , world !", "Hello, world!")]
    [InlineData("it 's , I 'm sure they 're here", "it's, I'm sure they're here")]
    [InlineData("don 't ' quote '", "don 't'quote '")]
    public void Gpt2_style_vocabularies_clean_up_spaces_like_llama_cpp(string text, string decoded)
    {
        var tokenizer = VocabularyVectors.Tokenizer("llama-bpe");
        Assert.Equal(decoded, tokenizer.Decode(tokenizer.Encode(text, false, false)));

        // Qwen2 does not ask for the clean-up.
        var qwen = VocabularyVectors.Tokenizer("qwen2");
        Assert.Equal(text, qwen.Decode(qwen.Encode(text, false, false)));
    }

    [Fact]
    public void SentencePiece_drops_the_prefix_space_of_the_first_token_only()
    {
        var spm = VocabularyVectors.Tokenizer("llama-spm");
        int[] ids = spm.Encode(" Hello world", addSpecial: false, parseSpecial: false);
        Assert.Equal(" Hello world", spm.Decode(ids));
        Assert.Equal("Hello world", spm.Decode(ids.AsSpan(1)));

        // As llama.cpp: the space strip is spent on a leading BOS (which renders as nothing).
        Assert.Equal(" Hello", spm.Decode(spm.Encode("Hello", addSpecial: true, parseSpecial: false)));
    }

    [Fact]
    public void Control_tokens_render_as_nothing_and_pieces_decode_bytes()
    {
        var spm = VocabularyVectors.Tokenizer("llama-spm");
        Assert.Equal(string.Empty, spm.Decode([1, 2]));
        Assert.Equal("\n", spm.Decode([13]));
        Assert.Equal("▁", spm.TokenText(29871));
        Assert.Equal("<0x0A>", spm.TokenText(13));

        var gpt2 = VocabularyVectors.Tokenizer("gpt-2");
        Assert.Equal("Ġworld", gpt2.TokenText(995));
        Assert.Equal(" world", gpt2.Decode([995]));
        Assert.Equal("\n\n", gpt2.Decode([628]));
        Assert.Throws<ArgumentOutOfRangeException>(() => gpt2.Decode([gpt2.VocabularySize]));
    }
}
