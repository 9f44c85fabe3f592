using System.Text.Json.Serialization;

namespace Switchyard.Economics;

/// <summary>
/// The advisor's input file: the traffic, the constraints, the hosted model and the self-hosted option.
/// <c>{"requests_per_day", "peak_to_mean", "input_tokens", "output_tokens", "data_may_leave_boundary",
/// "needs_frozen_version", "needs_frontier_capability", "fine_tuning_core", "team_has_inference_ops",
/// "time_to_market_critical", "hosted_model": "&lt;catalog id&gt;", "self_hosted": {"gpu", "gpus", "price_per_hour",
/// "output_tokens_per_second", …}, "days_per_month", "hybrid_hosted_share"}</c>.
/// </summary>
/// <remarks>
/// Required keys: <c>requests_per_day</c> (a number, or <c>null</c> when the volume is unknown), <c>input_tokens</c>,
/// <c>output_tokens</c>, <c>hosted_model</c>, <c>self_hosted</c> (see <see cref="SelfHostedProfile"/>). When absent,
/// <c>peak_to_mean</c> is assumed to be <see cref="AdvisorOptions.DefaultPeakToMean"/>, <c>data_may_leave_boundary</c>
/// true and <c>team_has_inference_ops</c> false (each assumption is listed in <see cref="Advice.Assumptions"/>); the
/// other flags default to false, <c>days_per_month</c> to 30.4 and <c>hybrid_hosted_share</c> to 0. Unknown keys are
/// ignored.
/// </remarks>
public sealed record Workload
{
    /// <summary>Mean requests per day; <see langword="null"/> when unknown (the key itself is required).</summary>
    [JsonPropertyName("requests_per_day")]
    public required double? RequestsPerDay { get; init; }

    /// <summary>Peak request rate ÷ mean request rate (1 or more), from the traffic.</summary>
    [JsonPropertyName("peak_to_mean")]
    public double? PeakToMean { get; init; }

    /// <summary>Mean input tokens per request.</summary>
    [JsonPropertyName("input_tokens")]
    public required double InputTokens { get; init; }

    /// <summary>Mean output tokens per request.</summary>
    [JsonPropertyName("output_tokens")]
    public required double OutputTokens { get; init; }

    /// <summary>Whether the data may be sent outside the organisation's boundary (to a hosted API).</summary>
    [JsonPropertyName("data_may_leave_boundary")]
    public bool? DataMayLeaveBoundary { get; init; }

    /// <summary>Whether a frozen model version is needed (behaviour must not change under you).</summary>
    [JsonPropertyName("needs_frozen_version")]
    public bool NeedsFrozenVersion { get; init; }

    /// <summary>Whether top-of-frontier capability is needed now.</summary>
    [JsonPropertyName("needs_frontier_capability")]
    public bool NeedsFrontierCapability { get; init; }

    /// <summary>Whether deep fine-tuning is core to the product.</summary>
    [JsonPropertyName("fine_tuning_core")]
    public bool FineTuningCore { get; init; }

    /// <summary>Whether the team has inference/SRE capacity to run a serving fleet.</summary>
    [JsonPropertyName("team_has_inference_ops")]
    public bool? TeamHasInferenceOps { get; init; }

    /// <summary>Whether time-to-market dominates.</summary>
    [JsonPropertyName("time_to_market_critical")]
    public bool TimeToMarketCritical { get; init; }

    /// <summary>The hosted model's catalog id.</summary>
    [JsonPropertyName("hosted_model")]
    public required string HostedModel { get; init; }

    /// <summary>The self-hosted option.</summary>
    [JsonPropertyName("self_hosted")]
    public required SelfHostedProfile SelfHosted { get; init; }

    /// <summary>Days in a billing month (default 30.4).</summary>
    [JsonPropertyName("days_per_month")]
    public double DaysPerMonth { get; init; } = TrafficProfile.DefaultDaysPerMonth;

    /// <summary>
    /// In the hybrid, the share of requests that always go hosted (e.g. the hard ones a difficulty router sends to the
    /// strong model), in [0, 1]; default 0.
    /// </summary>
    [JsonPropertyName("hybrid_hosted_share")]
    public double HybridHostedShare { get; init; }

    /// <summary>The traffic, with <paramref name="defaultPeakToMean"/> when <see cref="PeakToMean"/> is absent and 0 requests when the volume is unknown.</summary>
    /// <param name="defaultPeakToMean">Peak-to-mean to assume when the workload has none.</param>
    public TrafficProfile ToTraffic(double defaultPeakToMean) =>
        new(RequestsPerDay ?? 0, InputTokens, OutputTokens, PeakToMean ?? defaultPeakToMean, DaysPerMonth);

    /// <summary>Throws when a field is missing or out of range; every problem names its JSON field.</summary>
    /// <exception cref="EconomicsInputException">Lists every problem.</exception>
    public void Validate()
    {
        var problems = new List<string>();
        if (RequestsPerDay is { } rate)
        {
            TrafficProfile.Check(problems, "requests_per_day", rate, 0, TrafficProfile.MaxRequestsPerDay, minInclusive: true);
        }

        if (PeakToMean is { } peak)
        {
            TrafficProfile.Check(problems, "peak_to_mean", peak, 1, 1e6, minInclusive: true);
        }

        TrafficProfile.Check(problems, "input_tokens", InputTokens, 0, TrafficProfile.MaxTokensPerRequest, minInclusive: true);
        TrafficProfile.Check(problems, "output_tokens", OutputTokens, 0, TrafficProfile.MaxTokensPerRequest, minInclusive: false);
        TrafficProfile.Check(problems, "days_per_month", DaysPerMonth, 0, 31, minInclusive: false);
        TrafficProfile.Check(problems, "hybrid_hosted_share", HybridHostedShare, 0, 1, minInclusive: true);
        if (string.IsNullOrWhiteSpace(HostedModel))
        {
            problems.Add("hosted_model is required (a pricing catalog id)");
        }

        if (SelfHosted is null)
        {
            problems.Add("self_hosted is required (at least {\"price_per_hour\", \"output_tokens_per_second\"})");
        }
        else
        {
            try
            {
                SelfHosted.Validate("self_hosted.");
            }
            catch (EconomicsInputException ex)
            {
                problems.AddRange(ex.Problems);
            }
        }

        if (problems.Count > 0)
        {
            throw new EconomicsInputException(problems);
        }
    }
}
