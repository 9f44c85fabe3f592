namespace Switchyard.Economics;

/// <summary>The advisor's verdicts, as written in <see cref="Advice.Verdict"/>.</summary>
public static class Verdicts
{
    /// <summary>Run open-weight models on your own (or rented) accelerators.</summary>
    public const string SelfHost = "self-host";

    /// <summary>Use the hosted model's API.</summary>
    public const string Hosted = "hosted";

    /// <summary>Self-host the base load and send peaks (and requests that need the hosted model) to the hosted API.</summary>
    public const string Hybrid = "hybrid";
}
