namespace Switchyard.Economics;

/// <summary>The inputs <see cref="Sensitivity"/> varies, by the name its tables carry.</summary>
public static class SensitivityParameters
{
    /// <summary>The replica price per hour (for owned hardware: purchase and electricity price).</summary>
    public const string PricePerHour = "price_per_hour";

    /// <summary>The replica throughput in output tokens per second.</summary>
    public const string OutputTokensPerSecond = "output_tokens_per_second";

    /// <summary>The request volume.</summary>
    public const string RequestsPerDay = "requests_per_day";

    /// <summary>The hosted input and output prices (both scaled).</summary>
    public const string HostedPrice = "hosted_price";
}
