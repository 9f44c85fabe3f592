namespace Switchyard.Routing;

/// <summary>
/// A per-provider circuit breaker: opens after <c>threshold</c> consecutive failures, stays open for the break
/// duration, then lets one probe through (half-open); the probe's success closes it, its failure re-opens it.
/// </summary>
/// <remarks>
/// Lock-free: the state is an immutable snapshot swapped with <see cref="Interlocked.CompareExchange{T}(ref T, T, T)"/>,
/// so the request path never blocks. Time comes from the injected <see cref="TimeProvider"/>.
/// Polly's breaker was not used because it only observes outcomes of callbacks it executes itself, while a streamed
/// response's outcome is known only when the caller finishes reading it; this type takes outcomes as reports instead.
/// A probe that never reports (its caller went away) is replaced by a new probe after another break duration.
/// </remarks>
public sealed class CircuitBreaker
{
    private readonly int _threshold;
    private readonly TimeSpan _breakDuration;
    private readonly TimeProvider _time;
    private Snapshot _state = new(CircuitState.Closed, 0, 0);

    /// <summary>Creates a closed breaker.</summary>
    public CircuitBreaker(int threshold, TimeSpan breakDuration, TimeProvider timeProvider)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threshold, 1);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(breakDuration, TimeSpan.Zero);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _threshold = threshold;
        _breakDuration = breakDuration;
        _time = timeProvider;
    }

    /// <summary>The current state (an open circuit whose break has elapsed still reads Open until a call probes it).</summary>
    public CircuitState State => Volatile.Read(ref _state).State;

    /// <summary>Whether <see cref="TryAcquire"/> would refuse now (without taking a probe slot); <paramref name="retryAfter"/> says for how long.</summary>
    public bool IsRefusing(out TimeSpan retryAfter)
    {
        var current = Volatile.Read(ref _state);
        var elapsed = current.State == CircuitState.Closed ? _breakDuration : _time.GetElapsedTime(current.Since);
        retryAfter = elapsed < _breakDuration ? _breakDuration - elapsed : TimeSpan.Zero;
        return elapsed < _breakDuration;
    }

    /// <summary>Asks to make a call. False means the circuit is open; <paramref name="retryAfter"/> says for how long.</summary>
    public bool TryAcquire(out TimeSpan retryAfter)
    {
        while (true)
        {
            var current = Volatile.Read(ref _state);
            if (current.State == CircuitState.Closed)
            {
                retryAfter = TimeSpan.Zero;
                return true;
            }

            var elapsed = _time.GetElapsedTime(current.Since);
            if (elapsed < _breakDuration)
            {
                retryAfter = _breakDuration - elapsed;
                return false;
            }

            // Break elapsed (or a half-open probe went silent for a whole break): let exactly one caller probe.
            var probing = new Snapshot(CircuitState.HalfOpen, current.Failures, _time.GetTimestamp());
            if (Interlocked.CompareExchange(ref _state, probing, current) == current)
            {
                retryAfter = TimeSpan.Zero;
                return true;
            }
        }
    }

    /// <summary>Reports a successful call: the circuit closes and the failure count resets.</summary>
    public void RecordSuccess()
    {
        var closed = new Snapshot(CircuitState.Closed, 0, 0);
        while (true)
        {
            var current = Volatile.Read(ref _state);
            if (current.State == CircuitState.Closed && current.Failures == 0)
            {
                return;
            }

            if (Interlocked.CompareExchange(ref _state, closed, current) == current)
            {
                return;
            }
        }
    }

    /// <summary>Reports a failed call that was the provider's fault.</summary>
    public void RecordFailure()
    {
        while (true)
        {
            var current = Volatile.Read(ref _state);
            Snapshot next;
            if (current.State == CircuitState.HalfOpen || current.Failures + 1 >= _threshold)
            {
                next = new Snapshot(CircuitState.Open, current.Failures + 1, _time.GetTimestamp());
            }
            else if (current.State == CircuitState.Open)
            {
                return; // a late report from a call started before the circuit opened
            }
            else
            {
                next = current with { Failures = current.Failures + 1 };
            }

            if (Interlocked.CompareExchange(ref _state, next, current) == current)
            {
                return;
            }
        }
    }

    private sealed record Snapshot(CircuitState State, int Failures, long Since);
}
