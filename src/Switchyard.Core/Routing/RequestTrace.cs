using Microsoft.Extensions.AI;

namespace Switchyard.Routing;

/// <summary>
/// Per-request state shared by the pipeline (ledger, router, gateway): who asked, for what, and what the router
/// decided. It travels in <see cref="ChatOptions.AdditionalProperties"/> under <see cref="Key"/>; option clones copy
/// the reference, so every stage of one request sees the same trace.
/// </summary>
/// <remarks>One request's stages run one after another, so the trace needs no synchronisation.</remarks>
public sealed class RequestTrace
{
    /// <summary>The key under which the trace is stored in <see cref="ChatOptions.AdditionalProperties"/>.</summary>
    public const string Key = "switchyard.trace";

    /// <summary>Creates a trace.</summary>
    public RequestTrace(string requestId, string? caller = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(requestId);
        RequestId = requestId;
        Caller = caller;
    }

    /// <summary>The request id (also returned to the client).</summary>
    public string RequestId { get; }

    /// <summary>Who made the request (the OpenAI <c>user</c> field, or an API key's name), if known.</summary>
    public string? Caller { get; set; }

    /// <summary>The API key (and its team) the request was made with; null when authentication is off (<c>Auth:Mode open</c>).</summary>
    /// <remarks>Set once at the edge, before the pipeline runs; every stage reads it.</remarks>
    public Access.RequestPrincipal? Principal { get; set; }

    /// <summary>The rate limiter's decision for this request (for the <c>x-ratelimit-*</c> headers), when a limit applied.</summary>
    public Access.RateLimitDecision? RateLimit { get; set; }

    /// <summary>Token charges taken by model rate limits for this request's attempts (corrected once usage is known).</summary>
    public List<Access.RateLimitCharge>? ModelRateCharges { get; set; }

    /// <summary>Budget held for this request so far, in nano-dollars (every attempt's hold); settled with its ledger row.</summary>
    public long ReservedNanoUsd { get; set; }

    /// <summary>The routing decision being built; set by the router.</summary>
    public RouteDecisionBuilder? Decision { get; set; }

    /// <summary>The candidate being tried, or that served once the request completed.</summary>
    public RouteCandidate? Current { get; set; }

    /// <summary>Cancelled when the gateway gives up on the request: a cancellation then is a timeout, not the caller leaving.</summary>
    public CancellationToken Deadline { get; set; }

    /// <summary>Whether the response was streamed.</summary>
    public bool Streamed { get; set; }

    /// <summary>The privacy policy's decision for this request, when a privacy guard ran.</summary>
    public Privacy.PrivacyDecision? Privacy { get; set; }

    /// <summary>The scanner behind <see cref="Privacy"/>; routes that pseudonymise use it to replace detected values.</summary>
    public Privacy.PrivacyScanner? PrivacyScanner { get; set; }

    /// <summary>Texts of this request the privacy guard scanned and found nothing in; the egress check need not scan them again.</summary>
    public IReadOnlySet<string>? PrivacyScannedClean { get; set; }

    /// <summary>The router's progress through the candidates (private to the router).</summary>
    internal RouterRequestState? RouterState { get; set; }

    /// <summary>Returns the trace attached to <paramref name="options"/>, or null.</summary>
    public static RequestTrace? Get(ChatOptions? options) =>
        options?.AdditionalProperties is { } props && props.TryGetValue(Key, out var value) ? value as RequestTrace : null;

    /// <summary>Attaches this trace to <paramref name="options"/>.</summary>
    public void AttachTo(ChatOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        (options.AdditionalProperties ??= [])[Key] = this;
    }
}
