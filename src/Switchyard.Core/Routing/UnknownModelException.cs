namespace Switchyard.Routing;

/// <summary>Thrown when a requested name is neither a configured model nor a route.</summary>
public sealed class UnknownModelException : Exception
{
    /// <summary>Creates the exception for the requested name.</summary>
    public UnknownModelException(string? requested, IEnumerable<string> known)
        : base(requested is null
            ? "No model was given; request one of: " + string.Join(", ", known) + "."
            : $"The model '{requested}' does not exist; request one of: {string.Join(", ", known)}.")
    {
        Requested = requested;
    }

    /// <summary>Required by the exception pattern.</summary>
    public UnknownModelException()
        : base("Unknown model.")
    {
    }

    /// <summary>Required by the exception pattern.</summary>
    public UnknownModelException(string message)
        : base(message)
    {
    }

    /// <summary>Required by the exception pattern.</summary>
    public UnknownModelException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The name the caller asked for.</summary>
    public string? Requested { get; }
}
