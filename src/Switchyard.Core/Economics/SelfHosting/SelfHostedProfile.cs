using System.Text.Json.Serialization;

namespace Switchyard.Economics;

/// <summary>
/// One self-hosted deployment option: what a replica is made of, what it costs, how much it serves, and how the fleet
/// is provisioned. JSON names are snake_case; the workload file's <c>self_hosted</c> object
/// (<c>{"gpu", "gpus", "price_per_hour", "output_tokens_per_second"}</c>) is a valid profile on its own, the rest
/// taking the defaults below.
/// </summary>
/// <remarks>
/// <para>
/// <b>Replica.</b> A replica is one serving instance (e.g. one vLLM server) on <see cref="Gpus"/> accelerators.
/// Its throughput, <see cref="OutputTokensPerSecond"/>, is the aggregate output tokens per second the replica sustains
/// at <see cref="BenchmarkInputTokens"/>/<see cref="BenchmarkOutputTokens"/> tokens per request and
/// <see cref="Concurrency"/> concurrent requests while meeting <see cref="LatencyObjectiveMs"/> — measure it that way.
/// The benchmark fields and the latency objective are informational: the model does not rescale throughput for other
/// request lengths (the advisor notes a mismatch) and does not model queueing latency; latency is protected only by
/// <see cref="MaxUtilization"/>.
/// </para>
/// <para>
/// <b>Price.</b> Exactly one of: <see cref="PricePerHour"/> (rented, whole replica), <see cref="PricePerGpuHour"/>
/// (rented, per accelerator: replica hourly = this × <see cref="Gpus"/>), or <see cref="PurchasePrice"/> (owned, whole
/// replica) with <see cref="AmortizationMonths"/> and optionally <see cref="PowerWatts"/> with
/// <see cref="ElectricityPerKwh"/>. Owned replica monthly cost = purchase ÷ amortization months + power kW × hours per
/// month × $/kWh (power drawn around the clock: the hardware is on whether or not it is busy).
/// </para>
/// <para>
/// <b>Operations.</b> <see cref="OpsMonthlyCost"/> (dollars per month of people/time), or
/// <see cref="OpsHoursPerMonth"/> × <see cref="OpsHourlyRate"/>, or nothing (0). It is a fixed monthly cost whenever at
/// least one replica runs, independent of the replica count.
/// </para>
/// <para>
/// <b>Provisioning.</b> Serving replicas are sized for the <em>peak</em> load, each loaded to at most
/// <see cref="MaxUtilization"/> (default 0.8: 20% headroom so queues, and with them latency, stay bounded), and
/// <see cref="Redundancy"/> spare replicas (default 1, i.e. N+1) are added for failures and rolling upgrades.
/// </para>
/// </remarks>
public sealed record SelfHostedProfile
{
    /// <summary>Default <see cref="MaxUtilization"/>: 0.8.</summary>
    public const double DefaultMaxUtilization = 0.8;

    /// <summary>Default <see cref="Redundancy"/>: 1 spare replica (N+1).</summary>
    public const int DefaultRedundancy = 1;

    /// <summary>Accelerator type, e.g. <c>"H100-80GB"</c> (informational, quoted in reasons).</summary>
    [JsonPropertyName("gpu")]
    public string? Gpu { get; init; }

    /// <summary>Accelerators per replica (default 1).</summary>
    [JsonPropertyName("gpus")]
    public int Gpus { get; init; } = 1;

    /// <summary>Rented: dollars per hour for one whole replica (all its accelerators).</summary>
    [JsonPropertyName("price_per_hour")]
    public decimal? PricePerHour { get; init; }

    /// <summary>Rented: dollars per accelerator-hour; the replica costs this × <see cref="Gpus"/> per hour.</summary>
    [JsonPropertyName("price_per_gpu_hour")]
    public decimal? PricePerGpuHour { get; init; }

    /// <summary>Owned: purchase price of one whole replica's hardware, in dollars.</summary>
    [JsonPropertyName("purchase_price")]
    public decimal? PurchasePrice { get; init; }

    /// <summary>Owned: months over which <see cref="PurchasePrice"/> is written off (straight line, no residual value).</summary>
    [JsonPropertyName("amortization_months")]
    public decimal? AmortizationMonths { get; init; }

    /// <summary>Owned: average power draw of one replica at the wall, in watts (include cooling if you pay for it).</summary>
    [JsonPropertyName("power_watts")]
    public double? PowerWatts { get; init; }

    /// <summary>Owned: electricity price in dollars per kWh.</summary>
    [JsonPropertyName("electricity_per_kwh")]
    public decimal? ElectricityPerKwh { get; init; }

    /// <summary>Aggregate output tokens per second one replica sustains at the benchmark shape and concurrency (required).</summary>
    [JsonPropertyName("output_tokens_per_second")]
    public double OutputTokensPerSecond { get; init; }

