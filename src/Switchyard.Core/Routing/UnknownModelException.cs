namespace Switchyard.Routing;

/// <summary>Thrown when a requested name is neither a configured model nor a route.</summary>
public sealed class UnknownModelException : Exception
{
    /// <summary>Creates the exception for the requested name.</summary>
    public UnknownModelException(string? requested, IEnumerable<string> known)
        : base(Describe(requested, [.. known]))
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

    private static string Describe(string? requested, string[] known)
    {
        var choices = known.Length == 0 ? "no models are configured (see the README's configuration section)" : "request one of: " + string.Join(", ", known);
        return requested is null ? $"No model was given; {choices}." : $"The model '{requested}' does not exist; {choices}.";
    }

    /// <summary>The name the caller asked for.</summary>
    public string? Requested { get; }
}
