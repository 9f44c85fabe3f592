namespace Switchyard.Routing.Learners;

/// <summary>
/// Keeps the <c>k</c> highest-scoring items offered to it (a min-heap): higher similarity first, and among equal
/// similarities the lower index, so the result does not depend on the order items are offered in.
/// </summary>
internal sealed class TopK
{
    private readonly float[] _scores;
    private readonly int[] _indices;

    public TopK(int k)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        _scores = new float[k];
        _indices = new int[k];
    }

    /// <summary>Items kept so far.</summary>
    public int Count { get; private set; }

    /// <summary>Forgets every item.</summary>
    public void Clear() => Count = 0;

    /// <summary>Offers an item.</summary>
    public void Offer(float score, int index)
    {
        if (Count < _scores.Length)
        {
            var i = Count++;
            _scores[i] = score;
            _indices[i] = index;
            SiftUp(i);
            return;
        }

        if (!Better(score, index, _scores[0], _indices[0]))
        {
            return;
        }

        _scores[0] = score;
        _indices[0] = index;
        SiftDown(0);
    }

    /// <summary>Writes the kept items, best first, to the start of the spans; returns how many.</summary>
    public int CopySorted(Span<float> scores, Span<int> indices)
    {
        var n = Count;
        var order = new int[n];
        for (var i = 0; i < n; i++)
        {
            order[i] = i;
        }

        Array.Sort(order, (a, b) => Better(_scores[a], _indices[a], _scores[b], _indices[b]) ? -1 : Better(_scores[b], _indices[b], _scores[a], _indices[a]) ? 1 : 0);
        for (var i = 0; i < n; i++)
        {
            scores[i] = _scores[order[i]];
            indices[i] = _indices[order[i]];
        }

        return n;
    }

    private static bool Better(float score, int index, float otherScore, int otherIndex) =>
        score > otherScore || (score == otherScore && index < otherIndex);

    // The root holds the worst kept item.
    private void SiftUp(int i)
    {
        while (i > 0)
        {
            var parent = (i - 1) / 2;
            if (!Better(_scores[parent], _indices[parent], _scores[i], _indices[i]))
            {
                return;
            }

            Swap(i, parent);
            i = parent;
        }
    }

    private void SiftDown(int i)
    {
        while (true)
        {
            var (left, right, worst) = ((2 * i) + 1, (2 * i) + 2, i);
            if (left < Count && Better(_scores[worst], _indices[worst], _scores[left], _indices[left]))
            {
                worst = left;
            }

            if (right < Count && Better(_scores[worst], _indices[worst], _scores[right], _indices[right]))
            {
                worst = right;
            }

            if (worst == i)
            {
                return;
            }

            Swap(i, worst);
            i = worst;
        }
    }

    private void Swap(int a, int b)
    {
        (_scores[a], _scores[b]) = (_scores[b], _scores[a]);
        (_indices[a], _indices[b]) = (_indices[b], _indices[a]);
    }
}
