using System.Numerics.Tensors;

namespace Switchyard.Routing.Learners;

/// <summary>
/// k-means on unit vectors with cosine similarity (spherical k-means): k-means++ seeding with a seeded
/// <see cref="Random"/>, then Lloyd steps (assign each point to the centroid of highest dot product, re-centre each
/// centroid as its members' normalised mean) until no assignment changes. Deterministic for a given seed.
/// </summary>
internal static class SphericalKMeans
{
    /// <summary>Clusters the <paramref name="n"/> rows of <paramref name="data"/> (row-major, <paramref name="d"/> wide).</summary>
    /// <returns>The k centroids, row-major (k·d), each of unit length (or the seed point, for a cluster left empty).</returns>
    public static float[] Fit(float[] data, int n, int d, int k, int seed, int maxIterations = 50)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfLessThan(k, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(k, n);
        var centroids = Seed(data, n, d, k, new Random(seed));
        var assignment = new int[n];
        Array.Fill(assignment, -1);
        for (var iteration = 0; iteration < maxIterations; iteration++)
        {
            var changed = 0;
            Parallel.For(0, n, () => 0, (i, _, local) =>
            {
                var c = Nearest(centroids, k, d, data.AsSpan(i * d, d));
                if (c == assignment[i])
                {
                    return local;
                }

                assignment[i] = c;
                return local + 1;
            }, local => Interlocked.Add(ref changed, local));
            if (changed == 0)
            {
                break;
            }

            var sums = new float[k * d];
            var counts = new int[k];
            for (var i = 0; i < n; i++)
            {
                var c = assignment[i];
                counts[c]++;
                TensorPrimitives.Add(sums.AsSpan(c * d, d), data.AsSpan(i * d, d), sums.AsSpan(c * d, d));
            }

            for (var c = 0; c < k; c++)
            {
                var sum = sums.AsSpan(c * d, d);
                var norm = TensorPrimitives.Norm(sum);
                if (counts[c] > 0 && norm > 0)
                {
                    TensorPrimitives.Divide(sum, norm, centroids.AsSpan(c * d, d));
                }
            }
        }

        return centroids;
    }

    /// <summary>The centroid with the highest dot product with <paramref name="x"/> (the first on ties).</summary>
    public static int Nearest(float[] centroids, int k, int d, ReadOnlySpan<float> x)
    {
        var (best, bestDot) = (0, float.NegativeInfinity);
        for (var c = 0; c < k; c++)
        {
            var dot = TensorPrimitives.Dot(centroids.AsSpan(c * d, d), x);
            if (dot > bestDot)
            {
                (best, bestDot) = (c, dot);
            }
        }

        return best;
    }

    /// <summary>k-means++: the first centroid uniformly, each next one with probability proportional to the squared distance (2 − 2·cos) to the nearest chosen.</summary>
    private static float[] Seed(float[] data, int n, int d, int k, Random random)
    {
        var centroids = new float[k * d];
        var nearest = new double[n];
        Array.Fill(nearest, double.PositiveInfinity);
        var chosen = random.Next(n);
        for (var c = 0; c < k; c++)
        {
            data.AsSpan(chosen * d, d).CopyTo(centroids.AsSpan(c * d, d));
            var total = 0.0;
            for (var i = 0; i < n; i++)
            {
                var distance = Math.Max(0, 2 - (2 * (double)TensorPrimitives.Dot(data.AsSpan(i * d, d), centroids.AsSpan(c * d, d))));
                nearest[i] = Math.Min(nearest[i], distance);
                total += nearest[i];
            }

            if (c == k - 1)
            {
                break;
            }

            if (!(total > 0))
            {
                // Fewer distinct points than clusters: any point will do.
                chosen = random.Next(n);
                continue;
            }

            var target = random.NextDouble() * total;
            chosen = n - 1;
            for (var i = 0; i < n; i++)
            {
                target -= nearest[i];
                if (target < 0)
                {
                    chosen = i;
                    break;
                }
            }
        }

        return centroids;
    }
}
