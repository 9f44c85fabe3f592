namespace Switchyard.Configuration;

/// <summary>
/// How a route picks among its candidates. <c>ordered</c> (the default) tries them in order; <c>difficulty</c> sends
/// each request to the cheapest candidate a trained router predicts is good enough; <c>cascade</c> answers with the
/// cheapest, checks the answer with a verifier and escalates to the next candidate when the check fails.
/// </summary>
public sealed class RouteStrategyConfig
{
    /// <summary><c>ordered</c>, <c>difficulty</c> or <c>cascade</c>.</summary>
    public string Kind { get; set; } = RouteStrategyKinds.Ordered;

    /// <summary>Difficulty: the trained router file (<c>switchyard train-router</c>), relative to the config file.</summary>
    public string? Router { get; set; }

    /// <summary>
    /// Difficulty target: the share of requests (0–1) that should reach the strongest candidate. Cascade with the
    /// learned verifier: the share of cheap answers (0–1) to reject and escalate.
    /// </summary>
    public double? StrongShare { get; set; }

    /// <summary>
    /// Difficulty target: the fraction (0–1) of the quality gap between the cheapest and strongest model to recover
    /// (PGR). Cascade with the learned verifier: the PGR to recover with the fewest escalations.
    /// </summary>
    public double? QualityTarget { get; set; }

    /// <summary>Difficulty target: the mean cost per request in US dollars (a learned router prices its calibration prompts with each candidate's price).</summary>
    public double? CostBudget { get; set; }

    /// <summary>
    /// Difficulty with a learned router: the router's model name for each candidate, in candidate order, when the
    /// names differ (e.g. candidate <c>local</c> was trained as <c>Meta-Llama-3.1-8B-Instruct</c>). Default: each
    /// candidate's own name, or the router's models when they are exactly as many as the candidates.
    /// </summary>
    public List<string>? Models { get; set; }

    /// <summary>
    /// Cascade: <c>judge</c> (a model rates the answer), <c>self_consistency</c> (the cheap model is sampled again and
    /// must agree) or <c>learned</c> (a trained model, <see cref="VerifierModel"/>, predicts from the prompt and the
    /// answer whether it is good enough; no extra call).
    /// </summary>
    public string? Verifier { get; set; }

    /// <summary>
    /// Cascade with the learned verifier: the verifier file (<c>switchyard train-verifier</c>), relative to the config
    /// file. Its threshold is calibrated when <c>serve</c> starts to exactly one of <see cref="StrongShare"/> or
    /// <see cref="QualityTarget"/>; <see cref="Threshold"/> is not used.
    /// </summary>
    public string? VerifierModel { get; set; }

    /// <summary>Cascade with a judge: the model (a configured model name) that rates answers.</summary>
    public string? Judge { get; set; }

    /// <summary>
    /// Cascade with a judge or self-consistency: the verifier score (0–1) an answer needs to be kept; judge ratings are
    /// 1–10 mapped to 0.1–1. Not used by the learned verifier (its threshold is calibrated to a target).
    /// </summary>
    public double Threshold { get; set; } = 0.7;

    /// <summary>Cascade with self-consistency: extra samples drawn from the cheap model (1–10).</summary>
    public int Samples { get; set; } = 3;
}
