namespace Switchyard.Economics;

/// <summary>The advisor's thresholds (see <see cref="Advisor"/>).</summary>
public sealed record AdvisorOptions
{
    /// <summary>
    /// Volume is "high" (a self-host lean) when self-hosting is cheaper and fleet utilization U is at least this many
    /// times the break-even utilization U* (default 1.25: a 20% drop in volume still leaves self-hosting at or above
    /// break-even utilization). Must be at least 1.
    /// </summary>
    public double HighUtilizationRatio { get; init; } = 1.25;

    /// <summary>Traffic is "spiky" (a hosted lean) when peak-to-mean exceeds this (default 3). Must be at least 1.</summary>
    public double SpikyPeakToMean { get; init; } = 3.0;

    /// <summary>Peak-to-mean assumed when the workload gives none (default 2, typical day/night traffic).</summary>
    public double DefaultPeakToMean { get; init; } = 2.0;

    /// <summary>
    /// The advisor notes a throughput caveat when the workload's input or output tokens per request differ from the
    /// profile's benchmark lengths by more than this factor either way (default 2).
    /// </summary>
    public double BenchmarkMismatchRatio { get; init; } = 2.0;

    /// <summary>Throws when a threshold is out of range.</summary>
    /// <exception cref="EconomicsInputException">Lists every problem.</exception>
    public void Validate()
    {
        var problems = new List<string>();
        TrafficProfile.Check(problems, "advisor high_utilization_ratio", HighUtilizationRatio, 1, 1e6, minInclusive: true);
        TrafficProfile.Check(problems, "advisor spiky_peak_to_mean", SpikyPeakToMean, 1, 1e6, minInclusive: true);
        TrafficProfile.Check(problems, "advisor default_peak_to_mean", DefaultPeakToMean, 1, 1e6, minInclusive: true);
        TrafficProfile.Check(problems, "advisor benchmark_mismatch_ratio", BenchmarkMismatchRatio, 1, 1e6, minInclusive: true);
        if (problems.Count > 0)
        {
            throw new EconomicsInputException(problems);
        }
    }
}
