using Switchyard.Embeddings.Tokenization;

namespace Switchyard.Embeddings.Tests.Tokenization;

public sealed class TokenizerBehaviourTests
{
    private static BertWordPieceTokenizer Tokenizer => TokenizerReferenceTests.Tokenizer;

    [Fact]
    public void Hello_world_is_its_vocabulary_lines()
    {
        // vocab.txt is fixed: line 101 is [CLS], 102 [SEP], 7592 "hello", 2088 "world" (0-based).
        Assert.Equal([101, 7592, 2088, 102], Tokenizer.Encode("hello world", 256));
        Assert.Equal("[CLS]", Tokenizer.IdToToken(101));
        Assert.Equal("[SEP]", Tokenizer.IdToToken(102));
        Assert.Equal("hello", Tokenizer.IdToToken(7592));
        Assert.Equal("world", Tokenizer.IdToToken(2088));
        Assert.Equal(30522, Tokenizer.VocabularySize);
        Assert.Equal((0, 100, 101, 102), (Tokenizer.PadId, Tokenizer.UnkId, Tokenizer.ClsId, Tokenizer.SepId));
    }

    [Theory]
    [InlineData("$")]
    [InlineData("+")]
    [InlineData("<")]
    [InlineData("=")]
    [InlineData(">")]
    [InlineData("^")]
    [InlineData("|")]
    [InlineData("~")]
    [InlineData("`")]
    [InlineData("\\")]
    [InlineData("{")]
    [InlineData("@")]
    public void Maths_and_code_symbols_are_kept_as_their_own_token(string symbol)
    {
        Assert.Equal([symbol], Tokenizer.Tokenize(symbol));
        Assert.Equal(["a", symbol, "b"], Tokenizer.Tokenize($"a{symbol}b"));
    }

    [Fact]
    public void Maths_expression_keeps_every_operator()
    {
        Assert.Equal(
            ["$", "x", "^", "2", "+", "y", "=", "10", "<", "=", "11", "|", "~", "a"],
            Tokenizer.Tokenize("$x^2 + y = 10 <= 11 | ~a"));
    }

    [Fact]
    public void Accents_are_stripped_and_text_lowercased()
    {
        Assert.Equal(["naive", "cafe"], Tokenizer.Tokenize("naïve café"));
        Assert.Equal(Tokenizer.Tokenize("NAIVE CAFE"), Tokenizer.Tokenize("NAÏVE CAFÉ"));
        // A decomposed accent (e + combining acute) folds like the precomposed one.
        Assert.Equal(Tokenizer.Tokenize("caf\u00e9"), Tokenizer.Tokenize("cafe\u0301"));
        Assert.Equal(["istanbul"], Tokenizer.Tokenize("İstanbul"));
    }

    [Fact]
    public void Cjk_ideographs_are_split_per_character()
    {
        Assert.Equal(["北", "京"], Tokenizer.Tokenize("北京"));
        Assert.Equal(["a", "北", "b"], Tokenizer.Tokenize("a北b"));
    }

    [Fact]
    public void Emoji_become_unknown()
    {
        Assert.Equal(["[UNK]"], Tokenizer.Tokenize("🍕"));
        Assert.Equal(["i", "love", "pizza", "[UNK]", "!"], Tokenizer.Tokenize("I love pizza 🍕!"));
    }

    [Fact]
    public void Words_over_100_characters_become_one_unknown()
    {
        Assert.Equal(["[UNK]"], Tokenizer.Tokenize(new string('x', 101)));
        Assert.DoesNotContain("[UNK]", Tokenizer.Tokenize(new string('x', 100)));
        // Punctuation splits words first: 60 + 60 letters around a dot are two words, not one over 100.
        Assert.DoesNotContain("[UNK]", Tokenizer.Tokenize(new string('x', 60) + "." + new string('x', 60)));
        // Code points count, not UTF-16 units: 60 astral letters are 120 units but one word under the limit.
        var astral = string.Concat(Enumerable.Repeat("𝔘", 60));
        Assert.Equal(["[UNK]"], Tokenizer.Tokenize(astral)); // not in the vocabulary, so one [UNK] either way
        Assert.Equal(["[UNK]", "[UNK]"], Tokenizer.Tokenize(astral + " " + new string('x', 101)));
    }

    [Fact]
    public void Controls_and_lone_surrogates_are_removed()
    {
        Assert.Equal(Tokenizer.Tokenize("ab"), Tokenizer.Tokenize("a\u0000b"));
        Assert.Equal(Tokenizer.Tokenize("ab"), Tokenizer.Tokenize("a\u200Bb"));
        Assert.Equal(Tokenizer.Tokenize("ab"), Tokenizer.Tokenize("a\uD800b"));
        Assert.Equal(Tokenizer.Tokenize("ab"), Tokenizer.Tokenize("a\uDC00b"));
        Assert.Equal(Tokenizer.Tokenize("a b"), Tokenizer.Tokenize("a\u3000b"));
        Assert.Empty(Tokenizer.Tokenize(" \t\r\n\u00a0"));
    }

