namespace Switchyard.Local.Tests.Tokenization;

/// <summary>BOS/EOS handling, special-token parsing and the end-of-generation set on the real vocabularies.</summary>
public sealed class SpecialTokenTests
{
    [Fact]
    public void Chat_template_markers_become_tokens_only_when_special_tokens_are_parsed()
    {
        var qwen = VocabularyVectors.Tokenizer("qwen2");
        string prompt = "<|im_start|>user\nHi there<|im_end|>\n<|im_start|>assistant\n";

        int[] parsed = qwen.Encode(prompt, addSpecial: false, parseSpecial: true);
        int[] expected =
        [
            151644, .. qwen.Encode("user\nHi there", false, false), 151645,
            .. qwen.Encode("\n", false, false), 151644, .. qwen.Encode("assistant\n", false, false),
        ];
        Assert.Equal(expected, parsed);

        int[] literal = qwen.Encode(prompt, addSpecial: false, parseSpecial: false);
        Assert.DoesNotContain(151644, literal);
        Assert.DoesNotContain(151645, literal);
        Assert.Equal(prompt, qwen.Decode(literal));
    }

    [Fact]
    public void Llama3_header_tokens_are_parsed_and_bos_is_added()
    {
        var llama3 = VocabularyVectors.Tokenizer("llama-bpe");
        int[] ids = llama3.Encode("<|start_header_id|>user<|end_header_id|>\n\nHello<|eot_id|>", addSpecial: true, parseSpecial: true);

        Assert.Equal(128000, ids[0]);
        Assert.Equal(128006, ids[1]);
        Assert.Equal(128007, ids[3]);
        Assert.Equal(128009, ids[^1]);
        Assert.Equal([128000, 9906], llama3.Encode("Hello", addSpecial: true, parseSpecial: false));
    }

    [Fact]
    public void User_defined_tokens_are_matched_even_without_parsing_special_tokens()
    {
        var deepseek = VocabularyVectors.Tokenizer("deepseek-coder");
        Assert.Equal("õ", deepseek.TokenText(32000));
        int[] ids = deepseek.Encode("aõb", addSpecial: false, parseSpecial: false);
        Assert.Equal([.. deepseek.Encode("a", false, false), 32000, .. deepseek.Encode("b", false, false)], ids);

        var qwen = VocabularyVectors.Tokenizer("qwen2");
        Assert.Equal([151646], qwen.Encode("[PAD151646]", addSpecial: false, parseSpecial: false));
    }

    [Fact]
    public void Control_tokens_in_text_stay_text_without_parse_special()
    {
        var spm = VocabularyVectors.Tokenizer("llama-spm");
        int[] literal = spm.Encode("<s>", addSpecial: false, parseSpecial: false);
        Assert.DoesNotContain(1, literal);
        Assert.True(literal.Length > 1);
        Assert.Equal([1], spm.Encode("<s>", addSpecial: false, parseSpecial: true));
    }

    [Fact]
    public void Phi3_special_tokens_swallow_the_whitespace_after_them_except_bos()
    {
        var phi3 = VocabularyVectors.Tokenizer("phi-3");

        // <|user|> is rstrip (llama.cpp's Phi-3 fix-up): the newline and spaces after it are dropped.
        Assert.Equal([32010, .. phi3.Encode("Hi", false, false)], phi3.Encode("<|user|>\n  Hi", addSpecial: false, parseSpecial: true));

        // <s> is not: the space stays (and, as after any special token, SentencePiece prefixes another).
        Assert.Equal([1, .. phi3.Encode(" Hi", false, false)], phi3.Encode("<s> Hi", addSpecial: false, parseSpecial: true));

        // </s> is user-defined in the file but an end-of-generation token, so llama.cpp makes it a control token.
        Assert.DoesNotContain(2, phi3.Encode("</s>", addSpecial: false, parseSpecial: false));
        Assert.Equal([2], phi3.Encode("</s>", addSpecial: false, parseSpecial: true));
    }

    [Theory]
    [InlineData("llama-spm", 1, true, 2)]
    [InlineData("phi-3", 1, true, 32000)]
    [InlineData("llama-bpe", 128000, true, 128001)]
    [InlineData("qwen2", 151643, false, 151643)]
    [InlineData("gpt-2", 50256, false, 50256)]
    [InlineData("deepseek-coder", 32013, true, 32014)]
    public void Bos_and_eos_follow_the_metadata_and_llama_cpp_defaults(string vocab, int bos, bool addBos, int eos)
    {
        var tokenizer = VocabularyVectors.Tokenizer(vocab);
        Assert.Equal(bos, tokenizer.BosTokenId);
        Assert.Equal(eos, tokenizer.EosTokenId);
        Assert.Equal(addBos, tokenizer.AddBos);
        Assert.False(tokenizer.AddEos);

        int[] plain = tokenizer.Encode("Hello world", addSpecial: false, parseSpecial: false);
        int[] special = tokenizer.Encode("Hello world", addSpecial: true, parseSpecial: false);
        Assert.Equal(addBos ? [bos, .. plain] : plain, special);
        Assert.Equal(addBos ? [bos] : [], tokenizer.Encode(string.Empty, addSpecial: true, parseSpecial: false));
    }

    [Theory]
    [InlineData("llama-spm", new[] { 2 }, new[] { 0, 1, 13 })]
    [InlineData("phi-3", new[] { 2, 32000, 32007 }, new[] { 1, 32001, 32010 })]
    [InlineData("llama-bpe", new[] { 128001, 128009 }, new[] { 128000, 128006, 128007, 128008 })]
    [InlineData("qwen2", new[] { 151643, 151645 }, new[] { 151644, 198 })]
    [InlineData("gpt-2", new[] { 50256 }, new[] { 198 })]
    [InlineData("deepseek-coder", new[] { 32014 }, new[] { 32013, 32000 })]
    public void End_of_generation_set_matches_llama_cpp(string vocab, int[] endings, int[] others)
    {
        var tokenizer = VocabularyVectors.Tokenizer(vocab);
        Assert.All(endings, id => Assert.True(tokenizer.IsEndOfGeneration(id), $"{id} ({tokenizer.TokenText(id)}) should end generation"));
        Assert.All(others, id => Assert.False(tokenizer.IsEndOfGeneration(id), $"{id} ({tokenizer.TokenText(id)}) should not end generation"));
    }

    [Fact]
    public void End_of_turn_token_is_found_by_its_text()
    {
        Assert.Equal(128009, VocabularyVectors.Tokenizer("llama-bpe").EotTokenId);
        Assert.Equal(151645, VocabularyVectors.Tokenizer("qwen2").EotTokenId);
        Assert.Equal(32007, VocabularyVectors.Tokenizer("phi-3").EotTokenId);
    }
}
