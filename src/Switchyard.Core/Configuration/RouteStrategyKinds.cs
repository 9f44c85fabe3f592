namespace Switchyard.Configuration;

/// <summary>The values of <see cref="RouteStrategyConfig.Kind"/> and <see cref="RouteStrategyConfig.Verifier"/>.</summary>
public static class RouteStrategyKinds
{
    /// <summary>Candidates in configured order (failover only).</summary>
    public const string Ordered = "ordered";

    /// <summary>A trained router predicts per request the cheapest candidate good enough.</summary>
    public const string Difficulty = "difficulty";

    /// <summary>Cheapest first, verified, escalated on a failed check.</summary>
    public const string Cascade = "cascade";

    /// <summary>Cascade verifier: a judge model rates the answer.</summary>
    public const string Judge = "judge";

    /// <summary>Cascade verifier: the cheap model is sampled again and must agree.</summary>
    public const string SelfConsistency = "self_consistency";

    /// <summary>Cascade verifier: a trained model (<c>switchyard train-verifier</c>) predicts from the prompt and the cheap answer whether it is good enough.</summary>
    public const string Learned = "learned";
}
