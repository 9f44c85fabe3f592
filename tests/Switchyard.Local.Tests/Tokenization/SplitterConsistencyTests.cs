using Switchyard.Local.Tokenization;

namespace Switchyard.Local.Tests.Tokenization;

/// <summary>
/// The hand-written GPT-2 and Llama 3 matchers and the regexes they stand for (run the way llama.cpp runs regexes)
/// split random mixed-script text identically: each implementation checks the other.
/// </summary>
public sealed class SplitterConsistencyTests
{
    private static readonly string[] Alphabet =
    [
        "a", "B", " ", " ", " ", "\n", "\r", "\t", "1", "2", "½", "'", "s", "t", "m", "d", "r", "e", "v", "l", "L", "S", "!", ".",
        "é", "\u0301", "~", "🦙", "\u3000", "\u00A0", "Я", "\u0378", "\u200D", "\u001C", "\u0085", "+", "$",
    ];

    public static TheoryData<string> Pairs => ["gpt2", "llama3"];

    [Theory]
    [MemberData(nameof(Pairs))]
    public void Hand_written_matcher_agrees_with_its_regex(string name)
    {
        (WordSplitter custom, WordSplitter regex) = name == "gpt2"
            ? ((WordSplitter)Gpt2WordSplitter.Instance,
                new RegexWordSplitter(@"'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"))
            : (Llama3WordSplitter.Instance,
                new RegexWordSplitter(@"(?:'[sS]|'[tT]|'[rR][eE]|'[vV][eE]|'[mM]|'[lL][lL]|'[dD])|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"));

        var random = new Random(20240611);
        for (int i = 0; i < 20000; i++)
        {
            string text = string.Concat(Enumerable.Range(0, random.Next(1, 12)).Select(_ => Alphabet[random.Next(Alphabet.Length)]));
            CodepointText cps = CodepointText.From(text);
            var a = new List<int>();
            var b = new List<int>();
            custom.Split(cps, [cps.Length], a);
            regex.Split(cps, [cps.Length], b);
            Assert.True(a.SequenceEqual(b), $"{name} {System.Text.Json.JsonSerializer.Serialize(text)}: [{string.Join(',', a)}] vs [{string.Join(',', b)}]");
        }
    }
}
