using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Switchyard.Local.Gguf;
using Switchyard.Local.Kernels;
using Switchyard.Local.Synthetic;
using Switchyard.Local.Tests.Infrastructure;
using Switchyard.Local.Tests.Reference;
using Switchyard.Local.Tokenization;

namespace Switchyard.Local.Tests.Synthetic;

public sealed class SyntheticModelTests : IDisposable
{
    private readonly string _dir = TestPaths.NewTempDirectory("synthetic");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void The_same_spec_gives_a_byte_identical_file()
    {
        var spec = new SyntheticModelSpec { WeightType = GgmlType.Q4_K, EmbeddingType = GgmlType.Q8_0 };

        string a = Write(spec, "a.gguf");
        string b = Write(spec with { }, "b.gguf");

        Assert.Equal(Hash(a), Hash(b));
    }

    [Fact]
    public void A_different_seed_gives_different_weights_of_the_same_layout()
    {
        var spec = new SyntheticModelSpec();

        string a = Write(spec, "a.gguf");
        string b = Write(spec with { Seed = 2 }, "b.gguf");

        Assert.NotEqual(Hash(a), Hash(b));
        using GgufFile fa = GgufFile.Open(a);
        using GgufFile fb = GgufFile.Open(b);
        Assert.Equal(fa.Length, fb.Length);
        Assert.Equal(fa.Tensors.Select(t => (t.Name, t.Offset)), fb.Tensors.Select(t => (t.Name, t.Offset)));
        Assert.False(fa.GetTensorBytes(fa.GetTensor("blk.1.ffn_down.weight")).SequenceEqual(fb.GetTensorBytes(fb.GetTensor("blk.1.ffn_down.weight"))));
    }

    [Theory]
    [InlineData("llama", GgmlType.F32, GgmlType.F32, false)]
    [InlineData("llama", GgmlType.Q4_K, GgmlType.Q6_K, true)]
    [InlineData("qwen2", GgmlType.Q8_0, GgmlType.F16, false)]
    [InlineData("qwen2", GgmlType.Q4_0, GgmlType.BF16, true)]
    public void The_file_has_the_metadata_and_the_tensors_of_the_spec(string arch, GgmlType weights, GgmlType embeddings, bool tied)
    {
        var spec = new SyntheticModelSpec
        {
            Architecture = arch,
            Name = "tiny",
            EmbeddingLength = 256,
            BlockCount = 3,
            HeadCount = 8,
            HeadCountKv = 2,
            FeedForwardLength = 768,
            VocabularySize = 400,
            ContextLength = 128,
            RopeFrequencyBase = 1e6f,
            RmsEpsilon = 1e-6f,
            WeightType = weights,
            EmbeddingType = embeddings,
            TiedOutput = tied,
        };

        using GgufFile file = GgufFile.Open(Write(spec, "model.gguf"));

        GgufMetadata m = file.Metadata;
        Assert.Equal(3u, file.Version);
        Assert.Equal(arch, m.GetString("general.architecture"));
        Assert.Equal("tiny", m.GetString("general.name"));
        Assert.Equal(128u, m.GetUInt32($"{arch}.context_length"));
        Assert.Equal(256u, m.GetUInt32($"{arch}.embedding_length"));
        Assert.Equal(3u, m.GetUInt32($"{arch}.block_count"));
        Assert.Equal(768u, m.GetUInt32($"{arch}.feed_forward_length"));
        Assert.Equal(8u, m.GetUInt32($"{arch}.attention.head_count"));
        Assert.Equal(2u, m.GetUInt32($"{arch}.attention.head_count_kv"));
        Assert.Equal(32u, m.GetUInt32($"{arch}.rope.dimension_count"));
        Assert.Equal(1e6f, m.GetFloat32($"{arch}.rope.freq_base"));
        Assert.Equal(1e-6f, m.GetFloat32($"{arch}.attention.layer_norm_rms_epsilon"));

        var expected = new List<(string Name, GgmlType Type, long[] Dims)>
        {
            ("token_embd.weight", embeddings, [256, 400]),
            ("output_norm.weight", GgmlType.F32, [256]),
        };
        if (!tied)
        {
            expected.Add(("output.weight", embeddings, [256, 400]));
        }

        for (int i = 0; i < 3; i++)
        {
            expected.Add(($"blk.{i}.attn_norm.weight", GgmlType.F32, [256]));
            expected.Add(($"blk.{i}.attn_q.weight", weights, [256, 256]));
            expected.Add(($"blk.{i}.attn_k.weight", weights, [256, 64]));
            expected.Add(($"blk.{i}.attn_v.weight", weights, [256, 64]));
            if (arch == "qwen2")
            {
                expected.Add(($"blk.{i}.attn_q.bias", GgmlType.F32, [256]));
                expected.Add(($"blk.{i}.attn_k.bias", GgmlType.F32, [64]));
                expected.Add(($"blk.{i}.attn_v.bias", GgmlType.F32, [64]));
            }

            expected.Add(($"blk.{i}.attn_output.weight", weights, [256, 256]));
            expected.Add(($"blk.{i}.ffn_norm.weight", GgmlType.F32, [256]));
            expected.Add(($"blk.{i}.ffn_gate.weight", weights, [256, 768]));
            expected.Add(($"blk.{i}.ffn_up.weight", weights, [256, 768]));
            expected.Add(($"blk.{i}.ffn_down.weight", weights, [768, 256]));
        }

        Assert.Equal(expected.Select(e => e.Name).Order(StringComparer.Ordinal), file.Tensors.Select(t => t.Name).Order(StringComparer.Ordinal));
        foreach ((string name, GgmlType type, long[] dims) in expected)
        {
            GgufTensorInfo tensor = file.GetTensor(name);
            Assert.True(type == tensor.Type, $"{name}: {tensor.Type}, expected {type}");
            Assert.True(dims.SequenceEqual(tensor.Dimensions), $"{name}: {tensor.Shape}, expected [{string.Join(", ", dims)}]");
        }
    }

