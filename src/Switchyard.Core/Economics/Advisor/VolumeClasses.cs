namespace Switchyard.Economics;

/// <summary>How the advisor classes the request volume (see <see cref="Advisor"/> for the thresholds).</summary>
public static class VolumeClasses
{
    /// <summary><c>requests_per_day</c> is null.</summary>
    public const string Unknown = "unknown";

    /// <summary>Self-hosting costs at least as much as hosting at this volume.</summary>
    public const string Low = "low";

    /// <summary>Self-hosting is cheaper, but the fleet is less than <see cref="AdvisorOptions.HighUtilizationRatio"/> × U* busy.</summary>
    public const string Marginal = "marginal";

    /// <summary>Self-hosting is cheaper and the fleet is at least <see cref="AdvisorOptions.HighUtilizationRatio"/> × U* busy.</summary>
    public const string High = "high";
}
