namespace Switchyard.Routing;

/// <summary>
/// A pipeline stage refused the request for a reason the client must see as is (a key not allowed the model, a spent
/// budget, a rate limit): <see cref="Failure"/> is what the client receives.
/// </summary>
public sealed class RequestRefusedException : Exception
{
    /// <summary>Creates the exception.</summary>
    public RequestRefusedException(FailureInfo failure)
        : base(failure?.Message)
    {
        ArgumentNullException.ThrowIfNull(failure);
        Failure = failure;
    }

    /// <summary>Creates the exception with a generic failure (prefer the <see cref="FailureInfo"/> overload).</summary>
    public RequestRefusedException()
        : this(new FailureInfo(403, "permission_error", "refused", "The request was refused."))
    {
    }

    /// <summary>Creates the exception with a 403 carrying <paramref name="message"/>.</summary>
    public RequestRefusedException(string message)
        : this(new FailureInfo(403, "permission_error", "refused", message))
    {
    }

    /// <summary>Creates the exception with a 403 carrying <paramref name="message"/> and its cause.</summary>
    public RequestRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Failure = new FailureInfo(403, "permission_error", "refused", message);
    }

    /// <summary>What the client receives.</summary>
    public FailureInfo Failure { get; }
}
