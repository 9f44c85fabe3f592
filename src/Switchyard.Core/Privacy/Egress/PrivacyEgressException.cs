namespace Switchyard.Privacy.Egress;

/// <summary>
/// The egress check found, in the exact payload about to be sent to a provider outside the allowed zones, a value the
/// policy keeps from that zone. The attempt is not made; the router records a privacy elimination and tries the next
/// candidate. The message names classes and JSON paths, never values.
/// </summary>
public sealed class PrivacyEgressException : Exception
{
    /// <summary>Creates the exception with a generic message, no zone and no findings (required by the exception pattern).</summary>
    public PrivacyEgressException()
    {
        Zone = string.Empty;
        Findings = [];
    }

    /// <summary>Creates the exception with the given message, no zone and no findings.</summary>
    /// <param name="message">What was stopped, naming classes and paths, never values.</param>
    public PrivacyEgressException(string message)
        : base(message)
    {
        Zone = string.Empty;
        Findings = [];
    }

    /// <summary>Creates the exception with the given message and cause, no zone and no findings.</summary>
    /// <param name="message">What was stopped, naming classes and paths, never values.</param>
    /// <param name="innerException">The underlying error.</param>
    public PrivacyEgressException(string message, Exception innerException)
        : base(message, innerException)
    {
        Zone = string.Empty;
        Findings = [];
    }

    /// <summary>Creates the exception for a blocked attempt.</summary>
    /// <param name="zone">The zone the payload was going to.</param>
    /// <param name="findings">What was found and where (JSON paths of the outbound payload).</param>
    public PrivacyEgressException(string zone, IReadOnlyList<PrivacyLocation> findings)
        : base($"The egress check stopped a request to zone {zone}: {Describe(findings)} in the outbound payload.")
    {
        Zone = zone;
        Findings = findings;
    }

    /// <summary>The zone the payload was going to.</summary>
    public string Zone { get; }

    /// <summary>What was found and where.</summary>
    public IReadOnlyList<PrivacyLocation> Findings { get; }

    /// <summary>A short reason for the route decision, e.g. <c>egress check: email at $.messages[1].content</c>.</summary>
    public string Reason => $"egress check: {Describe(Findings)}";

    /// <summary>The egress exception behind <paramref name="exception"/> (SDKs wrap what their transport throws), or null.</summary>
    public static PrivacyEgressException? Find(Exception? exception)
    {
        for (int depth = 0; exception is not null && depth < 8; depth++, exception = exception.InnerException)
        {
            if (exception is PrivacyEgressException egress)
            {
                return egress;
            }

            if (exception is AggregateException { InnerExceptions.Count: > 0 } aggregate)
            {
                exception = aggregate.InnerExceptions[0];
                if (exception is PrivacyEgressException inner)
                {
                    return inner;
                }
            }
        }

        return null;
    }

    private static string Describe(IReadOnlyList<PrivacyLocation> findings) =>
        findings.Count == 0 ? "nothing" : string.Join(", ", findings.Take(4).Select(f => $"{f.DataClass} at {f.Path}")) + (findings.Count > 4 ? $" (+{findings.Count - 4} more)" : string.Empty);
}
