using Switchyard.Embeddings;

namespace Switchyard.Embeddings.Tests;

/// <summary>Saving a cache to a file and starting another warm from it (what <c>simulate --embedding-cache</c> does).</summary>
[Collection(SharedEmbedder.Name)]
public sealed class CachingEmbedderFileTests(EmbedderFixture fixture)
{
    private static readonly string[] Texts = ["What is 2 + 2?", "Translate 'cat' into French.", "Prove that sqrt(2) is irrational."];

    [Fact]
    public void SaveThenLoad_ServesTheSameVectorsWithoutEmbeddingAgain()
    {
        var first = new CachingEmbedder(fixture.Embedder, 10);
        var expected = first.Embed(Texts);
        using var file = new MemoryStream();
        first.Save(file, "minilm/256");

        var inner = new CountingEmbedder(fixture.Embedder);
        var second = new CachingEmbedder(inner, 10);
        file.Position = 0;
        Assert.Equal(3, second.Load(file, "minilm/256"));

        var again = second.Embed(Texts);
        Assert.Equal(0, inner.Texts);
        for (var i = 0; i < Texts.Length; i++)
        {
            Assert.Equal(expected[i], again[i]);
        }
    }

    [Fact]
    public void Load_AnotherTag_AddsNothing()
    {
        var first = new CachingEmbedder(fixture.Embedder, 10);
        first.Embed(Texts);
        using var file = new MemoryStream();
        first.Save(file, "minilm/256");
        file.Position = 0;

        var second = new CachingEmbedder(fixture.Embedder, 10);
        Assert.Equal(-1, second.Load(file, "minilm/128"));
        Assert.Equal(0, second.Count);
    }

    [Fact]
    public void Load_MoreThanCapacity_KeepsCapacity()
    {
        var first = new CachingEmbedder(fixture.Embedder, 10);
        first.Embed(Texts);
        using var file = new MemoryStream();
        first.Save(file, "t");
        file.Position = 0;

        var second = new CachingEmbedder(fixture.Embedder, 2);
        Assert.Equal(2, second.Load(file, "t"));
        Assert.Equal(2, second.Count);
    }

    [Fact]
    public void Load_DamagedFiles_ThrowInvalidData()
    {
        var first = new CachingEmbedder(fixture.Embedder, 10);
        first.Embed(Texts);
        using var file = new MemoryStream();
        first.Save(file, "t");
        var bytes = file.ToArray();

        var cache = new CachingEmbedder(fixture.Embedder, 10);
        Assert.Throws<InvalidDataException>(() => cache.Load(new MemoryStream(bytes[..^10]), "t"));
        Assert.Throws<InvalidDataException>(() => cache.Load(new MemoryStream([1, 2, 3, 4, 5, 6]), "t"));
    }
}
