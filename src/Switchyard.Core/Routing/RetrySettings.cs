namespace Switchyard.Routing;

/// <summary>Retries of one candidate after a transient failure, before the router fails over.</summary>
/// <param name="MaxRetries">Retries after the first attempt.</param>
/// <param name="BaseDelay">Delay before the first retry; doubled for each later one, with jitter.</param>
/// <param name="MaxRetryAfter">A longer upstream <c>Retry-After</c> than this fails over instead of waiting.</param>
public readonly record struct RetrySettings(int MaxRetries, TimeSpan BaseDelay, TimeSpan MaxRetryAfter)
{
    /// <summary>No retries: fail over at once.</summary>
    public static RetrySettings None { get; } = new(0, TimeSpan.Zero, TimeSpan.Zero);

    /// <summary>The delay before retry number <paramref name="retry"/> (1-based), honouring <paramref name="retryAfter"/>.</summary>
    /// <param name="retry">Which retry this is, from 1.</param>
    /// <param name="retryAfter">The upstream's Retry-After, if any.</param>
    /// <param name="jitter">A number in [0, 1) that spreads retries of many callers.</param>
    public TimeSpan DelayFor(int retry, TimeSpan? retryAfter, double jitter)
    {
        var exponential = BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Max(0, retry - 1));
        var delay = TimeSpan.FromMilliseconds(exponential * (0.5 + (jitter / 2)));
        return retryAfter is { } ra && ra > delay ? ra : delay;
    }
}
