using System.Numerics.Tensors;
using Switchyard.Local.Kernels;

namespace Switchyard.Local.Models;

/// <summary>
/// One conversation's state on a <see cref="TransformerModel"/>: the key/value cache and the tokens it holds. Prompts
/// are evaluated in batches (every weight matrix read once per batch); generation evaluates one token at a time.
/// Not thread-safe: one request uses a session at a time.
/// </summary>
/// <remarks>
/// The arithmetic follows llama.cpp's CPU graph so results agree with it to float rounding: RMSNorm sums squares in
/// double; activations are converted to each weight's dot-product type; the cache holds keys and values as F16, queries
/// are rounded to F16 before the key products and attention probabilities before the value products; softmax sums in
/// double. In the last block only the positions whose logits are wanted run past attention.
/// </remarks>
public sealed class InferenceSession
{
    private readonly TransformerModel _model;
    private readonly ModelHyperparameters _hp;
    private readonly TransformerWeights _weights;
    private readonly Rope _rope;
    private readonly int _batchSize;
    private readonly int[] _tokens;

    // Cache per block: [kv head][position][head dim], as F16.
    private readonly Half[][] _keyCache;
    private readonly Half[][] _valueCache;

    // Work buffers for one batch.
    private readonly float[] _x;
    private readonly float[] _xNorm;
    private readonly float[] _q;
    private readonly float[] _k;
    private readonly float[] _v;
    private readonly float[] _attention;
    private readonly float[] _projected;
    private readonly float[] _gate;
    private readonly float[] _up;
    private readonly float[] _ropeTable;
    private readonly float[] _scores;
    private readonly float[] _keysF32;
    private readonly float[] _valuesF32;
    private readonly float[] _queryF16;

    internal InferenceSession(TransformerModel model, TransformerWeights weights, Rope rope, int contextLength, int batchSize)
    {
        _model = model;
        _hp = model.Hyperparameters;
        _weights = weights;
        _rope = rope;
        ContextLength = contextLength;
        _batchSize = batchSize;
        _tokens = new int[contextLength];

        int hd = _hp.HeadDimension;
        int kvDim = _hp.HeadCountKv * hd;
        int qDim = _hp.HeadCount * hd;
        _keyCache = new Half[_hp.BlockCount][];
        _valueCache = new Half[_hp.BlockCount][];
        for (int l = 0; l < _hp.BlockCount; l++)
        {
            _keyCache[l] = new Half[(long)kvDim * contextLength];
            _valueCache[l] = new Half[(long)kvDim * contextLength];
        }

        int emb = _hp.EmbeddingLength;
        _x = new float[batchSize * emb];
        _xNorm = new float[batchSize * emb];
        _q = new float[batchSize * qDim];
        _k = new float[batchSize * kvDim];
        _v = new float[batchSize * kvDim];
        _attention = new float[batchSize * qDim];
        _projected = new float[batchSize * emb];
        _gate = new float[batchSize * _hp.FeedForwardLength];
        _up = new float[batchSize * _hp.FeedForwardLength];
        _ropeTable = new float[rope.TableLength];
        _scores = new float[contextLength];
        _keysF32 = new float[(long)contextLength * hd];
        _valuesF32 = new float[(long)contextLength * hd];
        _queryF16 = new float[hd];
    }

    /// <summary>The model this session runs.</summary>
    public TransformerModel Model => _model;

    /// <summary>Positions the cache holds.</summary>
    public int ContextLength { get; }

    /// <summary>Tokens evaluated so far (the next token's position).</summary>
    public int Position { get; private set; }

    /// <summary>Length of the logits vector <see cref="Evaluate"/> writes.</summary>
    public int VocabularySize => _hp.VocabularySize;

    /// <summary>The tokens in the cache, in order.</summary>
    public ReadOnlySpan<int> Tokens => _tokens.AsSpan(0, Position);