    [Fact]
    public void F32_weights_are_uniform_in_the_scaled_range_and_norms_are_near_one()
    {
        var spec = new SyntheticModelSpec { Architecture = "qwen2", WeightScale = 2f };

        using GgufFile file = GgufFile.Open(Write(spec, "model.gguf"));

        float[] down = Floats(file, "blk.0.ffn_down.weight");
        float bound = 2f / MathF.Sqrt(512);
        Assert.All(down, v => Assert.InRange(v, -bound, bound));
        Assert.InRange(down.Average(), -0.02 * bound, 0.02 * bound);
        Assert.InRange(down.Max(), 0.99f * bound, bound);
        Assert.InRange(down.Min(), -bound, -0.99f * bound);
        Assert.True(down.Distinct().Count() > down.Length / 2, "the values repeat too often");

        Assert.All(Floats(file, "blk.1.attn_norm.weight"), v => Assert.InRange(v, 0.9f, 1.1f));
        Assert.All(Floats(file, "blk.1.attn_k.bias"), v => Assert.InRange(v, -0.1f, 0.1f));
        Assert.NotEqual(Floats(file, "blk.0.attn_norm.weight"), Floats(file, "blk.0.ffn_norm.weight"));
    }

    [Fact]
    public void Quantized_weights_encode_the_same_values_as_the_F32_file_of_the_same_seed()
    {
        var spec = new SyntheticModelSpec();
        using GgufFile f32 = GgufFile.Open(Write(spec, "f32.gguf"));
        using GgufFile q8 = GgufFile.Open(Write(spec with { WeightType = GgmlType.Q8_0, EmbeddingType = GgmlType.Q8_0, TiedOutput = true }, "q8.gguf"));

        foreach (string name in (string[])["token_embd.weight", "blk.1.attn_v.weight", "blk.0.ffn_down.weight"])
        {
            float[] exact = Floats(f32, name);
            GgufTensorInfo tensor = q8.GetTensor(name);
            var decoded = new float[exact.Length];
            int rowBytes = (int)GgmlTypeInfo.RowBytes(tensor.Type, tensor.RowLength);
            int rowLength = (int)tensor.RowLength;
            for (int r = 0; r < tensor.RowCount; r++)
            {
                Dequantize.Row(tensor.Type, q8.GetTensorBytes(tensor).Slice(r * rowBytes, rowBytes), decoded.AsSpan(r * rowLength, rowLength));
            }

            float bound = 1f / MathF.Sqrt(rowLength);
            for (int i = 0; i < exact.Length; i++)
            {
                Assert.True(Math.Abs(exact[i] - decoded[i]) <= bound / 100, $"{name}[{i}]: {decoded[i]} for {exact[i]}");
            }
        }
    }

