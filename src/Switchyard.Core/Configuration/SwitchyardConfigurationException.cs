namespace Switchyard.Configuration;

/// <summary>Thrown when the configuration is invalid; <see cref="Errors"/> lists every problem, each naming its key.</summary>
public sealed class SwitchyardConfigurationException : Exception
{
    /// <summary>Creates the exception from the list of problems.</summary>
    public SwitchyardConfigurationException(IReadOnlyList<string> errors)
        : base("Invalid Switchyard configuration:" + Environment.NewLine + string.Join(Environment.NewLine, errors.Select(e => "  - " + e)))
    {
        Errors = errors;
    }

    /// <summary>Creates the exception with a single problem.</summary>
    public SwitchyardConfigurationException(string error)
        : this([error])
    {
    }

    /// <summary>Creates an exception with no listed problems (required by the exception pattern).</summary>
    public SwitchyardConfigurationException()
        : this([])
    {
    }

    /// <summary>Creates an exception wrapping another (required by the exception pattern).</summary>
    public SwitchyardConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [message];
    }

    /// <summary>Every problem found, each of the form <c>Switchyard:Key:Path: what is wrong</c>.</summary>
    public IReadOnlyList<string> Errors { get; }
}