    /// <summary>Forgets every position from <paramref name="position"/> on, so evaluation continues from there.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The position is negative or past <see cref="Position"/>.</exception>
    public void Rewind(int position)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(position, Position);
        Position = position;
    }

    /// <summary>
    /// Runs <paramref name="tokens"/> through the model at the next positions and writes the logits that follow the
    /// last of them into <paramref name="logits"/>.
    /// </summary>
    /// <exception cref="ArgumentException">No tokens, a token outside the vocabulary, logits too short, or the tokens do not fit in the context.</exception>
    /// <exception cref="OperationCanceledException">Cancelled between batches or blocks; the session then holds only the batches finished before.</exception>
    public void Evaluate(ReadOnlySpan<int> tokens, Span<float> logits, CancellationToken cancellationToken = default)
    {
        if (tokens.IsEmpty)
        {
            throw new ArgumentException("At least one token is needed.", nameof(tokens));
        }

        if (logits.Length < VocabularySize)
        {
            throw new ArgumentException($"logits holds {logits.Length} floats; the vocabulary has {VocabularySize}.", nameof(logits));
        }

        if (Position + tokens.Length > ContextLength)
        {
            throw new ArgumentException($"{tokens.Length} more tokens after {Position} exceed the session's context of {ContextLength}.", nameof(tokens));
        }

        foreach (int t in tokens)
        {
            if ((uint)t >= (uint)VocabularySize)
            {
                throw new ArgumentException($"Token {t} is outside the vocabulary of {VocabularySize}.", nameof(tokens));
            }
        }

        for (int start = 0; start < tokens.Length; start += _batchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ReadOnlySpan<int> batch = tokens.Slice(start, Math.Min(_batchSize, tokens.Length - start));
            bool last = start + batch.Length == tokens.Length;
            RunBatch(batch, last ? logits : default, cancellationToken);
        }
    }

    private void RunBatch(ReadOnlySpan<int> tokens, Span<float> logits, CancellationToken cancellationToken)
    {
        int n = tokens.Length;
        int p0 = Position;
        int emb = _hp.EmbeddingLength;
        int hd = _hp.HeadDimension;
        int qDim = _hp.HeadCount * hd;
        int kvDim = _hp.HeadCountKv * hd;
        int ff = _hp.FeedForwardLength;

        WeightMatrix embedding = _weights.TokenEmbedding;
        for (int t = 0; t < n; t++)
        {
            Dequantize.Row(embedding.Type, RowBytes(embedding, tokens[t]), _x.AsSpan(t * emb, emb));
        }

        for (int l = 0; l < _hp.BlockCount; l++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            LayerWeights w = _weights.Layers[l];
            for (int t = 0; t < n; t++)
            {
                RmsNorm(_x.AsSpan(t * emb, emb), w.AttentionNorm, _xNorm.AsSpan(t * emb, emb));
            }

            MatMul.Multiply(w.Query, _xNorm, n, _q);
            MatMul.Multiply(w.Key, _xNorm, n, _k);
            MatMul.Multiply(w.Value, _xNorm, n, _v);
            for (int t = 0; t < n; t++)
            {
                Span<float> q = _q.AsSpan(t * qDim, qDim);
                Span<float> k = _k.AsSpan(t * kvDim, kvDim);
                Span<float> v = _v.AsSpan(t * kvDim, kvDim);
                if (w.QueryBias is not null)
                {
                    TensorPrimitives.Add(q, w.QueryBias, q);
                    TensorPrimitives.Add(k, w.KeyBias!, k);
                    TensorPrimitives.Add(v, w.ValueBias!, v);
                }

                _rope.Fill(p0 + t, _ropeTable);
                _rope.Apply(q, _hp.HeadCount, hd, _ropeTable);
                _rope.Apply(k, _hp.HeadCountKv, hd, _ropeTable);
                Store(l, p0 + t, k, v);
            }

            // Past the last block's attention only the final position matters (its logits are the only ones asked for).
            bool lastBlock = l == _hp.BlockCount - 1;
            int first = lastBlock ? n - 1 : 0;
            int rows = n - first;
            Attend(l, p0, first, n);

            Span<float> attention = _attention.AsSpan(first * qDim, rows * qDim);
            Span<float> projected = _projected.AsSpan(0, rows * emb);
            MatMul.Multiply(w.Output, attention, rows, projected);
            Span<float> x = _x.AsSpan(first * emb, rows * emb);
            TensorPrimitives.Add(x, projected, x);

            Span<float> xNorm = _xNorm.AsSpan(0, rows * emb);
            for (int t = 0; t < rows; t++)
            {
                RmsNorm(x.Slice(t * emb, emb), w.FeedForwardNorm, xNorm.Slice(t * emb, emb));
            }

            Span<float> gate = _gate.AsSpan(0, rows * ff);
            Span<float> up = _up.AsSpan(0, rows * ff);
            MatMul.Multiply(w.Gate, xNorm, rows, gate);
            MatMul.Multiply(w.Up, xNorm, rows, up);
            SwiGlu(gate, up);
            MatMul.Multiply(w.Down, gate, rows, projected);
            TensorPrimitives.Add(x, projected, x);
        }

        tokens.CopyTo(_tokens.AsSpan(p0));
        Position = p0 + n;

        if (!logits.IsEmpty)
        {
            Span<float> final = _xNorm.AsSpan(0, emb);
            RmsNorm(_x.AsSpan((n - 1) * emb, emb), _weights.OutputNorm, final);
            MatMul.Multiply(_weights.OutputMatrix, final, 1, logits[..VocabularySize]);
        }
    }

    private static unsafe ReadOnlySpan<byte> RowBytes(in WeightMatrix m, int row) => new(m.Row(row), m.RowBytes);

    /// <summary>Writes the key and value of one position into block <paramref name="layer"/>'s cache, as F16.</summary>
    private void Store(int layer, int position, ReadOnlySpan<float> k, ReadOnlySpan<float> v)
    {
        int hd = _hp.HeadDimension;
        for (int g = 0; g < _hp.HeadCountKv; g++)
        {
            long offset = (((long)g * ContextLength) + position) * hd;
            TensorPrimitives.ConvertToHalf(k.Slice(g * hd, hd), _keyCache[layer].AsSpan((int)offset, hd));
            TensorPrimitives.ConvertToHalf(v.Slice(g * hd, hd), _valueCache[layer].AsSpan((int)offset, hd));
        }
    }

    /// <summary>Causal attention for batch rows [<paramref name="first"/>, <paramref name="n"/>) into <see cref="_attention"/>.</summary>
    private void Attend(int layer, int p0, int first, int n)
    {
        int hd = _hp.HeadDimension;
        int qDim = _hp.HeadCount * hd;
        int group = _hp.GroupSize;
        int span = p0 + n; // positions any row of this batch can see
        float scale = 1f / MathF.Sqrt(hd);
        Span<float> keys = _keysF32.AsSpan(0, span * hd);
        Span<float> values = _valuesF32.AsSpan(0, span * hd);
        Span<float> query = _queryF16;
        for (int g = 0; g < _hp.HeadCountKv; g++)
        {
            int offset = g * ContextLength * hd;
            TensorPrimitives.ConvertToSingle(_keyCache[layer].AsSpan(offset, span * hd), keys);
            TensorPrimitives.ConvertToSingle(_valueCache[layer].AsSpan(offset, span * hd), values);
            for (int h = g * group; h < (g + 1) * group; h++)
            {
                for (int t = first; t < n; t++)
                {
                    int visible = p0 + t + 1;
                    RoundToHalf(_q.AsSpan((t * qDim) + (h * hd), hd), query);
                    Span<float> scores = _scores.AsSpan(0, visible);
                    for (int p = 0; p < visible; p++)
                    {
                        scores[p] = TensorPrimitives.Dot(query, keys.Slice(p * hd, hd)) * scale;
                    }

                    Softmax(scores);
                    Span<float> output = _attention.AsSpan((t * qDim) + (h * hd), hd);
                    output.Clear();
                    for (int p = 0; p < visible; p++)
                    {
                        float probability = (float)(Half)scores[p];
                        if (probability != 0)
                        {
                            TensorPrimitives.MultiplyAdd(values.Slice(p * hd, hd), probability, output, output);
                        }
                    }
                }
            }
        }
    }

    private static void RoundToHalf(ReadOnlySpan<float> source, Span<float> destination)
    {
        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = (float)(Half)source[i];
        }
    }

    /// <summary>In-place softmax: exponentials of the differences from the maximum, summed in double, then scaled.</summary>
    private static void Softmax(Span<float> x)
    {
        float max = TensorPrimitives.Max(x);
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            float e = MathF.Exp(x[i] - max);
            x[i] = e;
            sum += e;
        }

        TensorPrimitives.Multiply(x, (float)(1.0 / sum), x);
    }

    /// <summary>y = x / sqrt(mean(x^2) + eps) * weight, the mean taken in double like ggml.</summary>
    private void RmsNorm(ReadOnlySpan<float> x, ReadOnlySpan<float> weight, Span<float> y)
    {
        double sum = 0;
        foreach (float v in x)
        {
            sum += v * v;
        }

        float mean = (float)(sum / x.Length);
        float scale = 1.0f / MathF.Sqrt(mean + _hp.RmsEpsilon);
        TensorPrimitives.Multiply(x, scale, y);
        TensorPrimitives.Multiply(y, weight, y);
    }

    /// <summary>gate = silu(gate) * up.</summary>
    private static void SwiGlu(Span<float> gate, ReadOnlySpan<float> up)
    {
        for (int i = 0; i < gate.Length; i++)
        {
            float g = gate[i];
            gate[i] = g / (1f + MathF.Exp(-g)) * up[i];
        }
    }
}
