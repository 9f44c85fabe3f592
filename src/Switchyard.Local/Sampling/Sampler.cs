using System.Numerics.Tensors;

namespace Switchyard.Local.Sampling;

/// <summary>
/// Picks the next token: repetition penalty, then top-k, top-p and min-p filtering, then temperature and a draw
/// (llama.cpp's order). Greedy when the temperature is 0. One sampler per generation (it holds the random state).
/// </summary>
public sealed class Sampler
{
    private readonly SamplingOptions _options;
    private readonly Random _random;
    private int[] _indices = [];
    private float[] _probabilities = [];

    /// <summary>Creates a sampler seeded from <see cref="SamplingOptions.Seed"/> (a random seed when it is null).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (see <see cref="SamplingOptions.Validate"/>).</exception>
    public Sampler(SamplingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _random = options.Seed is int seed ? new Random(seed) : new Random();
    }

    /// <summary>Chooses a token from <paramref name="logits"/> (modified in place by the penalty).</summary>
    /// <param name="logits">One value per vocabulary entry.</param>
    /// <param name="recent">The tokens generated or read so far (the last few are penalised).</param>
    public int Sample(Span<float> logits, ReadOnlySpan<int> recent)
    {
        ApplyRepetitionPenalty(logits, recent);
        if (_options.Temperature <= 0)
        {
            return TensorPrimitives.IndexOfMax(logits);
        }

        int count = SelectTopK(logits, _options.TopK == 0 ? logits.Length : Math.Min(_options.TopK, logits.Length));
        Span<int> indices = _indices.AsSpan(0, count);

        // Probabilities of the kept candidates (sorted, most likely first) at temperature 1 for filtering.
        Span<float> p = Probabilities(logits, indices, 1f);
        if (_options.TopP < 1)
        {
            double cumulative = 0;
            for (int i = 0; i < count; i++)
            {
                cumulative += p[i];
                if (cumulative >= _options.TopP)
                {
                    count = i + 1;
                    break;
                }
            }
        }

        if (_options.MinP > 0)
        {
            float floor = p[0] * _options.MinP;
            int kept = 1;
            while (kept < count && p[kept] >= floor)
            {
                kept++;
            }

            count = kept;
        }

        indices = indices[..count];
        p = Probabilities(logits, indices, _options.Temperature);
        double draw = _random.NextDouble();
        double sum = 0;
        for (int i = 0; i < count; i++)
        {
            sum += p[i];
            if (draw < sum)
            {
                return indices[i];
            }
        }

        return indices[count - 1];
    }

    /// <summary>
    /// llama.cpp's penalties over the recent window: the repetition penalty divides a seen token's positive logit (or
    /// multiplies a negative one), then count * frequency + presence is subtracted.
    /// </summary>
    private void ApplyRepetitionPenalty(Span<float> logits, ReadOnlySpan<int> recent)
    {
        float penalty = _options.RepetitionPenalty;
        float frequency = _options.FrequencyPenalty;
        float presence = _options.PresencePenalty;
        if ((penalty == 1f && frequency == 0f && presence == 0f) || _options.RepetitionWindow == 0 || recent.IsEmpty)
        {
            return;
        }

        ReadOnlySpan<int> window = recent[Math.Max(0, recent.Length - _options.RepetitionWindow)..];
        var counts = new Dictionary<int, int>();
        foreach (int token in window)
        {
            if ((uint)token < (uint)logits.Length)
            {
                counts[token] = counts.GetValueOrDefault(token) + 1;
            }
        }

        foreach ((int token, int count) in counts)
        {
            float logit = logits[token];
            logit = logit > 0 ? logit / penalty : logit * penalty;
            logits[token] = logit - (count * frequency) - presence;
        }
    }

    /// <summary>Puts the indices of the <paramref name="k"/> largest logits, largest first, in <see cref="_indices"/>.</summary>
    private int SelectTopK(ReadOnlySpan<float> logits, int k)
    {
        if (_indices.Length < logits.Length)
        {
            _indices = new int[logits.Length];
            _probabilities = new float[logits.Length];
        }

        if (k == logits.Length)
        {
            for (int i = 0; i < logits.Length; i++)
            {
                _indices[i] = i;
            }
        }
        else
        {
            // A min-heap of the best k so far: O(V log k).
            var heap = new PriorityQueue<int, float>(k);
            for (int i = 0; i < logits.Length; i++)
            {
                if (heap.Count < k)
                {
                    heap.Enqueue(i, logits[i]);
                }
                else if (heap.TryPeek(out _, out float smallest) && logits[i] > smallest)
                {
                    heap.DequeueEnqueue(i, logits[i]);
                }
            }

            for (int i = 0; i < k; i++)
            {
                _indices[i] = heap.Dequeue();
            }
        }

        // Deterministic order: by logit descending (the sort is deterministic for a given input, so a seed reproduces).
        Span<int> span = _indices.AsSpan(0, k);
        span.Sort();
        float[] values = new float[k];
        for (int i = 0; i < k; i++)
        {
            values[i] = -logits[span[i]];
        }

        values.AsSpan().Sort(span);
        return k;
    }

    private Span<float> Probabilities(ReadOnlySpan<float> logits, ReadOnlySpan<int> indices, float temperature)
    {
        Span<float> p = _probabilities.AsSpan(0, indices.Length);
        float max = logits[indices[0]];
        double sum = 0;
        for (int i = 0; i < indices.Length; i++)
        {
            float e = MathF.Exp((logits[indices[i]] - max) / temperature);
            p[i] = e;
            sum += e;
        }

        TensorPrimitives.Multiply(p, (float)(1 / sum), p);
        return p;
    }
}
