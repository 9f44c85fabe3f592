using Switchyard.Local.Gguf;
using Switchyard.Local.Kernels;

namespace Switchyard.Local.Models;

/// <summary>One transformer block's weights: matrices point into the mapped file, vectors are small float copies.</summary>
internal sealed class LayerWeights
{
    public required float[] AttentionNorm { get; init; }

    public required WeightMatrix Query { get; init; }

    public required WeightMatrix Key { get; init; }

    public required WeightMatrix Value { get; init; }

    public required WeightMatrix Output { get; init; }

    public float[]? QueryBias { get; init; }

    public float[]? KeyBias { get; init; }

    public float[]? ValueBias { get; init; }

    public required float[] FeedForwardNorm { get; init; }

    public required WeightMatrix Gate { get; init; }

    public required WeightMatrix Up { get; init; }

    public required WeightMatrix Down { get; init; }
}

/// <summary>
/// A model's tensors bound by their llama.cpp names and checked against the hyperparameters, so the forward pass never
/// meets a shape it does not expect. Matrices stay in the memory-mapped file.
/// </summary>
internal sealed unsafe class TransformerWeights
{
    /// <summary>The weight formats the matrix kernels handle.</summary>
    public static IReadOnlySet<GgmlType> MatrixTypes { get; } = new HashSet<GgmlType>
    {
        GgmlType.F32, GgmlType.F16, GgmlType.BF16, GgmlType.Q8_0, GgmlType.Q4_0, GgmlType.Q4_K, GgmlType.Q6_K,
    };

    private TransformerWeights(WeightMatrix embedding, WeightMatrix output, float[] outputNorm, float[]? ropeFactors, LayerWeights[] layers)
    {
        TokenEmbedding = embedding;
        OutputMatrix = output;
        OutputNorm = outputNorm;
        RopeFactors = ropeFactors;
        Layers = layers;
    }

    /// <summary>token_embd: one row per token.</summary>
    public WeightMatrix TokenEmbedding { get; }

    /// <summary>output (or token_embd when the model ties them): one row per token.</summary>
    public WeightMatrix OutputMatrix { get; }

    public float[] OutputNorm { get; }

    /// <summary>rope_freqs: per-dimension-pair divisors of the RoPE frequencies (Llama 3.1 style), when present.</summary>
    public float[]? RopeFactors { get; }

    public IReadOnlyList<LayerWeights> Layers { get; }

    /// <summary>Bytes of weights one token's forward pass reads (every block matrix and the output matrix).</summary>
    public long BytesPerToken
    {
        get
        {
            long total = (long)OutputMatrix.RowBytes * OutputMatrix.Rows;
            foreach (LayerWeights l in Layers)
            {
                foreach (WeightMatrix m in (ReadOnlySpan<WeightMatrix>)[l.Query, l.Key, l.Value, l.Output, l.Gate, l.Up, l.Down])
                {
                    total += (long)m.RowBytes * m.Rows;
                }
            }

            return total;
        }
    }

    /// <exception cref="GgufFormatException">A tensor is missing, has the wrong shape, or a type without a kernel.</exception>
    public static TransformerWeights Bind(GgufFile file, ModelHyperparameters hp)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(hp);
        int emb = hp.EmbeddingLength;
        int qDim = hp.HeadCount * hp.HeadDimension;
        int kvDim = hp.HeadCountKv * hp.HeadDimension;
        int ff = hp.FeedForwardLength;

        WeightMatrix embedding = Matrix(file, "token_embd.weight", emb, hp.VocabularySize);
        WeightMatrix output = file.TryGetTensor("output.weight", out _) ? Matrix(file, "output.weight", emb, hp.VocabularySize) : embedding;
        float[] outputNorm = Vector(file, "output_norm.weight", emb);
        float[]? ropeFactors = file.TryGetTensor("rope_freqs.weight", out _) ? Vector(file, "rope_freqs.weight", hp.RopeDimensions / 2) : null;

        var layers = new LayerWeights[hp.BlockCount];
        for (int i = 0; i < layers.Length; i++)
        {
            string p = $"blk.{i}.";
            layers[i] = new LayerWeights
            {
                AttentionNorm = Vector(file, p + "attn_norm.weight", emb),
                Query = Matrix(file, p + "attn_q.weight", emb, qDim),
                Key = Matrix(file, p + "attn_k.weight", emb, kvDim),
                Value = Matrix(file, p + "attn_v.weight", emb, kvDim),
                Output = Matrix(file, p + "attn_output.weight", qDim, emb),
                QueryBias = hp.HasQkvBias ? Vector(file, p + "attn_q.bias", qDim) : null,
                KeyBias = hp.HasQkvBias ? Vector(file, p + "attn_k.bias", kvDim) : null,
                ValueBias = hp.HasQkvBias ? Vector(file, p + "attn_v.bias", kvDim) : null,
                FeedForwardNorm = Vector(file, p + "ffn_norm.weight", emb),
                Gate = Matrix(file, p + "ffn_gate.weight", emb, ff),
                Up = Matrix(file, p + "ffn_up.weight", emb, ff),
                Down = Matrix(file, p + "ffn_down.weight", ff, emb),
            };
        }

        return new TransformerWeights(embedding, output, outputNorm, ropeFactors, layers);
    }

    private static GgufTensorInfo Find(GgufFile file, string name) =>
        file.TryGetTensor(name, out GgufTensorInfo? tensor)
            ? tensor
            : throw new GgufFormatException(file.Path, $"tensor '{name}' is missing; the file is not a complete llama-family model.");

    private static WeightMatrix Matrix(GgufFile file, string name, int cols, int rows)
    {
        GgufTensorInfo t = Find(file, name);
        if (t.Dimensions.Length != 2 || t.Dimensions[0] != cols || t.Dimensions[1] != rows)
        {
            throw new GgufFormatException(file.Path, $"tensor '{name}' has shape {t.Shape}; the hyperparameters call for [{cols}, {rows}].");
        }

        if (!MatrixTypes.Contains(t.Type))
        {
            throw new GgufFormatException(file.Path, $"tensor '{name}' is {t.Type}; the embedded engine runs {string.Join(", ", MatrixTypes)}.");
        }

        if (!GgmlTypeInfo.TryGetLayout(t.Type, out int blockElements, out _) || cols % blockElements != 0)
        {
            throw new GgufFormatException(file.Path, $"tensor '{name}' rows of {cols} are not whole {t.Type} blocks.");
        }

        return new WeightMatrix(file.GetTensorPointer(t), t.Type, rows, cols);
    }

    private static float[] Vector(GgufFile file, string name, int length)
    {
        GgufTensorInfo t = Find(file, name);
        if (t.ElementCount != length || t.RowLength != length)
        {
            throw new GgufFormatException(file.Path, $"tensor '{name}' has shape {t.Shape}; the hyperparameters call for [{length}].");
        }

        if (!MatrixTypes.Contains(t.Type))
        {
            throw new GgufFormatException(file.Path, $"tensor '{name}' is {t.Type}; the embedded engine reads {string.Join(", ", MatrixTypes)}.");
        }

        var values = new float[length];
        Dequantize.Row(t.Type, file.GetTensorBytes(t), values);
        return values;
    }
}
