using Switchyard.Economics;

namespace Switchyard.Tests.Economics.Tco;

/// <summary>
/// The base case used across the tests, with its hand-worked figures:
/// replica $2/hour, 1000 output tokens/s, 1 spare, max utilization 0.8, no ops; traffic 1000 in / 500 out tokens,
/// peak-to-mean 1.5, 30.4 days (729.6 hours); hosted $1/M input, $5/M output → $0.0035/request, $7/M output tokens of the mix.
/// </summary>
internal static class EconomicsFixtures
{
    public const decimal HoursPerMonth = 729.6m;
    public const decimal ReplicaMonthly = 2m * 729.6m; // 1459.2
    public const decimal HostedPerRequest = 0.0035m;

    /// <summary>U* = 2 / (1000 × 3600 × 0.0035/500) = 2 / 25.2.</summary>
    public const double BreakEvenUtilization = 2.0 / 25.2;

    /// <summary>Q = 1000 × 0.8 / (500 × 1.5) × 86,400 × 30.4 monthly requests per serving replica.</summary>
    public const double RequestsPerServingReplica = 1000.0 * 0.8 / (500 * 1.5) * 86_400 * 30.4;

    public static SelfHostedProfile Profile() => new()
    {
        Gpu = "H100-80GB",
        Gpus = 1,
        PricePerHour = 2.00m,
        OutputTokensPerSecond = 1000,
    };

    public static TrafficProfile Traffic(double requestsPerDay = 60_000, double peakToMean = 1.5) =>
        new(requestsPerDay, 1000, 500, peakToMean);

    public static HostedPrice Hosted() => new("vendor/model-x", 1.00m, 5.00m);

    public static void Near(double expected, double actual, double relative = 1e-9) =>
        Assert.True(Math.Abs(expected - actual) <= relative * Math.Max(1, Math.Abs(expected)), $"expected {expected:R}, got {actual:R}");

    public static void Near(decimal expected, decimal? actual, decimal tolerance = 0.000001m)
    {
        Assert.NotNull(actual);
        Assert.True(Math.Abs(expected - actual.Value) <= tolerance, $"expected {expected}, got {actual}");
    }
}
