namespace Switchyard.Routing;

/// <summary>
/// How a failed request is reported: HTTP status, OpenAI-style error type and code, a message that names the cause
/// (the upstream's reason included) without internals, and a Retry-After when one is known.
/// </summary>
/// <param name="Status">HTTP status.</param>
/// <param name="Type">Error type (e.g. <c>invalid_request_error</c>, <c>upstream_error</c>).</param>
/// <param name="Code">Machine-readable code (e.g. <c>model_not_found</c>).</param>
/// <param name="Message">Human-readable message.</param>
/// <param name="RetryAfter">When a retry may succeed, if known.</param>
public sealed record FailureInfo(int Status, string Type, string Code, string Message, TimeSpan? RetryAfter = null)
{
    /// <summary>The status recorded when the caller went away (nginx's convention; never sent).</summary>
    public const int ClientClosedRequest = 499;

    /// <summary>Anthropic's 529 <c>overloaded_error</c>: passed on as 529 to Messages clients and as 503 in OpenAI's formats.</summary>
    public const int UpstreamOverloaded = 529;

    /// <summary>The failure reported when a request outlives the gateway's request timeout.</summary>
    public static FailureInfo RequestTimeout { get; } = new(504, "timeout", "request_timeout", "The request did not complete within the gateway's request timeout (Switchyard:Limits:RequestTimeoutSeconds).");

    /// <summary>Classifies an exception that ended a request.</summary>
    /// <param name="exception">The exception.</param>
    /// <param name="requestId">Quoted in messages for errors whose details stay internal.</param>
    public static FailureInfo From(Exception exception, string requestId)
    {
        ArgumentNullException.ThrowIfNull(exception);
        switch (exception)
        {
            case RequestRefusedException refused:
                return refused.Failure;
            case UnknownModelException:
                return new(404, "invalid_request_error", "model_not_found", exception.Message);
            case NoRouteAvailableException { RestrictedByPolicy: true } restricted:
                return new(503, "service_unavailable", "no_compliant_route", "No candidate allowed by the privacy policy could serve the request (it was sent nowhere else): " + restricted.Message, restricted.RetryAfter);
            case NoRouteAvailableException { InnerException: null } none:
                return new(503, "service_unavailable", "no_healthy_candidate", none.Message, none.RetryAfter);
            case NoRouteAvailableException { InnerException: { } last } all:
                var inner = From(last, requestId);
                return inner with { Message = all.Message };
            case ProviderException p:
                return FromProvider(p);
            case HttpRequestException or IOException:
                return new(502, "upstream_error", "upstream_connection_failed", "The upstream connection failed: " + exception.Message);
            case OperationCanceledException:
                return new(ClientClosedRequest, "cancelled", "client_closed_request", "The client closed the request.");
            default:
                return new(500, "server_error", "internal_error", $"Internal error while handling request {requestId}; see the gateway log.");
        }
    }

    private static FailureInfo FromProvider(ProviderException p)
    {
        var upstream = p.StatusCode is { } s ? $"upstream answered {s}: {p.Message}" : p.Message;
        return p.Kind switch
        {
            ProviderFailureKind.RateLimited => new(429, "rate_limit_error", "upstream_rate_limited", upstream, p.RetryAfter),
            ProviderFailureKind.Timeout => new(504, "upstream_error", "upstream_timeout", upstream),
            ProviderFailureKind.Connection => new(502, "upstream_error", "upstream_connection_failed", upstream),
            // Anthropic's "overloaded" status: Messages clients get it back as such (OpenAI's formats say 503).
            ProviderFailureKind.ServerError when p.StatusCode == UpstreamOverloaded => new(UpstreamOverloaded, "upstream_error", "upstream_overloaded", upstream, p.RetryAfter),
            ProviderFailureKind.ServerError => new(502, "upstream_error", "upstream_server_error", upstream),
            ProviderFailureKind.BadRequest => new(400, "invalid_request_error", "upstream_rejected_request", upstream),
            ProviderFailureKind.Authentication => new(502, "upstream_error", "upstream_auth_failed", upstream),
            ProviderFailureKind.NotFound => new(502, "upstream_error", "upstream_not_found", upstream),
            _ => new(502, "upstream_error", "upstream_error", upstream),
        };
    }
}
