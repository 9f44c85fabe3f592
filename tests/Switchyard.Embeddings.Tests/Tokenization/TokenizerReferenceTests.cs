using System.Text.Json;
using Switchyard.Embeddings.Tokenization;

namespace Switchyard.Embeddings.Tests.Tokenization;

/// <summary>
/// Exact ids against HuggingFace's Rust tokenizer (tokenizers 0.23.2) configured as all-MiniLM-L6-v2's
/// tokenizer.json, on the model's own vocab.txt: maths, code, URLs, accents, Greek, Cyrillic, Arabic, Devanagari,
/// CJK, Japanese kana, Hangul, emoji, controls, odd whitespace, long words and a text truncated at 256 tokens.
/// Vectors/make-reference.js produced Vectors/hf-reference.jsonl.
/// </summary>
public sealed class TokenizerReferenceTests
{
    private static readonly Lazy<BertWordPieceTokenizer> SharedTokenizer = new(() =>
        BertWordPieceTokenizer.FromVocabularyFile(Path.Combine(MiniLmEmbedder.DefaultModelDirectory, MiniLmEmbedder.VocabularyFileName)));

    private static readonly Lazy<IReadOnlyList<ReferenceCase>> Cases = new(LoadCases);

    internal static BertWordPieceTokenizer Tokenizer => SharedTokenizer.Value;

    public static TheoryData<int, string> CaseIndexes()
    {
        var data = new TheoryData<int, string>();
        foreach (var c in Cases.Value)
        {
            data.Add(c.Index, c.Text.Length > 40 ? c.Text[..40] + "…" : c.Text);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CaseIndexes))]
    public void Encode_matches_huggingface(int index, string label)
    {
        _ = label;
        var c = Cases.Value[index];
        int[] ids = Tokenizer.Encode(c.Text, MiniLmEmbedder.DefaultMaxTokens);
        Assert.Equal(c.Tokens, ids.Select(Tokenizer.IdToToken));
        Assert.Equal(c.Ids, ids);
    }

    [Fact]
    public void Reference_file_covers_the_tricky_inputs()
    {
        var texts = Cases.Value.Select(c => c.Text).ToList();
        Assert.Contains("$x^2 + y = 10 <= 11 | ~a", texts);
        Assert.Contains("naïve café", texts);
        Assert.Contains("我爱北京天安门", texts);
        Assert.Contains(texts, t => t.Contains("🍕", StringComparison.Ordinal));
        Assert.Contains(new string('a', 101), texts);
        Assert.Contains(Cases.Value, c => c.Ids.Length == MiniLmEmbedder.DefaultMaxTokens);
        Assert.True(Cases.Value.Count >= 30);
    }

    [Fact]
    public void Tokenize_is_the_untruncated_pieces_of_encode()
    {
        foreach (var c in Cases.Value)
        {
            var pieces = Tokenizer.Tokenize(c.Text);
            Assert.Equal(pieces.Count, Tokenizer.CountTokens(c.Text));
            int shown = c.Tokens.Length - 2;
            Assert.Equal(c.Tokens[1..^1], pieces.Take(shown));
            if (c.Ids.Length < MiniLmEmbedder.DefaultMaxTokens)
            {
                Assert.Equal(shown, pieces.Count);
            }
        }
    }

    private static List<ReferenceCase> LoadCases()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Tokenization", "Vectors", "hf-reference.jsonl");
        var cases = new List<ReferenceCase>();
        foreach (string line in File.ReadLines(path))
        {
            if (line.Length == 0)
            {
                continue;
            }

            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            cases.Add(new ReferenceCase(
                cases.Count,
                root.GetProperty("text").GetString()!,
                [.. root.GetProperty("ids").EnumerateArray().Select(e => e.GetInt32())],
                [.. root.GetProperty("tokens").EnumerateArray().Select(e => e.GetString()!)]));
        }

        return cases;
    }

    private sealed record ReferenceCase(int Index, string Text, int[] Ids, string[] Tokens);
}
