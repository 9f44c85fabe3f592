namespace Switchyard.Economics;

/// <summary>Which way an <see cref="AdviceReason"/> pushes the verdict.</summary>
public static class Leans
{
    /// <summary>Towards self-hosting.</summary>
    public const string SelfHost = Verdicts.SelfHost;

    /// <summary>Towards the hosted API.</summary>
    public const string Hosted = Verdicts.Hosted;

    /// <summary>Neither: figures and context (marginal economics, the cost summary, the verdict rule applied).</summary>
    public const string Neutral = "neutral";
}
