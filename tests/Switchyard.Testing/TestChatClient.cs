using Microsoft.Extensions.AI;

namespace Switchyard.Testing;

/// <summary>An <see cref="IChatClient"/> whose behaviour is a callback per method (a fake, not a mock).</summary>
public sealed class TestChatClient : IChatClient
{
    /// <summary>Called by <see cref="GetResponseAsync"/>; returns an empty response when null.</summary>
    public Func<IEnumerable<ChatMessage>, ChatOptions?, CancellationToken, Task<ChatResponse>>? GetResponseAsyncCallback { get; set; }

    /// <summary>Called by <see cref="GetStreamingResponseAsync"/>; yields nothing when null.</summary>
    public Func<IEnumerable<ChatMessage>, ChatOptions?, CancellationToken, IAsyncEnumerable<ChatResponseUpdate>>? GetStreamingResponseAsyncCallback { get; set; }

    /// <summary>Called by <see cref="GetService"/> first; a null result falls back to this client when it matches.</summary>
    public Func<Type, object?, object?>? GetServiceCallback { get; set; }

    /// <inheritdoc />
    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        GetResponseAsyncCallback?.Invoke(messages, options, cancellationToken) ?? Task.FromResult(new ChatResponse());

    /// <inheritdoc />
    public IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        GetStreamingResponseAsyncCallback?.Invoke(messages, options, cancellationToken) ?? AsyncEnumerable.Empty<ChatResponseUpdate>();

    /// <inheritdoc />
    public object? GetService(Type serviceType, object? serviceKey = null) =>
        GetServiceCallback?.Invoke(serviceType, serviceKey) ?? (serviceType.IsInstanceOfType(this) ? this : null);

    /// <inheritdoc />
    public void Dispose()
    {
    }
}
