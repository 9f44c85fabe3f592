namespace Switchyard.Economics;

/// <summary>The codes of <see cref="AdviceReason"/>s (see <see cref="Advisor"/> for when each applies).</summary>
public static class ReasonCodes
{
    /// <summary>Data may not leave the boundary (self-host; decides the verdict).</summary>
    public const string DataBoundary = "data_boundary";

    /// <summary>A frozen model version is needed (self-host).</summary>
    public const string FrozenVersion = "frozen_version";

    /// <summary>Volume is high: self-hosting is cheaper with the fleet well above U* (self-host).</summary>
    public const string VolumeHigh = "volume_high";

    /// <summary>Deep fine-tuning is core (self-host).</summary>
    public const string FineTuningCore = "fine_tuning_core";

    /// <summary>Top-of-frontier capability is needed now (hosted).</summary>
    public const string FrontierCapability = "frontier_capability";

    /// <summary>Volume is low: self-hosting costs at least as much as hosting (hosted).</summary>
    public const string VolumeLow = "volume_low";

    /// <summary>Volume is unknown (hosted).</summary>
    public const string VolumeUnknown = "volume_unknown";

    /// <summary>Traffic is spiky: peak-to-mean above the threshold (hosted).</summary>
    public const string VolumeSpiky = "volume_spiky";

    /// <summary>The team has no inference/SRE capacity (hosted).</summary>
    public const string NoInferenceOps = "no_inference_ops";

    /// <summary>Time-to-market dominates (hosted).</summary>
    public const string TimeToMarket = "time_to_market";

    /// <summary>Self-hosting is cheaper, but only marginally (neutral).</summary>
    public const string VolumeMarginal = "volume_marginal";

    /// <summary>The monthly costs of the three options (neutral).</summary>
    public const string MonthlyCosts = "monthly_costs";

    /// <summary>How the verdict follows from the leans (neutral).</summary>
    public const string Verdict = "verdict";
}
