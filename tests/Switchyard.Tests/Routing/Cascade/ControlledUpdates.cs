using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.AI;

namespace Switchyard.Tests.Routing.Cascade;

/// <summary>
/// A streamed response the test feeds update by update; <see cref="Pulled"/> is released each time the consumer
/// asks for the next update, so a test knows the consumer has taken everything written so far.
/// </summary>
public sealed class ControlledUpdates
{
    private readonly Channel<ChatResponseUpdate> _channel = Channel.CreateUnbounded<ChatResponseUpdate>();

    public SemaphoreSlim Pulled { get; } = new(0);

    public CancellationToken Token { get; private set; }

    public void Write(ChatResponseUpdate update) => Assert.True(_channel.Writer.TryWrite(update));

    public void Complete(Exception? error = null) => _channel.Writer.Complete(error);

    /// <summary>Waits until the consumer asks for the next update (bounded, so a broken test fails instead of hanging).</summary>
    public async Task WaitForPullAsync() => Assert.True(await Pulled.WaitAsync(TimeSpan.FromSeconds(30)), "the consumer never asked for the next update");

    public async IAsyncEnumerable<ChatResponseUpdate> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Token = cancellationToken;
        while (true)
        {
            Pulled.Release();
            if (!await _channel.Reader.WaitToReadAsync(cancellationToken))
            {
                yield break;
            }

            yield return await _channel.Reader.ReadAsync(cancellationToken);
        }
    }
}
