using System.Text;

namespace Switchyard.Local.Tests.Tokenization;

/// <summary>Every input of llama.cpp's test vectors gives exactly llama.cpp's ids (add_special=false, parse_special=false).</summary>
public sealed class TokenizerVectorTests
{
    [Theory]
    [InlineData("llama-spm", 46)]
    [InlineData("phi-3", 46)]
    [InlineData("llama-bpe", 46)]
    [InlineData("qwen2", 46)]
    [InlineData("gpt-2", 46)]
    [InlineData("deepseek-coder", 46)]
    public void Matches_llama_cpp_on_every_vector(string vocab, int expectedCount)
    {
        var tokenizer = VocabularyVectors.Tokenizer(vocab);
        IReadOnlyList<string> inputs = VocabularyVectors.Inputs(vocab);
        IReadOnlyList<int[]> outputs = VocabularyVectors.Outputs(vocab);
        Assert.Equal(expectedCount, inputs.Count);
        Assert.Equal(inputs.Count, outputs.Count);

        var failures = new StringBuilder();
        for (int i = 0; i < inputs.Count; i++)
        {
            int[] actual = tokenizer.Encode(inputs[i], addSpecial: false, parseSpecial: false);
            if (!actual.AsSpan().SequenceEqual(outputs[i]))
            {
                failures.AppendLine(System.Globalization.CultureInfo.InvariantCulture,
                    $"#{i} {System.Text.Json.JsonSerializer.Serialize(inputs[i])}: expected [{string.Join(' ', outputs[i])}] got [{string.Join(' ', actual)}]");
            }
        }

        Assert.True(failures.Length == 0, $"{vocab}:\n{failures}");
    }

    [Fact]
    public void One_tokenizer_serves_many_threads()
    {
        var tokenizer = VocabularyVectors.Tokenizer("qwen2");
        IReadOnlyList<string> inputs = VocabularyVectors.Inputs("qwen2");
        IReadOnlyList<int[]> outputs = VocabularyVectors.Outputs("qwen2");
        int mismatches = 0;
        Parallel.For(0, 400, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            int k = i % inputs.Count;
            if (!tokenizer.Encode(inputs[k], false, false).AsSpan().SequenceEqual(outputs[k]))
            {
                Interlocked.Increment(ref mismatches);
            }
        });

        Assert.Equal(0, mismatches);
    }
}
