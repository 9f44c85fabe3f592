namespace Switchyard.Routing;

/// <summary>What went wrong with an upstream call, as far as routing is concerned.</summary>
public enum ProviderFailureKind
{
    /// <summary>The connection failed or was reset before a response.</summary>
    Connection,

    /// <summary>The upstream did not answer (or stopped streaming) within the provider's timeout.</summary>
    Timeout,

    /// <summary>The upstream answered 429.</summary>
    RateLimited,

    /// <summary>The upstream answered 5xx.</summary>
    ServerError,

    /// <summary>The upstream rejected the request as malformed (400, 422): retrying elsewhere will not help.</summary>
    BadRequest,

    /// <summary>The upstream rejected Switchyard's credentials (401, 403).</summary>
    Authentication,

    /// <summary>The upstream does not know the model or path (404).</summary>
    NotFound,

    /// <summary>Any other upstream answer or protocol error.</summary>
    Other,
}
