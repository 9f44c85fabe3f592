namespace Switchyard.Configuration;

/// <summary>
/// The deployment the configured models' licences are checked against at start-up (<c>switchyard compliance</c> takes
/// the same fields from a file). Unset (no <see cref="MonthlyActiveUsers"/>): no start-up check.
/// </summary>
public sealed class ComplianceConfig
{
    /// <summary>Monthly active users of the product or service the gateway serves.</summary>
    public long? MonthlyActiveUsers { get; set; }

    /// <summary>Whether the use is commercial.</summary>
    public bool Commercial { get; set; } = true;

    /// <summary>Whether the models are served to others.</summary>
    public bool OfferedToThirdParties { get; set; } = true;

    /// <summary>Whether the models' outputs train or improve other models.</summary>
    public bool OutputsTrainModels { get; set; }
}
