namespace Switchyard.Embeddings.Tests;

/// <summary>One real all-MiniLM-L6-v2 embedder (the model the build copies to the output) shared by the tests.</summary>
public sealed class EmbedderFixture : IDisposable
{
    public EmbedderFixture()
    {
        Embedder = new MiniLmEmbedder();
    }

    public MiniLmEmbedder Embedder { get; }

    public void Dispose() => Embedder.Dispose();
}

[CollectionDefinition(Name)]
public sealed class SharedEmbedder : ICollectionFixture<EmbedderFixture>
{
    public const string Name = "all-MiniLM-L6-v2";
}

/// <summary>An <see cref="ITextEmbedder"/> that counts what it passes on to a real one.</summary>
internal sealed class CountingEmbedder(ITextEmbedder inner) : ITextEmbedder
{
    private int _texts;
    private int _batchCalls;

    public int Dimensions => inner.Dimensions;

    /// <summary>Texts embedded so far (single calls and batch elements).</summary>
    public int Texts => Volatile.Read(ref _texts);

    /// <summary>Calls of the batch overload so far.</summary>
    public int BatchCalls => Volatile.Read(ref _batchCalls);

    public List<string> Seen { get; } = [];

    public float[] Embed(string text)
    {
        Interlocked.Increment(ref _texts);
        lock (Seen)
        {
            Seen.Add(text);
        }

        return inner.Embed(text);
    }

    public IReadOnlyList<float[]> Embed(IReadOnlyList<string> texts)
    {
        Interlocked.Increment(ref _batchCalls);
        Interlocked.Add(ref _texts, texts.Count);
        lock (Seen)
        {
            Seen.AddRange(texts);
        }

        return inner.Embed(texts);
    }
}

internal static class Vectors
{
    public static float Cosine(float[] a, float[] b) => System.Numerics.Tensors.TensorPrimitives.CosineSimilarity(a, b);

    public static float Dot(float[] a, float[] b) => System.Numerics.Tensors.TensorPrimitives.Dot(a, b);

    public static float Norm(float[] a) => System.Numerics.Tensors.TensorPrimitives.Norm(a);

    public static float ManhattanDistance(float[] a, float[] b)
    {
        float sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += MathF.Abs(a[i] - b[i]);
        }

        return sum;
    }

    public static float MaxAbsDifference(float[] a, float[] b)
    {
        Assert.Equal(a.Length, b.Length);
        float max = 0;
        for (int i = 0; i < a.Length; i++)
        {
            max = MathF.Max(max, MathF.Abs(a[i] - b[i]));
        }

        return max;
    }
}
