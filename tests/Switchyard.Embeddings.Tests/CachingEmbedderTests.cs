namespace Switchyard.Embeddings.Tests;

[Collection(SharedEmbedder.Name)]
public sealed class CachingEmbedderTests(EmbedderFixture fixture)
{
    [Fact]
    public void Hit_returns_the_same_vector_without_calling_the_inner_embedder()
    {
        var inner = new CountingEmbedder(fixture.Embedder);
        var cache = new CachingEmbedder(inner, capacity: 16);
        Assert.Equal(384, cache.Dimensions);

        var first = cache.Embed("What is the capital of France?");
        var second = cache.Embed("What is the capital of France?");
        Assert.Equal(1, inner.Texts);
        Assert.Equal(first, second);
        Assert.Equal(fixture.Embedder.Embed("What is the capital of France?"), second);
        Assert.Equal((1L, 1L, 1), (cache.Hits, cache.Misses, cache.Count));
    }

    [Fact]
    public void Returned_vectors_are_copies()
    {
        var cache = new CachingEmbedder(fixture.Embedder, capacity: 4);
        var first = cache.Embed("mutable?");
        var expected = (float[])first.Clone();
        first[0] = 42f;
        var second = cache.Embed("mutable?");
        Assert.Equal(expected, second);
        second[1] = 42f;
        Assert.Equal(expected, cache.Embed("mutable?"));
    }

    [Fact]
    public void Evicts_the_least_recently_used_entry_beyond_capacity()
    {
        var inner = new CountingEmbedder(fixture.Embedder);
        var cache = new CachingEmbedder(inner, capacity: 2);
        cache.Embed("A");
        cache.Embed("B");
        cache.Embed("A"); // A is now the most recently used
        cache.Embed("C"); // evicts B
        Assert.Equal(2, cache.Count);
        Assert.Equal(["A", "B", "C"], inner.Seen);

        cache.Embed("A"); // hit
        Assert.Equal(3, inner.Texts);
        cache.Embed("B"); // miss: evicted earlier; now evicts C
        Assert.Equal(4, inner.Texts);
        cache.Embed("A"); // still a hit
        cache.Embed("C"); // miss
        Assert.Equal(["A", "B", "C", "B", "C"], inner.Seen);
        Assert.Equal(2, cache.Count);
        Assert.Equal((3L, 5L), (cache.Hits, cache.Misses));
    }

    [Fact]
    public void Batch_sends_only_distinct_misses_to_the_inner_embedder()
    {
        var inner = new CountingEmbedder(fixture.Embedder);
        var cache = new CachingEmbedder(inner, capacity: 16);
        cache.Embed("cached one");
        string[] texts = ["cached one", "new one", "new two", "new one", "cached one"];
        var results = cache.Embed(texts);

        Assert.Equal(1, inner.BatchCalls);
        Assert.Equal(["cached one", "new one", "new two"], inner.Seen);
        for (int i = 0; i < texts.Length; i++)
        {
            Assert.True(Vectors.MaxAbsDifference(fixture.Embedder.Embed(texts[i]), results[i]) < 1e-5f);
        }

        Assert.NotSame(results[1], results[3]);
        Assert.NotSame(results[0], results[4]);

        // Everything is cached now: no further inner call.
        cache.Embed(texts);
        Assert.Equal(1, inner.BatchCalls);
        Assert.Equal(3, inner.Texts);
    }

    [Fact]
    public void Different_texts_are_different_entries()
    {
        var inner = new CountingEmbedder(fixture.Embedder);
        var cache = new CachingEmbedder(inner, capacity: 8);
        cache.Embed("abc");
        cache.Embed("abc ");
        cache.Embed("ABC"); // the tokenizer lowercases, but the cache keys the exact text
        Assert.Equal(3, inner.Texts);
        Assert.Equal(3, cache.Count);
        cache.Clear();
        Assert.Equal(0, cache.Count);
        cache.Embed("abc");
        Assert.Equal(4, inner.Texts);
    }

    [Fact]
    public void Concurrent_use_stays_consistent()
    {
        var inner = new CountingEmbedder(fixture.Embedder);
        var cache = new CachingEmbedder(inner, capacity: 5);
        string[] texts = [.. Enumerable.Range(0, 8).Select(i => $"conversation turn {i}")];
        float[][] expected = [.. texts.Select(fixture.Embedder.Embed)];
        Parallel.For(0, 200, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            var v = cache.Embed(texts[i % texts.Length]);
            Assert.True(Vectors.MaxAbsDifference(expected[i % texts.Length], v) < 1e-5f);
        });
        Assert.True(cache.Count <= 5);
        Assert.Equal(200, cache.Hits + cache.Misses);
        Assert.Equal(inner.Texts, cache.Misses);
    }

    [Fact]
    public void Invalid_arguments_are_rejected()
    {
        Assert.Throws<ArgumentNullException>(() => new CachingEmbedder(null!, 4));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CachingEmbedder(fixture.Embedder, 0));
        var cache = new CachingEmbedder(fixture.Embedder, 4);
        Assert.Throws<ArgumentNullException>(() => cache.Embed((string)null!));
        Assert.Throws<ArgumentNullException>(() => cache.Embed(["a", null!]));
    }
}
