using Microsoft.Extensions.AI;
using Switchyard.Embeddings;
using Switchyard.Routing;

namespace Switchyard.Providers.MiniLm;

/// <summary>
/// all-MiniLM-L6-v2 in process as an <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/>: 384-dimensional unit
/// vectors, usage counted in the model's own WordPiece tokens (with <c>[CLS]</c> and <c>[SEP]</c>). Text past the
/// model's 256 tokens is cut, as sentence-transformers does. The model loads on first use.
/// </summary>
public sealed class MiniLmEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly Lazy<MiniLmEmbedder> _embedder;
    private readonly string _modelId;
    private readonly EmbeddingGeneratorMetadata _metadata;

    /// <summary>Creates the generator over a shared, lazily loaded embedder.</summary>
    public MiniLmEmbeddingGenerator(Lazy<MiniLmEmbedder> embedder, string modelId)
    {
        ArgumentNullException.ThrowIfNull(embedder);
        _embedder = embedder;
        _modelId = modelId;
        _metadata = new EmbeddingGeneratorMetadata("switchyard-minilm", null, modelId, 384);
    }

    /// <inheritdoc />
    public Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        cancellationToken.ThrowIfCancellationRequested();
        MiniLmEmbedder embedder;
        try
        {
            embedder = _embedder.Value;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException or Microsoft.ML.OnnxRuntime.OnnxRuntimeException)
        {
            throw new ProviderException(ProviderFailureKind.Other, "The in-process embedding model could not be loaded: " + ex.Message, innerException: ex);
        }

        if (options?.Dimensions is { } dimensions && dimensions != embedder.Dimensions)
        {
            throw new ProviderException(ProviderFailureKind.BadRequest, $"'dimensions' must be {embedder.Dimensions} for {_modelId} (it cannot shorten its vectors).", 400);
        }

        var texts = values as IReadOnlyList<string> ?? [.. values];
        var vectors = embedder.Embed(texts);
        long tokens = 0;
        foreach (var text in texts)
        {
            tokens += embedder.Tokenizer.Encode(text, embedder.MaxTokens).Length;
        }

        var result = new GeneratedEmbeddings<Embedding<float>>(vectors.Select(v => new Embedding<float>(v) { ModelId = _modelId }))
        {
            Usage = new UsageDetails { InputTokenCount = tokens, OutputTokenCount = 0, TotalTokenCount = tokens },
        };
        return Task.FromResult(result);
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        // The embedder belongs to the provider factory.
    }
}