    /// <summary>Input tokens per request at which <see cref="OutputTokensPerSecond"/> was measured (informational).</summary>
    [JsonPropertyName("benchmark_input_tokens")]
    public double? BenchmarkInputTokens { get; init; }

    /// <summary>Output tokens per request at which <see cref="OutputTokensPerSecond"/> was measured (informational).</summary>
    [JsonPropertyName("benchmark_output_tokens")]
    public double? BenchmarkOutputTokens { get; init; }

    /// <summary>Concurrent requests at which <see cref="OutputTokensPerSecond"/> was measured (informational).</summary>
    [JsonPropertyName("concurrency")]
    public int? Concurrency { get; init; }

    /// <summary>Operations overhead (people/time) in dollars per month.</summary>
    [JsonPropertyName("ops_monthly_cost")]
    public decimal? OpsMonthlyCost { get; init; }

    /// <summary>Operations overhead in hours per month (with <see cref="OpsHourlyRate"/>).</summary>
    [JsonPropertyName("ops_hours_per_month")]
    public double? OpsHoursPerMonth { get; init; }

    /// <summary>Dollars per hour of operations work (with <see cref="OpsHoursPerMonth"/>).</summary>
    [JsonPropertyName("ops_hourly_rate")]
    public decimal? OpsHourlyRate { get; init; }

    /// <summary>Spare replicas beyond those the peak needs (default 1 = N+1; 0 = no spare).</summary>
    [JsonPropertyName("redundancy")]
    public int Redundancy { get; init; } = DefaultRedundancy;

    /// <summary>
    /// Highest share of <see cref="OutputTokensPerSecond"/> a serving replica is loaded to at the peak, in (0, 1]
    /// (default 0.8).
    /// </summary>
    [JsonPropertyName("max_utilization")]
    public double MaxUtilization { get; init; } = DefaultMaxUtilization;

    /// <summary>The latency objective (e.g. p95 time per request) the throughput was measured under (informational).</summary>
    [JsonPropertyName("latency_objective_ms")]
    public double? LatencyObjectiveMs { get; init; }

    /// <summary>Whether the hardware is owned (<see cref="PurchasePrice"/> set) rather than rented.</summary>
    [JsonIgnore]
    public bool IsOwned => PurchasePrice is not null;

    /// <summary>Operations overhead per month: <see cref="OpsMonthlyCost"/>, else hours × rate, else 0.</summary>
    [JsonIgnore]
    public decimal OpsMonthly => OpsMonthlyCost ?? ((decimal)(OpsHoursPerMonth ?? 0) * (OpsHourlyRate ?? 0m));

    /// <summary>
    /// What one replica costs per month: rented <c>hourly × hoursPerMonth</c>; owned
    /// <c>PurchasePrice ÷ AmortizationMonths + PowerWatts ÷ 1000 × hoursPerMonth × ElectricityPerKwh</c>.
    /// </summary>
    /// <param name="hoursPerMonth">Hours in the month (e.g. 729.6).</param>
    public decimal ReplicaMonthlyCost(decimal hoursPerMonth)
    {
        if (PurchasePrice is { } purchase)
        {
            var amortization = purchase / (AmortizationMonths ?? 1m);
            var power = (decimal)((PowerWatts ?? 0) / 1000.0) * hoursPerMonth * (ElectricityPerKwh ?? 0m);
            return amortization + power;
        }

        return RentedHourly() * hoursPerMonth;
    }

    /// <summary>What one replica costs per hour: <see cref="ReplicaMonthlyCost"/> ÷ <paramref name="hoursPerMonth"/> (for rented replicas the hourly price itself).</summary>
    /// <param name="hoursPerMonth">Hours in the month (owned hardware spreads the amortization over them).</param>
    public decimal ReplicaHourlyCost(decimal hoursPerMonth) =>
        PurchasePrice is null ? RentedHourly() : ReplicaMonthlyCost(hoursPerMonth) / hoursPerMonth;

    /// <summary>
    /// The same profile with the replica's price multiplied by <paramref name="factor"/>: the rented hourly price, or
    /// for owned hardware the purchase price and the electricity price. Operations cost is unchanged.
    /// </summary>
    /// <param name="factor">Multiplier (greater than 0).</param>
    public SelfHostedProfile WithReplicaPriceScaled(double factor)
    {
        var f = (decimal)factor;
        return this with
        {
            PricePerHour = PricePerHour * f,
            PricePerGpuHour = PricePerGpuHour * f,
            PurchasePrice = PurchasePrice * f,
            ElectricityPerKwh = ElectricityPerKwh * f,
        };
    }

