using Microsoft.Extensions.Time.Testing;
using Switchyard.Routing;

namespace Switchyard.Tests.Routing;

public sealed class CircuitBreakerTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    [Fact]
    public void OpensAfterThreshold_HalfOpensAfterBreak_ClosesOnProbeSuccess()
    {
        var breaker = new CircuitBreaker(3, TimeSpan.FromSeconds(30), _time);
        for (var i = 0; i < 2; i++)
        {
            Assert.True(breaker.TryAcquire(out _));
            breaker.RecordFailure();
        }

        Assert.Equal(CircuitState.Closed, breaker.State);
        breaker.RecordFailure();
        Assert.Equal(CircuitState.Open, breaker.State);
        Assert.False(breaker.TryAcquire(out var wait));
        Assert.Equal(TimeSpan.FromSeconds(30), wait);

        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.False(breaker.TryAcquire(out wait));
        Assert.Equal(TimeSpan.FromSeconds(1), wait);

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(breaker.TryAcquire(out _)); // the probe
        Assert.Equal(CircuitState.HalfOpen, breaker.State);
        Assert.False(breaker.TryAcquire(out _)); // only one probe at a time
        breaker.RecordSuccess();
        Assert.Equal(CircuitState.Closed, breaker.State);
        Assert.True(breaker.TryAcquire(out _));
    }

    [Fact]
    public void FailedProbe_ReopensForAnotherBreak()
    {
        var breaker = new CircuitBreaker(1, TimeSpan.FromSeconds(10), _time);
        breaker.RecordFailure();
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(breaker.TryAcquire(out _));
        breaker.RecordFailure();
        Assert.Equal(CircuitState.Open, breaker.State);
        Assert.False(breaker.TryAcquire(out var wait));
        Assert.Equal(TimeSpan.FromSeconds(10), wait);
    }

    [Fact]
    public void SilentProbe_IsReplacedAfterAnotherBreak()
    {
        var breaker = new CircuitBreaker(1, TimeSpan.FromSeconds(10), _time);
        breaker.RecordFailure();
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.True(breaker.TryAcquire(out _)); // probe never reports (caller went away)
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.False(breaker.TryAcquire(out _));
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.True(breaker.TryAcquire(out _));
    }

    [Fact]
    public void SuccessResetsConsecutiveFailures()
    {
        var breaker = new CircuitBreaker(2, TimeSpan.FromSeconds(10), _time);
        breaker.RecordFailure();
        breaker.RecordSuccess();
        breaker.RecordFailure();
        Assert.Equal(CircuitState.Closed, breaker.State);
    }

    [Fact]
    public async Task ConcurrentProbes_OnlyOneIsLetThrough()
    {
        var breaker = new CircuitBreaker(1, TimeSpan.FromSeconds(1), _time);
        breaker.RecordFailure();
        _time.Advance(TimeSpan.FromSeconds(1));
        var granted = 0;
        await Task.WhenAll(Enumerable.Range(0, 16).Select(i => Task.Run(() =>
        {
            if (breaker.TryAcquire(out _))
            {
                Interlocked.Increment(ref granted);
            }
        })));
        Assert.Equal(1, granted);
    }
}
