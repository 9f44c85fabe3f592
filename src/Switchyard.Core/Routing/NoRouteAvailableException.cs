namespace Switchyard.Routing;

/// <summary>
/// Thrown when every candidate of a request was eliminated or failed. <see cref="Exception.InnerException"/>
/// is the last upstream failure, if any candidate was tried.
/// </summary>
public sealed class NoRouteAvailableException : Exception
{
    /// <summary>Creates the exception from the final decision and the last failure.</summary>
    public NoRouteAvailableException(RouteDecision decision, Exception? lastFailure, TimeSpan? retryAfter)
        : base(BuildMessage(decision, lastFailure), lastFailure)
    {
        Decision = decision;
        RetryAfter = retryAfter;
    }

    /// <summary>Required by the exception pattern.</summary>
    public NoRouteAvailableException()
        : base("No candidate could serve the request.")
    {
    }

    /// <summary>Required by the exception pattern.</summary>
    public NoRouteAvailableException(string message)
        : base(message)
    {
    }

    /// <summary>Required by the exception pattern.</summary>
    public NoRouteAvailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The routing decision at the moment routing gave up.</summary>
    public RouteDecision? Decision { get; }

    /// <summary>
    /// Whether the privacy policy removed candidates: then no compliant candidate could serve, and the request must
    /// not go anywhere else (reported as 503 <c>no_compliant_route</c>).
    /// </summary>
    public bool RestrictedByPolicy { get; init; }

    /// <summary>When a caller may usefully try again (the earliest circuit half-open time), if known.</summary>
    public TimeSpan? RetryAfter { get; }

    private static string BuildMessage(RouteDecision decision, Exception? lastFailure)
    {
        var what = decision.Route is null ? $"model '{decision.Requested}'" : $"route '{decision.Route}'";
        return lastFailure is null
            ? $"No candidate of {what} is available: {decision.Reason}."
            : $"Every candidate of {what} failed: {decision.Reason}. Last error: {lastFailure.Message}";
    }
}