    /// <summary>Throws when a field is missing, inconsistent or out of range; every problem names its JSON field.</summary>
    /// <param name="fieldPrefix">Prepended to field names (e.g. <c>"self_hosted."</c>).</param>
    /// <exception cref="EconomicsInputException">Lists every problem.</exception>
    public void Validate(string fieldPrefix = "")
    {
        var p = fieldPrefix;
        var problems = new List<string>();
        if (Gpus < 1)
        {
            problems.Add(Figures.Invariant($"{p}gpus must be at least 1 (got {Gpus})"));
        }

        var priceSources = new[] { PricePerHour is not null, PricePerGpuHour is not null, PurchasePrice is not null }.Count(b => b);
        if (priceSources == 0)
        {
            problems.Add($"{p}price_per_hour is required (or price_per_gpu_hour, or purchase_price with amortization_months)");
        }
        else if (priceSources > 1)
        {
            problems.Add($"{p}give exactly one of price_per_hour, price_per_gpu_hour and purchase_price");
        }

        Positive(problems, p + "price_per_hour", PricePerHour);
        Positive(problems, p + "price_per_gpu_hour", PricePerGpuHour);
        Positive(problems, p + "purchase_price", PurchasePrice);
        if (PurchasePrice is not null)
        {
            if (AmortizationMonths is null)
            {
                problems.Add($"{p}amortization_months is required with purchase_price");
            }
            else
            {
                Positive(problems, p + "amortization_months", AmortizationMonths);
            }

            if ((PowerWatts is null) != (ElectricityPerKwh is null))
            {
                problems.Add($"{p}power_watts and electricity_per_kwh go together: give both or neither");
            }
        }
        else if (AmortizationMonths is not null || PowerWatts is not null || ElectricityPerKwh is not null)
        {
            problems.Add($"{p}amortization_months, power_watts and electricity_per_kwh apply to owned hardware: give purchase_price, or drop them (a rented price includes power)");
        }

        if (PowerWatts is { } watts)
        {
            TrafficProfile.Check(problems, p + "power_watts", watts, 0, 1e7, minInclusive: true);
        }

        if (ElectricityPerKwh < 0)
        {
            problems.Add(Figures.Invariant($"{p}electricity_per_kwh must be at least 0 (got {ElectricityPerKwh})"));
        }

        TrafficProfile.Check(problems, p + "output_tokens_per_second", OutputTokensPerSecond, 0, 1e9, minInclusive: false);
        if (BenchmarkInputTokens is { } bin)
        {
            TrafficProfile.Check(problems, p + "benchmark_input_tokens", bin, 0, TrafficProfile.MaxTokensPerRequest, minInclusive: true);
        }

        if (BenchmarkOutputTokens is { } bout)
        {
            TrafficProfile.Check(problems, p + "benchmark_output_tokens", bout, 0, TrafficProfile.MaxTokensPerRequest, minInclusive: false);
        }

        if (Concurrency is < 1)
        {
            problems.Add(Figures.Invariant($"{p}concurrency must be at least 1 (got {Concurrency})"));
        }

        if (OpsMonthlyCost is not null && (OpsHoursPerMonth is not null || OpsHourlyRate is not null))
        {
            problems.Add($"{p}give ops_monthly_cost or ops_hours_per_month with ops_hourly_rate, not both");
        }
        else if ((OpsHoursPerMonth is null) != (OpsHourlyRate is null))
        {
            problems.Add($"{p}ops_hours_per_month and ops_hourly_rate go together: give both or neither");
        }

        if (OpsMonthlyCost < 0)
        {
            problems.Add(Figures.Invariant($"{p}ops_monthly_cost must be at least 0 (got {OpsMonthlyCost})"));
        }

        if (OpsHoursPerMonth is { } opsHours)
        {
            TrafficProfile.Check(problems, p + "ops_hours_per_month", opsHours, 0, 1e6, minInclusive: true);
        }

        if (OpsHourlyRate < 0)
        {
            problems.Add(Figures.Invariant($"{p}ops_hourly_rate must be at least 0 (got {OpsHourlyRate})"));
        }

        if (Redundancy < 0)
        {
            problems.Add(Figures.Invariant($"{p}redundancy must be at least 0 spare replicas (got {Redundancy})"));
        }

        TrafficProfile.Check(problems, p + "max_utilization", MaxUtilization, 0, 1, minInclusive: false);
        if (LatencyObjectiveMs is { } latency)
        {
            TrafficProfile.Check(problems, p + "latency_objective_ms", latency, 0, 1e9, minInclusive: false);
        }

        if (problems.Count > 0)
        {
            throw new EconomicsInputException(problems);
        }
    }

    private static void Positive(List<string> problems, string field, decimal? value)
    {
        if (value is { } v && (v <= 0 || v > 1e12m))
        {
            problems.Add(Figures.Invariant($"{field} must be greater than 0 and at most 1e12 (got {v})"));
        }
    }

    private decimal RentedHourly() => PricePerHour ?? ((PricePerGpuHour ?? 0m) * Gpus);
}
