using System.Collections.Concurrent;
using Switchyard.Local.Gguf;
using Switchyard.Local.Models;
using Switchyard.Local.Synthetic;
using Switchyard.Local.Tests.Infrastructure;
using Switchyard.Local.Tests.Reference;

namespace Switchyard.Local.Tests.Models;

/// <summary>
/// The engine against real llama.cpp on random-weight models of both architectures in every weight format: the same
/// greedy tokens and logits within a small fraction of their spread (quantized formats differ from llama.cpp only in
/// float summation order, but their activations are quantized too, so they get a wider margin).
/// </summary>
public sealed class LlamaCppParityTests
{
    private static readonly int[] Prompt = [1, 300, 301, 302, 310, 320, 330, 340, 350, 360, 370];

    public static TheoryData<string, GgmlType> Cases()
    {
        var data = new TheoryData<string, GgmlType>();
        foreach (string arch in new[] { "llama", "qwen2" })
        {
            foreach (GgmlType type in new[] { GgmlType.F32, GgmlType.F16, GgmlType.BF16, GgmlType.Q8_0, GgmlType.Q4_0, GgmlType.Q4_K, GgmlType.Q6_K })
            {
                data.Add(arch, type);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Greedy_tokens_and_logits_match_llama_cpp(string architecture, GgmlType type)
    {
        string path = SyntheticModelFiles.Get(architecture, type);
        const int n = 8;
        var reference = await LlamaCppReference.GenerateAsync(path, prompt: null, tokens: Prompt, n: n, logits: n, addBos: false);
        using var model = TransformerModel.Load(path);

        // Batches of 4 so the prompt spans several prefill batches, the last one partial.
        var tokens = StoriesModelTests.Greedy(model.CreateSession(64, batchSize: 4), Prompt, n, out float[][] logits);

        float margin = type is GgmlType.F32 or GgmlType.F16 or GgmlType.BF16 ? 0.005f : 0.02f;
        for (int i = 0; i < n; i++)
        {
            StoriesModelTests.AssertClose(reference.Logits[i], logits[i], margin, $"{architecture} {type} step {i}");
        }

        Assert.Equal(reference.Tokens, tokens);
    }

    [Fact]
    public void Hyperparameters_come_from_the_metadata()
    {
        using var llama = TransformerModel.Load(SyntheticModelFiles.Get("llama", GgmlType.F32));
        using var qwen = TransformerModel.Load(SyntheticModelFiles.Get("qwen2", GgmlType.Q8_0));

        Assert.False(llama.Hyperparameters.RopeNeoX);
        Assert.False(llama.Hyperparameters.HasQkvBias);
        Assert.True(qwen.Hyperparameters.RopeNeoX);
        Assert.True(qwen.Hyperparameters.HasQkvBias);
        Assert.Equal(2, qwen.Hyperparameters.GroupSize);
        Assert.Equal(64, qwen.Hyperparameters.HeadDimension);
        Assert.True(llama.WeightBytesPerToken > 3 * qwen.WeightBytesPerToken, "F32 weights are about 3.8 times Q8_0's bytes");
    }

    [Fact]
    public void Tied_output_uses_the_embedding_matrix()
    {
        string dir = TestPaths.NewTempDirectory("tied");
        string tied = Path.Combine(dir, "tied.gguf");
        SyntheticModel.Write(tied, SyntheticModelFiles.Spec("llama", GgmlType.Q8_0) with { TiedOutput = true });
        using var model = TransformerModel.Load(tied);
        var logits = new float[model.Hyperparameters.VocabularySize];

        model.CreateSession(32).Evaluate(Prompt, logits);

        Assert.All(logits, v => Assert.True(float.IsFinite(v)));
        Assert.True(logits.Max() > logits.Min());
    }
}

/// <summary>The small random-weight models the parity tests share, written once per test run.</summary>
internal static class SyntheticModelFiles
{
    private static readonly ConcurrentDictionary<(string, GgmlType), Lazy<string>> Files = new();
    private static readonly Lazy<string> Directory = new(() => TestPaths.NewTempDirectory("synthetic-models"));

    public static SyntheticModelSpec Spec(string architecture, GgmlType type) => new()
    {
        Architecture = architecture,
        EmbeddingLength = 256,
        BlockCount = 2,
        HeadCount = 4,
        HeadCountKv = 2,
        FeedForwardLength = 512,
        VocabularySize = 512,
        ContextLength = 256,
        WeightType = type,
        EmbeddingType = type,
        WeightScale = 2f,
        Seed = 11,
    };

    public static string Get(string architecture, GgmlType type) =>
        Files.GetOrAdd((architecture, type), key => new Lazy<string>(() =>
        {
            string path = Path.Combine(Directory.Value, $"{key.Item1}-{key.Item2}.gguf");
            SyntheticModel.Write(path, Spec(key.Item1, key.Item2));
            return path;
        })).Value;
}
