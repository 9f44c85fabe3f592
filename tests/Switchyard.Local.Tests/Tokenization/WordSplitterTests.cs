using Switchyard.Local.Tokenization;

namespace Switchyard.Local.Tests.Tokenization;

/// <summary>The pre-tokenizer steps and the character tables under them.</summary>
public sealed class WordSplitterTests
{
    private static string[] Split(string text, params WordSplitter[] steps)
    {
        CodepointText cps = CodepointText.From(text);
        List<int> segments = [cps.Length];
        foreach (WordSplitter step in steps)
        {
            var next = new List<int>();
            step.Split(cps, segments, next);
            segments = next;
        }

        var words = new List<string>();
        int start = 0;
        foreach (int length in segments)
        {
            words.Add(string.Concat(cps.Codepoints.Skip(start).Take(length).Select(char.ConvertFromUtf32)));
            start += length;
        }

        return [.. words];
    }

    [Fact]
    public void Gpt2_splits_words_numbers_punctuation_and_spaces()
    {
        Assert.Equal(["Hello", " world", "'s", " ", " 123", "!!", "\n"], Split("Hello world's  123!!\n", Gpt2WordSplitter.Instance));
        Assert.Equal(["I", "'", "M", "'s"], Split("I'M's", Gpt2WordSplitter.Instance)); // contractions: lower case only
    }

    [Fact]
    public void Llama3_groups_digits_by_three_and_keeps_newlines_with_punctuation()
    {
        Assert.Equal(["Hello", " ", "123", "456", "7", " !!\n\n", "We", "'VE"], Split("Hello 1234567 !!\n\nWe'VE", Llama3WordSplitter.Instance));
        Assert.Equal(["\tword", " \n", "  ", " x"], Split("\tword \n   x", Llama3WordSplitter.Instance));
    }

    [Fact]
    public void Category_regexes_run_on_collapsed_text_like_llama_cpp()
    {
        Assert.Equal(@"[^\s\u00D2A-Za-z\u00D10-9]+", RegexWordSplitter.ToDotNet(@"[^\s\p{L}\p{N}]+", collapse: true));
        Assert.Equal(@" ?[\u00D5\$\+<->\^`\|]", RegexWordSplitter.ToDotNet(@" ?\p{S}", collapse: true));

        // Qwen2's regex: single digits, letters with one leading non-letter.
        string[] words = Split("Привет, мир 42!", BpePreTokenizers.Resolve("qwen2").Steps);
        Assert.Equal(["Привет", ",", " мир", " ", "4", "2", "!"], words);

        // As in llama.cpp's collapsed classes, '~' is not in \p{S} (its ASCII list misses it).
        Assert.Equal(["a", "~", "+"], Split("a~+", new RegexWordSplitter(@"\p{L}|\p{S}")));
    }

    [Fact]
    public void Plain_regexes_run_on_code_points_and_keep_unmatched_text()
    {
        var cjk = new RegexWordSplitter(@"[\u4E00-\u9FA5]+");
        Assert.Equal(["ab ", "我想在", "🦙x"], Split("ab 我想在🦙x", cjk));
    }

    [Fact]
    public void Unicode_classes_follow_llama_cpp_tables()
    {
        Assert.Equal(CodepointFlags.Letter, UnicodeClasses.Of('a'));
        Assert.Equal(CodepointFlags.Number, UnicodeClasses.Of('½'));
        Assert.Equal(CodepointFlags.Mark, UnicodeClasses.Of(0x17B6)); // Khmer vowel sign
        Assert.Equal(CodepointFlags.Symbol, UnicodeClasses.Of(0x1F999)); // 🦙
        Assert.Equal(CodepointFlags.Undefined, UnicodeClasses.Of(0x0378));
        Assert.Equal(CodepointFlags.Separator | CodepointFlags.Whitespace, UnicodeClasses.Of(0x3000));
        Assert.Equal(CodepointFlags.Control | CodepointFlags.Whitespace, UnicodeClasses.Of('\n'));
        Assert.Equal(CodepointFlags.Control, UnicodeClasses.Of(0x1C)); // not \s for llama.cpp
        Assert.Equal(CodepointFlags.Control, UnicodeClasses.Of(0x200D)); // zero width joiner
    }

    [Fact]
    public void Byte_level_map_is_gpt2s()
    {
        Assert.Equal('Ġ', ByteLevelMap.Encode((byte)' '));
        Assert.Equal('Ċ', ByteLevelMap.Encode((byte)'\n'));
        Assert.Equal('!', ByteLevelMap.Encode((byte)'!'));
        for (int b = 0; b < 256; b++)
        {
            Assert.Equal(b, ByteLevelMap.Decode(ByteLevelMap.Encode((byte)b)));
        }

        Assert.Equal(-1, ByteLevelMap.Decode('€'));
    }
}