    [Fact]
    public void Truncates_to_max_tokens_with_cls_and_sep()
    {
        string text = string.Join(' ', Enumerable.Range(0, 400).Select(i => $"word{i}"));
        Assert.True(Tokenizer.CountTokens(text) > 254);

        int[] full = Tokenizer.Encode(text, 256);
        Assert.Equal(256, full.Length);
        Assert.Equal(Tokenizer.ClsId, full[0]);
        Assert.Equal(Tokenizer.SepId, full[^1]);
        Assert.Equal(Tokenizer.Tokenize(text).Take(254), full[1..^1].Select(Tokenizer.IdToToken));

        int[] short10 = Tokenizer.Encode(text, 10);
        Assert.Equal(10, short10.Length);
        Assert.Equal(full[..9], short10[..9]);
        Assert.Equal(Tokenizer.SepId, short10[^1]);

        Assert.Equal([Tokenizer.ClsId, Tokenizer.SepId], Tokenizer.Encode(text, 2));
        Assert.Equal([Tokenizer.ClsId, Tokenizer.SepId], Tokenizer.Encode("", 256));
    }

    [Fact]
    public void Truncation_cuts_inside_a_word_like_huggingface()
    {
        // "unbelievably" is un ##bel ##ie ##va ##bly: with room for 3 pieces the word is cut after ##ie.
        Assert.Equal(["[CLS]", "un", "##bel", "##ie", "[SEP]"], Tokenizer.Encode("unbelievably", 5).Select(Tokenizer.IdToToken));
    }

    [Fact]
    public void Span_encode_fills_the_destination()
    {
        Span<int> destination = stackalloc int[4];
        int count = Tokenizer.Encode("hello big world", destination);
        Assert.Equal(4, count);
        Assert.Equal([101, 7592, 2502, 102], destination.ToArray());
        Assert.Throws<ArgumentException>(() => Tokenizer.Encode("x", new int[1]));
        Assert.Throws<ArgumentOutOfRangeException>(() => Tokenizer.Encode("x", 1));
        Assert.Throws<ArgumentNullException>(() => Tokenizer.Encode(null!, 10));
    }

    [Fact]
    public void Is_thread_safe()
    {
        string[] texts = [.. Enumerable.Range(0, 64).Select(i => $"Prompt {i}: solve $x^{i} + {i}y = {i * 3}$ — naïve café 北京 🍕 {new string('z', i)}")];
        int[][] expected = [.. texts.Select(t => Tokenizer.Encode(t, 64))];
        var actual = new int[texts.Length * 8][];
        Parallel.For(0, actual.Length, new ParallelOptions { MaxDegreeOfParallelism = 8 }, i => actual[i] = Tokenizer.Encode(texts[i % texts.Length], 64));
        for (int i = 0; i < actual.Length; i++)
        {
            Assert.Equal(expected[i % texts.Length], actual[i]);
        }
    }

    [Fact]
    public void Vocabulary_needs_the_special_tokens()
    {
        var error = Assert.Throws<InvalidDataException>(() => new BertWordPieceTokenizer(["[PAD]", "[UNK]", "[CLS]", "hello"]));
        Assert.Contains("[SEP]", error.Message, StringComparison.Ordinal);
        Assert.Throws<FileNotFoundException>(() => BertWordPieceTokenizer.FromVocabularyFile(Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N"), "vocab.txt")));
    }

    [Fact]
    public void Small_vocabulary_follows_greedy_longest_match()
    {
        var tokenizer = new BertWordPieceTokenizer(["[PAD]", "[UNK]", "[CLS]", "[SEP]", "un", "##aff", "##able", "##a", "##ff", "aff"]);
        Assert.Equal(["un", "##aff", "##able"], tokenizer.Tokenize("unaffable"));
        Assert.Equal(["aff", "##a"], tokenizer.Tokenize("AFFA"));
        Assert.Equal(["[UNK]"], tokenizer.Tokenize("unx")); // one unmatched part makes the whole word [UNK]
    }

    [Fact]
    public void Accent_table_is_loaded()
    {
        Assert.True(AccentFolding.TableSize > 2000);
        Span<System.Text.Rune> folded = stackalloc System.Text.Rune[AccentFolding.MaxFoldedLength];
        Assert.Equal(1, AccentFolding.Fold(new System.Text.Rune('é'), folded));
        Assert.Equal(new System.Text.Rune('e'), folded[0]);
        Assert.Equal(3, AccentFolding.Fold(new System.Text.Rune('한'), folded)); // Hangul: L V T jamo
        Assert.Equal(0, AccentFolding.Fold(new System.Text.Rune('\u0301'), folded));
    }
}
