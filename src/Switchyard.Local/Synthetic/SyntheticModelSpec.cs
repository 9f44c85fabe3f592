using System.Globalization;
using Switchyard.Local.Gguf;

namespace Switchyard.Local.Synthetic;

/// <summary>
/// The shape, types and seed of a synthetic model written by <see cref="SyntheticModel"/>: random weights with a real
/// architecture's tensor layout, for tests and benchmarks that need a model llama.cpp loads but no download.
/// </summary>
public sealed record SyntheticModelSpec
{
    /// <summary>The fewest tokens a vocabulary may have: &lt;unk&gt;, &lt;s&gt;, &lt;/s&gt;, the 256 byte tokens and 53 word pieces.</summary>
    public const int MinimumVocabularySize = 312;

    /// <summary>The llama.cpp architecture: "llama" or "qwen2" (which adds Q/K/V biases).</summary>
    public string Architecture { get; init; } = "llama";

    /// <summary>The model name written as <c>general.name</c>.</summary>
    public string Name { get; init; } = "synthetic";

    /// <summary>The hidden size (n_embd).</summary>
    public int EmbeddingLength { get; init; } = 256;

    /// <summary>The number of transformer blocks.</summary>
    public int BlockCount { get; init; } = 2;

    /// <summary>The number of query heads; the head size is <see cref="EmbeddingLength"/> / <see cref="HeadCount"/>.</summary>
    public int HeadCount { get; init; } = 4;

    /// <summary>The number of key/value heads (grouped-query attention when fewer than <see cref="HeadCount"/>).</summary>
    public int HeadCountKv { get; init; } = 2;

    /// <summary>The hidden size of the SwiGLU feed-forward network.</summary>
    public int FeedForwardLength { get; init; } = 512;

    /// <summary>The number of tokens; at least <see cref="MinimumVocabularySize"/>.</summary>
    public int VocabularySize { get; init; } = 512;

    /// <summary>The training context length written as <c>{arch}.context_length</c>.</summary>
    public int ContextLength { get; init; } = 256;

    /// <summary>The RoPE frequency base.</summary>
    public float RopeFrequencyBase { get; init; } = 10000f;

    /// <summary>The RMS norm epsilon.</summary>
    public float RmsEpsilon { get; init; } = 1e-5f;

    /// <summary>The type of the 2-D matrices in the blocks (attention and feed-forward weights).</summary>
    public GgmlType WeightType { get; init; } = GgmlType.F32;

    /// <summary>The type of <c>token_embd.weight</c> and <c>output.weight</c>.</summary>
    public GgmlType EmbeddingType { get; init; } = GgmlType.F32;

    /// <summary>When true there is no <c>output.weight</c>: the output projection reuses the token embeddings.</summary>
    public bool TiedOutput { get; init; }

    /// <summary>The random seed; the same spec always gives a byte-identical file.</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Scales the weights' uniform range of ±1/sqrt(row length).</summary>
    public float WeightScale { get; init; } = 1f;

    /// <summary>The size of one attention head (0 while <see cref="HeadCount"/> is not positive).</summary>
    public int HeadDimension => HeadCount > 0 ? EmbeddingLength / HeadCount : 0;

    /// <summary>Checks the spec.</summary>
    /// <exception cref="ArgumentException">A property is out of range or inconsistent; the exception's ParamName names it.</exception>
    public void Validate()
    {
        Require(Architecture is "llama" or "qwen2", nameof(Architecture), $"must be \"llama\" or \"qwen2\", not \"{Architecture}\"");
        Require(!string.IsNullOrEmpty(Name), nameof(Name), "must not be empty");
        RequirePositive(EmbeddingLength, nameof(EmbeddingLength));
        RequirePositive(BlockCount, nameof(BlockCount));
        RequirePositive(HeadCount, nameof(HeadCount));
        RequirePositive(HeadCountKv, nameof(HeadCountKv));
        RequirePositive(FeedForwardLength, nameof(FeedForwardLength));
        RequirePositive(ContextLength, nameof(ContextLength));
        Require(EmbeddingLength % HeadCount == 0, nameof(HeadCount), $"({HeadCount}) must divide {nameof(EmbeddingLength)} ({EmbeddingLength})");
        Require(HeadDimension % 2 == 0, nameof(HeadCount), $"must leave an even head size for RoPE ({EmbeddingLength} / {HeadCount} = {HeadDimension})");
        Require(HeadCount % HeadCountKv == 0, nameof(HeadCountKv), $"({HeadCountKv}) must divide {nameof(HeadCount)} ({HeadCount})");
        Require(VocabularySize >= MinimumVocabularySize, nameof(VocabularySize), $"must be at least {MinimumVocabularySize} (was {VocabularySize})");
        Require(float.IsFinite(RopeFrequencyBase) && RopeFrequencyBase > 0, nameof(RopeFrequencyBase), "must be positive and finite");
        Require(float.IsFinite(RmsEpsilon) && RmsEpsilon > 0, nameof(RmsEpsilon), "must be positive and finite");
        Require(float.IsFinite(WeightScale) && WeightScale > 0, nameof(WeightScale), "must be positive and finite");

        RequireSupported(WeightType, nameof(WeightType));
        RequireSupported(EmbeddingType, nameof(EmbeddingType));
        RequireRows(WeightType, nameof(WeightType), (nameof(EmbeddingLength), EmbeddingLength), (nameof(FeedForwardLength), FeedForwardLength));
        RequireRows(EmbeddingType, nameof(EmbeddingType), (nameof(EmbeddingLength), EmbeddingLength));
    }

    /// <summary>Whether <see cref="SyntheticModel"/> can encode weights of this type.</summary>
    public static bool IsSupportedWeightType(GgmlType type) =>
        type is GgmlType.F32 or GgmlType.F16 or GgmlType.BF16 or GgmlType.Q8_0 or GgmlType.Q4_0 or GgmlType.Q4_K or GgmlType.Q6_K;

    private static void RequirePositive(int value, string property) =>
        Require(value > 0, property, $"must be positive (was {value.ToString(CultureInfo.InvariantCulture)})");

    private static void RequireSupported(GgmlType type, string property) =>
        Require(IsSupportedWeightType(type), property, $"must be F32, F16, BF16, Q8_0, Q4_0, Q4_K or Q6_K, not {type}");

    private static void RequireRows(GgmlType type, string typeProperty, params (string Property, int Length)[] rows)
    {
        GgmlTypeInfo.TryGetLayout(type, out int block, out _);
        foreach ((string property, int length) in rows)
        {
            Require(length % block == 0, property, $"({length}) must be a multiple of {block}, the block size of {typeProperty} {type}");
        }
    }

    private static void Require(bool condition, string property, string problem)
    {
        if (!condition)
        {
            throw new ArgumentException($"SyntheticModelSpec.{property} {problem}.", property);
        }
    }
}