    [Fact]
    public void Our_tokenizer_reads_the_vocabulary()
    {
        var spec = new SyntheticModelSpec { VocabularySize = 1000 };
        string path = Write(spec, "model.gguf");
        using GgufFile file = GgufFile.Open(path);

        GgufTokenizer tokenizer = GgufTokenizer.FromMetadata(file.Metadata);

        Assert.Equal(1000, tokenizer.VocabularySize);
        Assert.Equal(1, tokenizer.BosTokenId);
        Assert.Equal(2, tokenizer.EosTokenId);
        Assert.True(tokenizer.AddBos);
        Assert.True(tokenizer.IsControl(1));
        Assert.True(tokenizer.IsEndOfGeneration(2));
        Assert.Equal("<unk>", tokenizer.TokenText(0));
        Assert.Equal("<0x0A>", tokenizer.TokenText(3 + 10));
        Assert.Equal("\u2581", tokenizer.TokenText(SyntheticModel.FirstWordPieceId));
        Assert.Equal("\u2581a", tokenizer.TokenText(SyntheticModel.FirstWordPieceId + 1));
        Assert.Equal("a", tokenizer.TokenText(SyntheticModel.FirstWordPieceId + 27));
        Assert.Equal("\u2581aa", tokenizer.TokenText(SyntheticModel.FirstWordPieceId + 53));
        Assert.Equal(1000, SyntheticModel.VocabularyTokens(1000).Distinct().Count());

        const string Text = "hello world, ab cd!\nxyz";
        int[] ids = tokenizer.Encode(Text, addSpecial: true, parseSpecial: false);
        Assert.Equal(1, ids[0]);
        Assert.Equal(Text, tokenizer.Decode(ids).TrimStart(' ')); // the first piece is "▁hello"
        Assert.Contains(tokenizer.TokenText(ids[1]), new[] { "\u2581he", "\u2581h" });
        Assert.Contains(3 + '\n', ids); // byte fallback for the newline
    }

    [Fact]
    public async Task Llama_cpp_tokenizes_like_our_tokenizer()
    {
        string path = Write(new SyntheticModelSpec { Architecture = "qwen2" }, "model.gguf");
        using GgufFile file = GgufFile.Open(path);
        GgufTokenizer tokenizer = GgufTokenizer.FromMetadata(file.Metadata);

        const string Text = "hello world, ab cd!\nxyz";
        int[] expected = await LlamaCppReference.TokenizeAsync(path, Text, addBos: true);

        Assert.Equal(expected, tokenizer.Encode(Text, addSpecial: true, parseSpecial: false));
    }

    [Theory]
    [InlineData("llama", GgmlType.F32, false)]
    [InlineData("llama", GgmlType.Q4_K, true)]
    [InlineData("qwen2", GgmlType.F32, true)]
    [InlineData("qwen2", GgmlType.Q4_K, false)]
    public async Task Llama_cpp_loads_the_model_and_generates(string arch, GgmlType type, bool tied)
    {
        var spec = new SyntheticModelSpec { Architecture = arch, WeightType = type, EmbeddingType = type, TiedOutput = tied };
        string path = Write(spec, "model.gguf");

        LlamaCppResult result = await LlamaCppReference.GenerateAsync(path, prompt: null, tokens: [1, 300, 301], n: 4, logits: 1, addBos: false);

        Assert.Equal([1, 300, 301], result.PromptTokens);
        Assert.Equal(4, result.Tokens.Length);
        Assert.All(result.Tokens, t => Assert.InRange(t, 0, spec.VocabularySize - 1));
        float[] logits = Assert.Single(result.Logits);
        Assert.Equal(spec.VocabularySize, logits.Length);
        Assert.All(logits, v => Assert.True(float.IsFinite(v)));
        Assert.True(logits.Max() > logits.Min(), "the logits are all equal");
        Assert.Equal(result.Tokens[0], Array.IndexOf(logits, logits.Max()));
    }

