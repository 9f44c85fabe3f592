namespace Switchyard.Local.Models;

/// <summary>
/// Rotary position embedding as ggml computes it: the angle of pair i at position p is p * base^(-2i/d), built by the
/// same float recurrence (theta *= theta_scale) so angles match llama.cpp bit for bit, scaled by the linear RoPE factor
/// and divided by per-pair frequency factors when the model has them. Pairs are adjacent elements (Llama) or
/// (i, i + d/2) (NeoX order, Qwen2); elements past the rotary dimensions are left alone.
/// </summary>
internal sealed class Rope
{
    private readonly int _dims;
    private readonly float _thetaScale;
    private readonly float _frequencyScale;
    private readonly float[]? _factors;
    private readonly bool _neoX;

    public Rope(ModelHyperparameters hp, float[]? frequencyFactors)
    {
        ArgumentNullException.ThrowIfNull(hp);
        _dims = hp.RopeDimensions;
        _thetaScale = MathF.Pow(hp.RopeFrequencyBase, -2.0f / _dims);
        _frequencyScale = hp.RopeFrequencyScale;
        _factors = frequencyFactors;
        _neoX = hp.RopeNeoX;
    }

    /// <summary>Elements of the cos/sin table <see cref="Fill"/> writes: one cos and one sin per pair.</summary>
    public int TableLength => _dims;

    /// <summary>Writes cos and sin of each pair's angle at <paramref name="position"/> into <paramref name="table"/>.</summary>
    public void Fill(int position, Span<float> table)
    {
        float theta = position;
        for (int i = 0; i < _dims; i += 2)
        {
            float factor = _factors is null ? 1f : _factors[i / 2];
            float angle = _frequencyScale * (theta / factor);
            table[i] = MathF.Cos(angle);
            table[i + 1] = MathF.Sin(angle);
            theta *= _thetaScale;
        }
    }

    /// <summary>Rotates each of the <paramref name="heads"/> heads of width <paramref name="headDim"/> in <paramref name="x"/>.</summary>
    public void Apply(Span<float> x, int heads, int headDim, ReadOnlySpan<float> table)
    {
        int half = _dims / 2;
        for (int h = 0; h < heads; h++)
        {
            Span<float> head = x.Slice(h * headDim, headDim);
            if (_neoX)
            {
                for (int i = 0; i < _dims; i += 2)
                {
                    int a = i / 2;
                    float x0 = head[a];
                    float x1 = head[a + half];
                    float cos = table[i];
                    float sin = table[i + 1];
                    head[a] = (x0 * cos) - (x1 * sin);
                    head[a + half] = (x0 * sin) + (x1 * cos);
                }
            }
            else
            {
                for (int i = 0; i < _dims; i += 2)
                {
                    float x0 = head[i];
                    float x1 = head[i + 1];
                    float cos = table[i];
                    float sin = table[i + 1];
                    head[i] = (x0 * cos) - (x1 * sin);
                    head[i + 1] = (x0 * sin) + (x1 * cos);
                }
            }
        }
    }
}
