using Switchyard.Local.Gguf;

namespace Switchyard.Local.Models;

/// <summary>
/// The shape of a llama-family transformer, read from a GGUF file's <c>{architecture}.*</c> metadata keys with
/// llama.cpp's defaults for the optional ones.
/// </summary>
public sealed record ModelHyperparameters
{
    /// <summary>The architectures the engine runs.</summary>
    public static IReadOnlyList<string> SupportedArchitectures { get; } = ["llama", "qwen2"];

    /// <summary><c>general.architecture</c>: <c>llama</c> or <c>qwen2</c>.</summary>
    public required string Architecture { get; init; }

    /// <summary>The context the model was trained with (<c>context_length</c>).</summary>
    public required int ContextLength { get; init; }

    /// <summary>Width of the residual stream (<c>embedding_length</c>).</summary>
    public required int EmbeddingLength { get; init; }

    /// <summary>Transformer blocks (<c>block_count</c>).</summary>
    public required int BlockCount { get; init; }

    /// <summary>Hidden width of the feed-forward network (<c>feed_forward_length</c>).</summary>
    public required int FeedForwardLength { get; init; }

    /// <summary>Query heads (<c>attention.head_count</c>).</summary>
    public required int HeadCount { get; init; }

    /// <summary>Key/value heads (<c>attention.head_count_kv</c>; fewer than query heads for grouped-query attention).</summary>
    public required int HeadCountKv { get; init; }

    /// <summary>Width of one head (<c>attention.key_length</c>, by default embedding length / heads).</summary>
    public required int HeadDimension { get; init; }

    /// <summary>Leading elements of each head that RoPE rotates (<c>rope.dimension_count</c>, by default the head width).</summary>
    public required int RopeDimensions { get; init; }

    /// <summary><c>rope.freq_base</c> (10000 by default).</summary>
    public required float RopeFrequencyBase { get; init; }

    /// <summary>Position scale for linear RoPE scaling: 1 / <c>rope.scaling.factor</c> (1 when unscaled).</summary>
    public required float RopeFrequencyScale { get; init; }

    /// <summary>Whether RoPE rotates pairs (i, i + d/2) (GPT-NeoX order, Qwen2) rather than adjacent pairs (Llama).</summary>
    public required bool RopeNeoX { get; init; }

    /// <summary><c>attention.layer_norm_rms_epsilon</c>.</summary>
    public required float RmsEpsilon { get; init; }

    /// <summary>Tokens in the vocabulary (rows of the embedding matrix).</summary>
    public required int VocabularySize { get; init; }

    /// <summary>Whether the attention projections carry biases (Qwen2).</summary>
    public bool HasQkvBias => Architecture == "qwen2";

    /// <summary>Query heads per key/value head.</summary>
    public int GroupSize => HeadCount / HeadCountKv;

    /// <summary>Reads the shape; errors name the file and the key.</summary>
    /// <exception cref="GgufFormatException">A key is missing or out of range, or the architecture or a setting is unsupported.</exception>
    public static ModelHyperparameters FromMetadata(GgufMetadata metadata, int vocabularySize)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        string file = metadata.Source;
        string arch = metadata.GetString("general.architecture");
        if (!SupportedArchitectures.Contains(arch))
        {
            throw new GgufFormatException(file, $"architecture '{arch}' is not supported by the embedded engine (supported: {string.Join(", ", SupportedArchitectures)}).");
        }

        int Required(string key) => Positive(key, metadata.GetUInt32($"{arch}.{key}"));

        int Positive(string key, uint value) => value is > 0 and <= int.MaxValue
            ? (int)value
            : throw new GgufFormatException(file, $"{arch}.{key} is {value}; it must be a positive 32-bit integer.");

        int embedding = Required("embedding_length");
        int heads = Required("attention.head_count");
        int kvHeads = metadata.TryGetUInt32($"{arch}.attention.head_count_kv", out uint kv) ? Positive("attention.head_count_kv", kv) : heads;
        if (heads % kvHeads != 0)
        {
            throw new GgufFormatException(file, $"{arch}.attention.head_count ({heads}) is not a multiple of head_count_kv ({kvHeads}).");
        }

        int headDim = metadata.TryGetUInt32($"{arch}.attention.key_length", out uint kl) ? Positive("attention.key_length", kl) : embedding / heads;
        if (metadata.TryGetUInt32($"{arch}.attention.value_length", out uint vl) && vl != headDim)
        {
            throw new GgufFormatException(file, $"{arch}.attention.value_length ({vl}) differs from key_length ({headDim}); the engine needs them equal.");
        }

        if (headDim % 2 != 0)
        {
            throw new GgufFormatException(file, $"the head width {headDim} is odd; RoPE needs it even.");
        }

        int ropeDims = metadata.TryGetUInt32($"{arch}.rope.dimension_count", out uint rd) ? Positive("rope.dimension_count", rd) : headDim;
        if (ropeDims > headDim || ropeDims % 2 != 0)
        {
            throw new GgufFormatException(file, $"{arch}.rope.dimension_count ({ropeDims}) must be even and at most the head width ({headDim}).");
        }

        float freqBase = metadata.TryGetFloat32($"{arch}.rope.freq_base", out float fb) ? fb : 10000f;
        float freqScale = 1f;
        string scaling = metadata.TryGetString($"{arch}.rope.scaling.type", out string? st) ? st : "none";
        switch (scaling)
        {
            case "none":
                break;
            case "linear":
                float factor = metadata.TryGetFloat32($"{arch}.rope.scaling.factor", out float f) ? f : 1f;
                if (!(factor > 0) || !float.IsFinite(factor))
                {
                    throw new GgufFormatException(file, $"{arch}.rope.scaling.factor is {factor}; it must be positive.");
                }

                freqScale = 1f / factor;
                break;
            default:
                throw new GgufFormatException(file, $"{arch}.rope.scaling.type '{scaling}' is not supported (supported: none, linear).");
        }

        float eps = metadata.GetFloat32($"{arch}.attention.layer_norm_rms_epsilon");
        if (!(eps > 0) || !float.IsFinite(eps) || !(freqBase > 0) || !float.IsFinite(freqBase))
        {
            throw new GgufFormatException(file, $"{arch}: layer_norm_rms_epsilon ({eps}) and rope.freq_base ({freqBase}) must be positive.");
        }

        return new ModelHyperparameters
        {
            Architecture = arch,
            ContextLength = Required("context_length"),
            EmbeddingLength = embedding,
            BlockCount = Required("block_count"),
            FeedForwardLength = Required("feed_forward_length"),
            HeadCount = heads,
            HeadCountKv = kvHeads,
            HeadDimension = headDim,
            RopeDimensions = ropeDims,
            RopeFrequencyBase = freqBase,
            RopeFrequencyScale = freqScale,
            RopeNeoX = arch == "qwen2",
            RmsEpsilon = eps,
            VocabularySize = vocabularySize,
        };
    }
}
