namespace Switchyard.Gateway.OpenAI;

/// <summary>A request the wire format does not allow, reported to the client with the offending <c>param</c>.</summary>
public sealed class WireFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is wrong, for a person.</param>
    /// <param name="param">The parameter path, e.g. <c>messages[1].role</c>.</param>
    /// <param name="code">Machine-readable code, e.g. <c>invalid_value</c>.</param>
    /// <param name="status">HTTP status; 400 unless the body was too large (413).</param>
    /// <param name="innerException">The failure that revealed the problem, if any.</param>
    public WireFormatException(string message, string? param, string code = "invalid_value", int status = 400, Exception? innerException = null)
        : base(message, innerException)
    {
        Param = param;
        Code = code;
        Status = status;
    }

    /// <summary>Required by the exception pattern.</summary>
    public WireFormatException()
        : this("Invalid request.", (string?)null)
    {
    }

    /// <summary>Required by the exception pattern.</summary>
    public WireFormatException(string message)
        : this(message, (string?)null)
    {
    }

    /// <summary>Required by the exception pattern.</summary>
    public WireFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
        Code = "invalid_value";
        Status = 400;
    }

    /// <summary>The offending parameter, if one.</summary>
    public string? Param { get; }

    /// <summary>Machine-readable code.</summary>
    public string Code { get; }

    /// <summary>HTTP status.</summary>
    public int Status { get; }
}
