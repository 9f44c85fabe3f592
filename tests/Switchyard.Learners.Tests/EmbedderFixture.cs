using Switchyard.Embeddings;

namespace Switchyard.Learners.Tests;

/// <summary>One real all-MiniLM-L6-v2 embedder (the model the build copies to the output) behind a cache, shared by the tests.</summary>
public sealed class EmbedderFixture : IDisposable
{
    private readonly MiniLmEmbedder _model = new(new MiniLmEmbedderOptions { IntraOpThreads = Environment.ProcessorCount });

    public EmbedderFixture()
    {
        Embedder = new CachingEmbedder(_model, capacity: 20_000);
    }

    /// <summary>The cached embedder: texts embedded by one test are not embedded again by the next.</summary>
    public CachingEmbedder Embedder { get; }

    public void Dispose() => _model.Dispose();
}

[CollectionDefinition(Name)]
public sealed class SharedEmbedder : ICollectionFixture<EmbedderFixture>
{
    public const string Name = "all-MiniLM-L6-v2";
}
