using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace Switchyard.Embedding;

/// <summary>
/// Presents an <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> as an <see cref="IChatClient"/>, so embedding
/// requests go through the one pipeline every request takes: each message's text is an input, the response holds one
/// <see cref="EmbeddingsContent"/> and the generator's usage (input tokens).
/// </summary>
/// <remarks>
/// A parallel <c>DelegatingEmbeddingGenerator</c> stack would repeat the ledger, key authorization, privacy guard,
/// rate limits and the router with its budgets, failover and breakers for one more request shape; an embedding is,
/// to all of them, a request with input tokens and no output.
/// </remarks>
public sealed class EmbeddingChatClient : IChatClient
{
    private readonly IEmbeddingGenerator<string, Embedding<float>> _generator;

    /// <summary>Wraps <paramref name="generator"/> (disposed with this client).</summary>
    public EmbeddingChatClient(IEmbeddingGenerator<string, Embedding<float>> generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        _generator = generator;
    }

    /// <inheritdoc />
    public async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var inputs = EmbeddingRequest.Inputs(messages);
        var generationOptions = new EmbeddingGenerationOptions { ModelId = options?.ModelId, Dimensions = EmbeddingRequest.Dimensions(options) };
        var embeddings = await _generator.GenerateAsync(inputs, generationOptions, cancellationToken).ConfigureAwait(false);
        if (embeddings.Count != inputs.Count)
        {
            throw new Routing.ProviderException(Routing.ProviderFailureKind.Other, $"The upstream returned {embeddings.Count} embeddings for {inputs.Count} inputs.");
        }

        var vectors = new ReadOnlyMemory<float>[embeddings.Count];
        for (var i = 0; i < vectors.Length; i++)
        {
            vectors[i] = embeddings[i].Vector;
        }

        var usage = embeddings.Usage ?? new UsageDetails();
        usage.OutputTokenCount ??= 0;
        return new ChatResponse(new ChatMessage(ChatRole.Assistant, [new EmbeddingsContent(vectors)]))
        {
            ModelId = embeddings.FirstOrDefault()?.ModelId ?? options?.ModelId,
            Usage = usage,
            FinishReason = ChatFinishReason.Stop,
        };
    }

    /// <inheritdoc />
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var response = await GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        foreach (var update in response.ToChatResponseUpdates())
        {
            yield return update;
        }
    }

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType.IsInstanceOfType(this) ? this : _generator.GetService(serviceType, serviceKey);
    }

    /// <inheritdoc />
    public void Dispose() => _generator.Dispose();
}
