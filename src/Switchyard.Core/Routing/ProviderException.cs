namespace Switchyard.Routing;

/// <summary>
/// A failure of one upstream call, classified so the router can decide between retry, failover and giving up.
/// Provider adapters translate their SDK's exceptions into this type.
/// </summary>
public sealed class ProviderException : Exception
{
    /// <summary>Creates a classified provider failure.</summary>
    public ProviderException(ProviderFailureKind kind, string message, int? statusCode = null, TimeSpan? retryAfter = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        StatusCode = statusCode;
        RetryAfter = retryAfter;
    }

    /// <summary>Creates an unclassified failure (required by the exception pattern).</summary>
    public ProviderException()
        : this(ProviderFailureKind.Other, "The upstream call failed.")
    {
    }

    /// <summary>Creates an unclassified failure (required by the exception pattern).</summary>
    public ProviderException(string message)
        : this(ProviderFailureKind.Other, message)
    {
    }

    /// <summary>Creates an unclassified failure (required by the exception pattern).</summary>
    public ProviderException(string message, Exception innerException)
        : this(ProviderFailureKind.Other, message, innerException: innerException)
    {
    }

    /// <summary>The classification.</summary>
    public ProviderFailureKind Kind { get; }

    /// <summary>The upstream's HTTP status, when it answered.</summary>
    public int? StatusCode { get; }

    /// <summary>The upstream's <c>Retry-After</c>, when it sent one.</summary>
    public TimeSpan? RetryAfter { get; }

    /// <summary>Whether another attempt (same provider after a pause, or another provider) may succeed.</summary>
    public bool IsTransient => Kind is ProviderFailureKind.Connection or ProviderFailureKind.Timeout
        or ProviderFailureKind.RateLimited or ProviderFailureKind.ServerError;

    /// <summary>Classifies an HTTP status code.</summary>
    public static ProviderFailureKind KindFromStatus(int status) => status switch
    {
        429 => ProviderFailureKind.RateLimited,
        408 => ProviderFailureKind.Timeout,
        >= 500 => ProviderFailureKind.ServerError,
        400 or 413 or 422 => ProviderFailureKind.BadRequest,
        401 or 403 => ProviderFailureKind.Authentication,
        404 => ProviderFailureKind.NotFound,
        _ => ProviderFailureKind.Other,
    };
}
