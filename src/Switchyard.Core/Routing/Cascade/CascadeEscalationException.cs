using System.Globalization;
using Microsoft.Extensions.AI;

namespace Switchyard.Routing.Cascade;

/// <summary>
/// Thrown by <see cref="VerifyingChatClient"/> when the verifier rejected the answer, before any of it reached the
/// caller: the router should fail over to the next (stronger) candidate. The rejected answer itself is dropped.
/// </summary>
/// <remarks>
/// This is not a provider failure: the provider answered, so it must not count against its circuit breaker. Its
/// tokens were spent all the same: <see cref="RejectedUsage"/> carries them (and <see cref="CascadeVerdict.Usage"/>
/// those of the check) so the ledger can charge them.
/// </remarks>
public sealed class CascadeEscalationException : Exception
{
    /// <summary>Creates the exception for a rejected answer.</summary>
    /// <param name="verdict">The verdict that rejected the answer.</param>
    /// <param name="rejectedUsage">The usage of the rejected answer, if the provider reported it.</param>
    public CascadeEscalationException(CascadeVerdict verdict, UsageDetails? rejectedUsage)
        : base(BuildMessage(verdict))
    {
        Verdict = verdict;
        RejectedUsage = rejectedUsage;
    }

    /// <summary>Required by the exception pattern.</summary>
    public CascadeEscalationException()
        : base("The cascade verifier rejected the answer.")
    {
    }

    /// <summary>Required by the exception pattern.</summary>
    /// <param name="message">The message.</param>
    public CascadeEscalationException(string message)
        : base(message)
    {
    }

    /// <summary>Required by the exception pattern.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public CascadeEscalationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The verdict that rejected the answer (null only when created through the pattern constructors).</summary>
    public CascadeVerdict? Verdict { get; }

    /// <summary>Tokens the rejected answer used, if the provider reported them.</summary>
    public UsageDetails? RejectedUsage { get; }

    private static string BuildMessage(CascadeVerdict verdict)
    {
        ArgumentNullException.ThrowIfNull(verdict);
        var message = string.Create(
            CultureInfo.InvariantCulture,
            $"The cascade verifier ({verdict.Method}) rejected the answer: score {verdict.Score:0.###} below threshold {verdict.Threshold:0.###}");
        return verdict.Detail is { Length: > 0 } detail ? $"{message} ({detail})." : message + ".";
    }
}