    public static TheoryData<SyntheticModelSpec, string> BadSpecs => new()
    {
        { new() { Architecture = "gpt2" }, nameof(SyntheticModelSpec.Architecture) },
        { new() { Name = "" }, nameof(SyntheticModelSpec.Name) },
        { new() { EmbeddingLength = 0 }, nameof(SyntheticModelSpec.EmbeddingLength) },
        { new() { BlockCount = 0 }, nameof(SyntheticModelSpec.BlockCount) },
        { new() { HeadCount = -4 }, nameof(SyntheticModelSpec.HeadCount) },
        { new() { HeadCount = 0 }, nameof(SyntheticModelSpec.HeadCount) },
        { new() { HeadCountKv = 0 }, nameof(SyntheticModelSpec.HeadCountKv) },
        { new() { FeedForwardLength = 0 }, nameof(SyntheticModelSpec.FeedForwardLength) },
        { new() { ContextLength = 0 }, nameof(SyntheticModelSpec.ContextLength) },
        { new() { HeadCount = 3 }, nameof(SyntheticModelSpec.HeadCount) },
        { new() { EmbeddingLength = 96, HeadCount = 32, HeadCountKv = 1 }, nameof(SyntheticModelSpec.HeadCount) }, // head size 3
        { new() { HeadCountKv = 3 }, nameof(SyntheticModelSpec.HeadCountKv) },
        { new() { VocabularySize = 300 }, nameof(SyntheticModelSpec.VocabularySize) },
        { new() { RopeFrequencyBase = 0 }, nameof(SyntheticModelSpec.RopeFrequencyBase) },
        { new() { RmsEpsilon = float.NaN }, nameof(SyntheticModelSpec.RmsEpsilon) },
        { new() { WeightScale = -1 }, nameof(SyntheticModelSpec.WeightScale) },
        { new() { WeightType = GgmlType.Q5_K }, nameof(SyntheticModelSpec.WeightType) },
        { new() { EmbeddingType = GgmlType.I32 }, nameof(SyntheticModelSpec.EmbeddingType) },
        { new() { WeightType = GgmlType.Q4_K, FeedForwardLength = 640 }, nameof(SyntheticModelSpec.FeedForwardLength) },
        { new() { EmbeddingType = GgmlType.Q6_K, EmbeddingLength = 384, HeadCount = 6, HeadCountKv = 2 }, nameof(SyntheticModelSpec.EmbeddingLength) },
        { new() { WeightType = GgmlType.Q8_0, EmbeddingLength = 80, HeadCount = 4 }, nameof(SyntheticModelSpec.EmbeddingLength) },
    };

    [Theory]
    [MemberData(nameof(BadSpecs))]
    public void Validate_rejects_a_bad_spec_naming_the_property(SyntheticModelSpec spec, string property)
    {
        var e = Assert.Throws<ArgumentException>(spec.Validate);
        Assert.Equal(property, e.ParamName);
        Assert.Contains(property, e.Message, StringComparison.Ordinal);

        string path = Path.Combine(_dir, "bad.gguf");
        Assert.Throws<ArgumentException>(() => SyntheticModel.Write(path, spec));
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Validate_accepts_the_defaults_and_block_aligned_quantized_shapes()
    {
        new SyntheticModelSpec().Validate();
        new SyntheticModelSpec { WeightType = GgmlType.Q4_0, EmbeddingType = GgmlType.Q8_0, EmbeddingLength = 96, HeadCount = 3, HeadCountKv = 1, FeedForwardLength = 160 }.Validate();
        new SyntheticModelSpec { WeightType = GgmlType.Q6_K, EmbeddingType = GgmlType.F16, EmbeddingLength = 512, HeadCount = 8, HeadCountKv = 8, FeedForwardLength = 1280, VocabularySize = SyntheticModelSpec.MinimumVocabularySize }.Validate();
    }

    private string Write(SyntheticModelSpec spec, string name)
    {
        string path = Path.Combine(_dir, name);
        SyntheticModel.Write(path, spec);
        return path;
    }

    private static string Hash(string path) => Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));

    private static float[] Floats(GgufFile file, string name)
    {
        GgufTensorInfo tensor = file.GetTensor(name);
        Assert.Equal(GgmlType.F32, tensor.Type);
        return MemoryMarshal.Cast<byte, float>(file.GetTensorBytes(tensor)).ToArray();
    }
}
