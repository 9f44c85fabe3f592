using Switchyard.Local.Serving;
using Switchyard.Routing;

namespace Switchyard.Local.Tests.Serving;

/// <summary>Admission control of the embedded engine: slots, a bounded FIFO queue, refusals and the load signal.</summary>
public sealed class EmbeddedSchedulerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task At_most_max_parallel_requests_run()
    {
        using var scheduler = new EmbeddedScheduler(maxParallel: 2, maxQueue: 4, queueFullStatus: 429, TimeProvider.System);

        IDisposable first = await scheduler.AcquireAsync(CancellationToken.None);
        IDisposable second = await scheduler.AcquireAsync(CancellationToken.None);
        Assert.Equal(2, scheduler.Active);
        Assert.Equal(0, scheduler.Waiting);

        ValueTask<IDisposable> third = scheduler.AcquireAsync(CancellationToken.None);
        Assert.False(third.IsCompleted);
        Assert.Equal(2, scheduler.Active);
        Assert.Equal(1, scheduler.Waiting);
        Assert.False(scheduler.IsSaturated);

        first.Dispose();
        IDisposable thirdLease = await third.AsTask().WaitAsync(Timeout);
        Assert.Equal(2, scheduler.Active);
        Assert.Equal(0, scheduler.Waiting);

        second.Dispose();
        thirdLease.Dispose();
        Assert.Equal(0, scheduler.Active);
    }

    [Fact]
    public async Task Waiters_are_served_in_arrival_order()
    {
        using var scheduler = new EmbeddedScheduler(maxParallel: 1, maxQueue: 10, queueFullStatus: 503, TimeProvider.System);
        IDisposable running = await scheduler.AcquireAsync(CancellationToken.None);

        var order = new List<int>();
        var waiters = new List<Task>();
        for (int i = 0; i < 5; i++)
        {
            int index = i;
            ValueTask<IDisposable> pending = scheduler.AcquireAsync(CancellationToken.None);
            waiters.Add(Task.Run(async () =>
            {
                IDisposable lease = await pending;
                lock (order)
                {
                    order.Add(index);
                }

                lease.Dispose();
            }));
        }

        Assert.Equal(5, scheduler.Waiting);
        running.Dispose();
        await Task.WhenAll(waiters).WaitAsync(Timeout);

        Assert.Equal([0, 1, 2, 3, 4], order);
        Assert.Equal(0, scheduler.Active);
        Assert.Equal(0, scheduler.Waiting);
    }

    [Fact]
    public async Task Full_queue_is_refused_with_429_and_retry_after()
    {
        using var scheduler = new EmbeddedScheduler(maxParallel: 1, maxQueue: 1, queueFullStatus: 429, TimeProvider.System);
        using IDisposable running = await scheduler.AcquireAsync(CancellationToken.None);
        ValueTask<IDisposable> queued = scheduler.AcquireAsync(CancellationToken.None);
        Assert.True(scheduler.IsSaturated);

        var ex = await Assert.ThrowsAsync<ProviderException>(async () => await scheduler.AcquireAsync(CancellationToken.None));

        Assert.Equal(ProviderFailureKind.RateLimited, ex.Kind);
        Assert.Equal(429, ex.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), ex.RetryAfter);
        Assert.True(ex.IsTransient);
        Assert.Contains("busy", ex.Message, StringComparison.Ordinal);
        Assert.Contains("1 running, 1 waiting", ex.Message, StringComparison.Ordinal);
        Assert.Equal(1, scheduler.Waiting);

        running.Dispose();
        (await queued.AsTask().WaitAsync(Timeout)).Dispose();
    }

    [Fact]
    public async Task Full_queue_is_refused_with_503_when_configured()
    {
        using var scheduler = new EmbeddedScheduler(maxParallel: 1, maxQueue: 0, queueFullStatus: 503, TimeProvider.System);
        using IDisposable running = await scheduler.AcquireAsync(CancellationToken.None);
        Assert.True(scheduler.IsSaturated);

        var ex = await Assert.ThrowsAsync<ProviderException>(async () => await scheduler.AcquireAsync(CancellationToken.None));

        Assert.Equal(ProviderFailureKind.ServerError, ex.Kind);
        Assert.Equal(503, ex.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), ex.RetryAfter);
        Assert.Equal(0, scheduler.Waiting);
    }

    [Fact]
    public async Task Cancelled_waiter_leaves_the_queue_and_frees_its_place()
    {
        using var scheduler = new EmbeddedScheduler(maxParallel: 1, maxQueue: 1, queueFullStatus: 429, TimeProvider.System);
        IDisposable running = await scheduler.AcquireAsync(CancellationToken.None);
        using var cts = new CancellationTokenSource();

        ValueTask<IDisposable> waiting = scheduler.AcquireAsync(cts.Token);
        Assert.Equal(1, scheduler.Waiting);
        Assert.True(scheduler.IsSaturated);

        await cts.CancelAsync();
        var cancelled = await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await waiting);
        Assert.Equal(cts.Token, cancelled.CancellationToken);
        Assert.Equal(0, scheduler.Waiting);
        Assert.False(scheduler.IsSaturated);

        // The place is free again, and the slot was not taken by the cancelled waiter.
        ValueTask<IDisposable> next = scheduler.AcquireAsync(CancellationToken.None);
        Assert.Equal(1, scheduler.Waiting);
        running.Dispose();
        IDisposable lease = await next.AsTask().WaitAsync(Timeout);
        Assert.Equal(1, scheduler.Active);
        lease.Dispose();
        Assert.Equal(0, scheduler.Active);
    }

    [Fact]
    public async Task Already_cancelled_token_is_refused_without_queueing()
    {
        using var scheduler = new EmbeddedScheduler(maxParallel: 1, maxQueue: 1, queueFullStatus: 429, TimeProvider.System);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await scheduler.AcquireAsync(new CancellationToken(canceled: true)));

        Assert.Equal(0, scheduler.Active);
        Assert.Equal(0, scheduler.Waiting);
    }

    [Fact]
    public async Task Disposing_a_lease_twice_frees_one_slot()
    {
        using var scheduler = new EmbeddedScheduler(maxParallel: 2, maxQueue: 0, queueFullStatus: 429, TimeProvider.System);
        IDisposable first = await scheduler.AcquireAsync(CancellationToken.None);
        IDisposable second = await scheduler.AcquireAsync(CancellationToken.None);

        first.Dispose();
        first.Dispose();
        Assert.Equal(1, scheduler.Active);

        // Only one slot came back: a second extra request is refused.
        IDisposable third = await scheduler.AcquireAsync(CancellationToken.None);
        await Assert.ThrowsAsync<ProviderException>(async () => await scheduler.AcquireAsync(CancellationToken.None));

        second.Dispose();
        third.Dispose();
        Assert.Equal(0, scheduler.Active);
    }

    [Fact]
    public async Task Lease_reports_time_spent_in_the_queue()
    {
        var clock = new ManualClock();
        using var scheduler = new EmbeddedScheduler(maxParallel: 1, maxQueue: 1, queueFullStatus: 429, clock);
        IDisposable running = await scheduler.AcquireAsync(CancellationToken.None);
        Assert.Equal(TimeSpan.Zero, Assert.IsType<EmbeddedScheduler.EmbeddedLease>(running).QueueTime);

        ValueTask<IDisposable> queued = scheduler.AcquireAsync(CancellationToken.None);
        clock.Advance(TimeSpan.FromMilliseconds(250));
        running.Dispose();
        using IDisposable lease = await queued.AsTask().WaitAsync(Timeout);

        Assert.Equal(TimeSpan.FromMilliseconds(250), Assert.IsType<EmbeddedScheduler.EmbeddedLease>(lease).QueueTime);
    }

    [Fact]
    public async Task Dispose_fails_waiters_and_refuses_new_requests()
    {
        var scheduler = new EmbeddedScheduler(maxParallel: 1, maxQueue: 2, queueFullStatus: 429, TimeProvider.System);
        IDisposable running = await scheduler.AcquireAsync(CancellationToken.None);
        ValueTask<IDisposable> waiting = scheduler.AcquireAsync(CancellationToken.None);

        scheduler.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await waiting.AsTask().WaitAsync(Timeout));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await scheduler.AcquireAsync(CancellationToken.None));
        Assert.Equal(0, scheduler.Waiting);
        running.Dispose();
        Assert.Equal(0, scheduler.Active);
    }

    [Fact]
    public void Decode_speed_is_an_exponential_moving_average()
    {
        using var scheduler = new EmbeddedScheduler(maxParallel: 1, maxQueue: 0, queueFullStatus: 429, TimeProvider.System);
        Assert.Equal(0, scheduler.DecodeTokensPerSecond);

        scheduler.RecordDecode(100, TimeSpan.FromSeconds(1));
        Assert.Equal(100, scheduler.DecodeTokensPerSecond, 9);

        scheduler.RecordDecode(50, TimeSpan.FromSeconds(1));
        Assert.Equal((0.3 * 50) + (0.7 * 100), scheduler.DecodeTokensPerSecond, 9);

        scheduler.RecordDecode(0, TimeSpan.FromSeconds(1));
        scheduler.RecordDecode(-3, TimeSpan.FromSeconds(1));
        scheduler.RecordDecode(10, TimeSpan.Zero);
        scheduler.RecordDecode(10, TimeSpan.FromSeconds(-1));
        Assert.Equal(85, scheduler.DecodeTokensPerSecond, 9);

        scheduler.RecordDecode(40, TimeSpan.FromMilliseconds(200));
        Assert.Equal((0.3 * 200) + (0.7 * 85), scheduler.DecodeTokensPerSecond, 9);
    }

    [Theory]
    [InlineData(0, 0, 429)]
    [InlineData(1, -1, 429)]
    [InlineData(1, 0, 500)]
    public void Invalid_settings_are_rejected(int maxParallel, int maxQueue, int status)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new EmbeddedScheduler(maxParallel, maxQueue, status, TimeProvider.System));
    }

    [Fact]
    public async Task Heavy_contention_never_exceeds_the_limit()
    {
        using var scheduler = new EmbeddedScheduler(maxParallel: 3, maxQueue: 1000, queueFullStatus: 429, TimeProvider.System);
        int running = 0;
        int peak = 0;
        Task[] workers = Enumerable.Range(0, 200).Select(_ => Task.Run(async () =>
        {
            using IDisposable lease = await scheduler.AcquireAsync(CancellationToken.None);
            int now = Interlocked.Increment(ref running);
            int seen;
            while (now > (seen = Volatile.Read(ref peak)) && Interlocked.CompareExchange(ref peak, now, seen) != seen)
            {
            }

            await Task.Yield();
            Interlocked.Decrement(ref running);
        })).ToArray();

        await Task.WhenAll(workers).WaitAsync(Timeout);

        Assert.InRange(peak, 1, 3);
        Assert.Equal(0, scheduler.Active);
        Assert.Equal(0, scheduler.Waiting);
    }

    /// <summary>A clock that moves only when told, for queue-time measurements.</summary>
    private sealed class ManualClock : TimeProvider
    {
        private long _ticks;

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Interlocked.Read(ref _ticks);

        public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
    }
}
