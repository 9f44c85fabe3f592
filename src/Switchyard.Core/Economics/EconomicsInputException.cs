namespace Switchyard.Economics;

/// <summary>
/// A self-hosted profile, traffic profile, hosted price or workload file is invalid. The message names every offending
/// field by its JSON name (e.g. <c>self_hosted.output_tokens_per_second must be greater than 0 (got 0)</c>);
/// <see cref="Problems"/> lists them one by one.
/// </summary>
public sealed class EconomicsInputException : Exception
{
    /// <summary>Creates the exception with a generic message.</summary>
    public EconomicsInputException()
        : base("The economics input is invalid.")
    {
    }

    /// <summary>Creates the exception with the given message.</summary>
    /// <param name="message">What went wrong.</param>
    public EconomicsInputException(string message)
        : base(message)
    {
        Problems = [message];
    }

    /// <summary>Creates the exception with the given message and cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The underlying error (e.g. a JSON parse error).</param>
    public EconomicsInputException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Problems = [message];
    }

    /// <summary>Creates the exception for one or more problems; the message joins them with <c>"; "</c>.</summary>
    /// <param name="problems">Each problem, naming its field.</param>
    public EconomicsInputException(IReadOnlyList<string> problems)
        : base(string.Join("; ", problems ?? []))
    {
        Problems = problems ?? [];
    }

    /// <summary>Every problem found, each naming its field.</summary>
    public IReadOnlyList<string> Problems { get; } = [];
}
