namespace Switchyard.Local.Serving;

/// <summary>How an <see cref="EmbeddedChatClient"/> shares its model between requests.</summary>
public sealed record EmbeddedEngineOptions
{
    /// <summary>Positions per conversation (prompt plus output), capped at the model's trained context.</summary>
    public int ContextLength { get; init; } = 4096;

    /// <summary>Generations that run at once; each holds its own key/value cache.</summary>
    public int MaxParallel { get; init; } = 1;

    /// <summary>Requests that may wait for a slot; beyond that they are refused.</summary>
    public int MaxQueue { get; init; } = 16;

    /// <summary>The status a refused request gets: 503 (server busy) or 429 (too many requests).</summary>
    public int QueueFullStatus { get; init; } = 503;

    /// <summary>Prompt tokens evaluated per batch.</summary>
    public int BatchSize { get; init; } = 64;

    /// <summary>Checks the values, naming the first one out of range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ContextLength, 16, nameof(ContextLength));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxParallel, nameof(MaxParallel));
        ArgumentOutOfRangeException.ThrowIfNegative(MaxQueue, nameof(MaxQueue));
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(BatchSize, nameof(BatchSize));
        if (QueueFullStatus is not (429 or 503))
        {
            throw new ArgumentOutOfRangeException(nameof(QueueFullStatus), QueueFullStatus, "QueueFullStatus must be 429 or 503.");
        }
    }
}
