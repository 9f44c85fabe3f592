using Switchyard.Routing;

namespace Switchyard.Local.Serving;

/// <summary>
/// Admission control for the embedded engine: at most <c>maxParallel</c> requests run at once, up to
/// <c>maxQueue</c> more wait in arrival order, and any beyond that are refused at once with 429 or 503 so the router
/// can fail over instead of piling up behind a busy model. Also the engine's <see cref="ILoadSignal"/>.
/// </summary>
/// <remarks>
/// No lock is held across an await; the counters are read without locking. Waiters are served first come, first
/// served (SemaphoreSlim hands a released slot straight to its oldest asynchronous waiter). Thread-safe.
/// </remarks>
internal sealed class EmbeddedScheduler : ILoadSignal, IDisposable
{
    private const double DecodeSmoothing = 0.3;
    private static readonly TimeSpan BusyRetryAfter = TimeSpan.FromSeconds(1);

    private readonly SemaphoreSlim _slots;
    private readonly CancellationTokenSource _disposing = new();
    private readonly Lock _decodeLock = new();
    private readonly int _maxParallel;
    private readonly int _maxQueue;
    private readonly int _queueFullStatus;
    private readonly TimeProvider _timeProvider;
    private int _active;
    private int _waiting;
    private int _disposed;
    private double _decodeTokensPerSecond;

    /// <param name="maxParallel">Requests that may run at once (at least 1).</param>
    /// <param name="maxQueue">Requests that may wait for a slot (0 refuses whenever all slots are busy).</param>
    /// <param name="queueFullStatus">The status of the refusal when the queue is full: 429 (rate limited) or 503
    /// (server error); both carry a one-second Retry-After.</param>
    /// <param name="timeProvider">The clock behind <see cref="EmbeddedLease.QueueTime"/>.</param>
    public EmbeddedScheduler(int maxParallel, int maxQueue, int queueFullStatus, TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxParallel, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(maxQueue);
        if (queueFullStatus is not (429 or 503))
        {
            throw new ArgumentOutOfRangeException(nameof(queueFullStatus), queueFullStatus, "The queue-full status must be 429 or 503.");
        }

        ArgumentNullException.ThrowIfNull(timeProvider);
        _maxParallel = maxParallel;
        _maxQueue = maxQueue;
        _queueFullStatus = queueFullStatus;
        _timeProvider = timeProvider;
        _slots = new SemaphoreSlim(maxParallel, maxParallel);
    }

    /// <summary>The number of slots (requests that may run at once).</summary>
    public int MaxParallel => _maxParallel;

    /// <summary>The number of requests that may wait for a slot.</summary>
    public int MaxQueue => _maxQueue;

    /// <inheritdoc />
    public int Active => Volatile.Read(ref _active);

    /// <inheritdoc />
    public int Waiting => Volatile.Read(ref _waiting);

    /// <inheritdoc />
    public bool IsSaturated => Active >= _maxParallel && Waiting >= _maxQueue;

    /// <inheritdoc />
    public double DecodeTokensPerSecond => Volatile.Read(ref _decodeTokensPerSecond);

    /// <summary>
    /// Takes a slot, waiting in line if every slot is busy and the queue has room. Dispose the lease to give the slot
    /// back (disposing again does nothing).
    /// </summary>
    /// <exception cref="ProviderException">The queue is full: <see cref="ProviderFailureKind.RateLimited"/> (429) or
    /// <see cref="ProviderFailureKind.ServerError"/> (503), with a one-second <see cref="ProviderException.RetryAfter"/>.</exception>
    /// <exception cref="OperationCanceledException">The caller gave up while waiting; its place in the queue is freed.</exception>
    /// <exception cref="ObjectDisposedException">The scheduler was disposed (also thrown to requests still waiting then).</exception>
    public ValueTask<IDisposable> AcquireAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        cancellationToken.ThrowIfCancellationRequested();
        long start = _timeProvider.GetTimestamp();
        if (_slots.Wait(0, CancellationToken.None))
        {
            Interlocked.Increment(ref _active);
            return new ValueTask<IDisposable>(new EmbeddedLease(this, TimeSpan.Zero));
        }

        if (!TryJoinQueue())
        {
            throw QueueFull();
        }

        return new ValueTask<IDisposable>(WaitForSlotAsync(start, cancellationToken));
    }

    /// <summary>Records how fast one request decoded, for <see cref="DecodeTokensPerSecond"/> (an exponential moving
    /// average, weight 0.3 on the newest measurement). Measurements without tokens or time are ignored.</summary>
    public void RecordDecode(int tokens, TimeSpan elapsed)
    {
        if (tokens <= 0 || elapsed <= TimeSpan.Zero)
        {
            return;
        }

        double rate = tokens / elapsed.TotalSeconds;
        lock (_decodeLock)
        {
            double previous = _decodeTokensPerSecond;
            double next = previous == 0 ? rate : (DecodeSmoothing * rate) + ((1 - DecodeSmoothing) * previous);
            Volatile.Write(ref _decodeTokensPerSecond, next);
        }
    }

    /// <summary>Refuses new requests and fails those still waiting with <see cref="ObjectDisposedException"/>; running
    /// requests finish normally (their leases may still be disposed).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _disposing.Cancel();
        _disposing.Dispose();
    }

    private async Task<IDisposable> WaitForSlotAsync(long start, CancellationToken cancellationToken)
    {
        try
        {
            CancellationTokenSource? linked = null;
            try
            {
                CancellationToken token;
                try
                {
                    linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _disposing.Token);
                    token = linked.Token;
                }
                catch (ObjectDisposedException)
                {
                    // Disposed between the check in AcquireAsync and here: report the scheduler, not its token source.
                    ObjectDisposedException.ThrowIf(true, this);
                    throw;
                }

                await _slots.WaitAsync(token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Report the caller's own token (not the linked one), or the disposal that ended the wait.
                cancellationToken.ThrowIfCancellationRequested();
                ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
                throw;
            }
            finally
            {
                linked?.Dispose();
            }

            Interlocked.Increment(ref _active);
            return new EmbeddedLease(this, _timeProvider.GetElapsedTime(start));
        }
        finally
        {
            Interlocked.Decrement(ref _waiting);
        }
    }

    private bool TryJoinQueue()
    {
        int waiting = Volatile.Read(ref _waiting);
        while (waiting < _maxQueue)
        {
            int seen = Interlocked.CompareExchange(ref _waiting, waiting + 1, waiting);
            if (seen == waiting)
            {
                return true;
            }

            waiting = seen;
        }

        return false;
    }

    private ProviderException QueueFull()
    {
        string message = $"The embedded model is busy ({Active} running, {Waiting} waiting); try again shortly.";
        return _queueFullStatus == 429
            ? new ProviderException(ProviderFailureKind.RateLimited, message, 429, BusyRetryAfter)
            : new ProviderException(ProviderFailureKind.ServerError, message, 503, BusyRetryAfter);
    }

    private void Release()
    {
        Interlocked.Decrement(ref _active);
        _slots.Release();
    }

    /// <summary>A slot held by one request; disposing it gives the slot back once.</summary>
    internal sealed class EmbeddedLease : IDisposable
    {
        private EmbeddedScheduler? _owner;

        internal EmbeddedLease(EmbeddedScheduler owner, TimeSpan queueTime)
        {
            _owner = owner;
            QueueTime = queueTime;
        }

        /// <summary>How long the request waited for its slot (zero if one was free).</summary>
        public TimeSpan QueueTime { get; }

        public void Dispose() => Interlocked.Exchange(ref _owner, null)?.Release();
    }
}
