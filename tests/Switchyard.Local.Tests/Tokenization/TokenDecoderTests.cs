using System.Text;
using Switchyard.Local.Tokenization;

namespace Switchyard.Local.Tests.Tokenization;

/// <summary>Streaming decoding: characters split over several tokens come out whole, once complete.</summary>
public sealed class TokenDecoderTests
{
    [Fact]
    public void Byte_fallback_tokens_are_held_until_the_character_is_complete()
    {
        var spm = VocabularyVectors.Tokenizer("llama-spm");
        int[] llama = spm.Encode("🦙", addSpecial: false, parseSpecial: false);
        Assert.Equal([29871, 243, 162, 169, 156], llama); // ▁ <0xF0> <0x9F> <0xA6> <0x99>

        TokenDecoder decoder = spm.CreateDecoder();
        Assert.Equal(" ", decoder.Append(llama[0]));
        Assert.Equal(string.Empty, decoder.Append(llama[1]));
        Assert.Equal(string.Empty, decoder.Append(llama[2]));
        Assert.Equal(string.Empty, decoder.Append(llama[3]));
        Assert.Equal("🦙", decoder.Append(llama[4]));
        Assert.Equal(string.Empty, decoder.Flush());
    }

    [Fact]
    public void Byte_level_tokens_holding_part_of_a_character_are_held_back()
    {
        var llama3 = VocabularyVectors.Tokenizer("llama-bpe");
        int[] ids = llama3.Encode(" 🦙.cpp", addSpecial: false, parseSpecial: false);
        Assert.Equal([11410, 99, 247, 13, 11055], ids); // " \xF0\x9F" "\xA6" "\x99" "." "cpp"

        TokenDecoder decoder = llama3.CreateDecoder();
        string[] pieces = ids.Select(decoder.Append).ToArray();
        Assert.Equal([" ", string.Empty, "🦙", ".", "cpp"], pieces);
    }

    [Theory]
    [InlineData("qwen2")]
    [InlineData("deepseek-coder")]
    [InlineData("gpt-2")]
    [InlineData("llama-bpe")]
    [InlineData("llama-spm")]
    public void Streamed_pieces_add_up_to_the_text(string vocab)
    {
        var tokenizer = VocabularyVectors.Tokenizer(vocab);
        bool prefix = vocab == "llama-spm";
        foreach (string input in VocabularyVectors.Inputs(vocab))
        {
            TokenDecoder decoder = tokenizer.CreateDecoder();
            var streamed = new StringBuilder();
            foreach (int id in tokenizer.Encode(input, addSpecial: true, parseSpecial: false))
            {
                string piece = decoder.Append(id);
                Assert.False(piece.Any(char.IsSurrogate) && !IsWellFormed(piece), "a piece split a surrogate pair");
                streamed.Append(piece);
            }

            streamed.Append(decoder.Flush());
            Assert.Equal(prefix && input.Length > 0 ? " " + input : input, streamed.ToString());
        }
    }

    [Fact]
    public void Invalid_or_unfinished_bytes_come_out_as_replacement_characters()
    {
        var spm = VocabularyVectors.Tokenizer("llama-spm");
        const int lead = 3 + 0xF0;
        const int continuation = 3 + 0x80;

        TokenDecoder decoder = spm.CreateDecoder();
        Assert.Equal("\uFFFD", decoder.Append(continuation));
        Assert.Equal(string.Empty, decoder.Append(lead));
        Assert.Equal("\uFFFD", decoder.Flush());

        // A lead byte followed by something that does not continue it.
        Assert.Equal(string.Empty, decoder.Append(lead));
        Assert.Equal("\uFFFDA", decoder.Append(3 + 'A'));
        Assert.Equal(string.Empty, decoder.Append(1)); // BOS renders as nothing
    }

    [Fact]
    public void Reset_drops_a_held_back_sequence()
    {
        var spm = VocabularyVectors.Tokenizer("llama-spm");
        TokenDecoder decoder = spm.CreateDecoder();
        Assert.Equal(string.Empty, decoder.Append(3 + 0xE2));
        decoder.Reset();
        Assert.Equal("A", decoder.Append(3 + 'A'));
    }

    private static bool IsWellFormed(string s) => Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(s)) == s;
}
