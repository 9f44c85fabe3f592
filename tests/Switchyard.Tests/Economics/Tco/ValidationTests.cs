using Switchyard.Economics;
using static Switchyard.Tests.Economics.Tco.EconomicsFixtures;

namespace Switchyard.Tests.Economics.Tco;

public sealed class ValidationTests
{
    public static TheoryData<string, SelfHostedProfile, string> BadProfiles() => new()
    {
        { "no price", new SelfHostedProfile { OutputTokensPerSecond = 1000 }, "self_hosted.price_per_hour is required" },
        { "two prices", Profile() with { PricePerGpuHour = 2m }, "give exactly one of price_per_hour, price_per_gpu_hour and purchase_price" },
        { "zero price", Profile() with { PricePerHour = 0m }, "self_hosted.price_per_hour must be greater than 0" },
        { "no throughput", Profile() with { OutputTokensPerSecond = 0 }, "self_hosted.output_tokens_per_second must be greater than 0" },
        { "NaN throughput", Profile() with { OutputTokensPerSecond = double.NaN }, "self_hosted.output_tokens_per_second must be" },
        { "no gpus", Profile() with { Gpus = 0 }, "self_hosted.gpus must be at least 1 (got 0)" },
        { "negative redundancy", Profile() with { Redundancy = -1 }, "self_hosted.redundancy must be at least 0" },
        { "max utilization above 1", Profile() with { MaxUtilization = 1.5 }, "self_hosted.max_utilization must be greater than 0 and at most 1" },
        { "max utilization 0", Profile() with { MaxUtilization = 0 }, "self_hosted.max_utilization must be greater than 0" },
        { "purchase without amortization", new SelfHostedProfile { PurchasePrice = 30_000m, OutputTokensPerSecond = 1000 }, "self_hosted.amortization_months is required with purchase_price" },
        { "power without electricity price", new SelfHostedProfile { PurchasePrice = 30_000m, AmortizationMonths = 36m, PowerWatts = 700, OutputTokensPerSecond = 1000 }, "self_hosted.power_watts and electricity_per_kwh go together" },
        { "amortization on a rented replica", Profile() with { AmortizationMonths = 36m }, "apply to owned hardware" },
        { "both ops forms", Profile() with { OpsMonthlyCost = 100m, OpsHoursPerMonth = 10 }, "give ops_monthly_cost or ops_hours_per_month with ops_hourly_rate, not both" },
        { "ops hours without rate", Profile() with { OpsHoursPerMonth = 10 }, "self_hosted.ops_hours_per_month and ops_hourly_rate go together" },
        { "negative ops", Profile() with { OpsMonthlyCost = -1m }, "self_hosted.ops_monthly_cost must be at least 0" },
        { "zero concurrency", Profile() with { Concurrency = 0 }, "self_hosted.concurrency must be at least 1" },
        { "zero latency objective", Profile() with { LatencyObjectiveMs = 0 }, "self_hosted.latency_objective_ms must be greater than 0" },
    };

    [Theory]
    [MemberData(nameof(BadProfiles))]
    public void BadProfile_IsRejected_NamingTheField(string name, SelfHostedProfile profile, string message)
    {
        var ex = Assert.Throws<EconomicsInputException>(() => profile.Validate("self_hosted."));
        Assert.True(ex.Message.Contains(message, StringComparison.Ordinal), $"{name}: '{ex.Message}' does not contain '{message}'");

        // Every entry point validates.
        Assert.Throws<EconomicsInputException>(() => CostModel.Evaluate(profile, Traffic()));
        Assert.Throws<EconomicsInputException>(() => Crossover.Find(profile, Traffic(), Hosted()));
    }

    [Fact]
    public void GoodProfiles_Pass()
    {
        Profile().Validate();
        new SelfHostedProfile { PurchasePrice = 30_000m, AmortizationMonths = 36m, OutputTokensPerSecond = 1000 }.Validate();
        new SelfHostedProfile { Gpus = 8, PricePerGpuHour = 2.2m, OutputTokensPerSecond = 9000, OpsHoursPerMonth = 40, OpsHourlyRate = 120m, Redundancy = 0, MaxUtilization = 1 }.Validate();
    }

    [Fact]
    public void AllProblems_AreListed()
    {
        var ex = Assert.Throws<EconomicsInputException>(() => new SelfHostedProfile { Gpus = 0, OutputTokensPerSecond = -5, Redundancy = -2 }.Validate());
        Assert.Equal(4, ex.Problems.Count); // gpus, price, throughput, redundancy
    }

    [Theory]
    [InlineData(-1.0, 1000.0, 500.0, 1.5, "requests_per_day must be at least 0")]
    [InlineData(100.0, -1.0, 500.0, 1.5, "input_tokens must be at least 0")]
    [InlineData(100.0, 1000.0, 0.0, 1.5, "output_tokens must be greater than 0")]
    [InlineData(100.0, 1000.0, 500.0, 0.5, "peak_to_mean must be at least 1")]
    public void BadTraffic_IsRejected(double rate, double input, double output, double peak, string message)
    {
        var ex = Assert.Throws<EconomicsInputException>(() => CostModel.Evaluate(Profile(), new TrafficProfile(rate, input, output, peak)));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void BadHostedPrice_IsRejected()
    {
        var ex = Assert.Throws<EconomicsInputException>(() => Crossover.Find(Profile(), Traffic(), new HostedPrice("x", -1m, 5m)));
        Assert.Contains("input_per_million must be at least 0", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"input_tokens": 1000, "output_tokens": 500, "hosted_model": "m", "self_hosted": {"price_per_hour": 2, "output_tokens_per_second": 1000}}""", "requests_per_day")]
    [InlineData("""{"requests_per_day": 100, "input_tokens": 1000, "hosted_model": "m", "self_hosted": {"price_per_hour": 2, "output_tokens_per_second": 1000}}""", "output_tokens")]
    [InlineData("""{"requests_per_day": 100, "input_tokens": 1000, "output_tokens": 500, "hosted_model": "m"}""", "self_hosted")]
    [InlineData("""{"requests_per_day": 100, "input_tokens": 1000, "output_tokens": 500, "hosted_model": "m", "self_hosted": {"gpus": "two", "price_per_hour": 2, "output_tokens_per_second": 1000}}""", "$.self_hosted.gpus")]
    [InlineData("""{"requests_per_day": 100, "input_tokens": 1000, "output_tokens": 500, "hosted_model": "m", "self_hosted": {"price_per_hour": 2}}""", "self_hosted.output_tokens_per_second must be greater than 0")]
    [InlineData("""{"requests_per_day": 100, "peak_to_mean": 0.5, "input_tokens": 1000, "output_tokens": 500, "hosted_model": "m", "self_hosted": {"price_per_hour": 2, "output_tokens_per_second": 1000}}""", "peak_to_mean must be at least 1")]
    [InlineData("""{"requests_per_day": 100, "input_tokens": 1000, "output_tokens": 500, "hosted_model": "", "self_hosted": {"price_per_hour": 2, "output_tokens_per_second": 1000}}""", "hosted_model is required")]
    [InlineData("""{"requests_per_day": 100, "input_tokens": 1000, "output_tokens": 500, "hosted_model": "m", "hybrid_hosted_share": 2, "self_hosted": {"price_per_hour": 2, "output_tokens_per_second": 1000}}""", "hybrid_hosted_share must be at least 0 and at most 1")]
    [InlineData("""not json""", "wl.json:")]
    public void BadWorkloadFile_IsRejected_NamingTheField(string json, string message)
    {
        var ex = Assert.Throws<EconomicsInputException>(() => EconomicsJson.ParseWorkload(json, "wl.json"));
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
        Assert.StartsWith("wl.json: ", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NullVolume_IsUnknown_NotAnError()
    {
        var workload = EconomicsJson.ParseWorkload("""{"requests_per_day": null, "input_tokens": 1000, "output_tokens": 500, "hosted_model": "m", "self_hosted": {"price_per_hour": 2, "output_tokens_per_second": 1000}}""");
        Assert.Null(workload.RequestsPerDay);
    }

    [Fact]
    public void ReadWorkload_FromFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"switchyard-workload-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, """
            {
              // comments and trailing commas are fine
              "requests_per_day": 60000, "peak_to_mean": 1.5, "input_tokens": 1000, "output_tokens": 500,
              "data_may_leave_boundary": false, "team_has_inference_ops": true, "hosted_model": "vendor/model-x",
              "self_hosted": {"gpu": "L40S", "gpus": 2, "price_per_gpu_hour": 1.0, "output_tokens_per_second": 1000, "extra": 1},
            }
            """);
        try
        {
            var workload = EconomicsJson.ReadWorkload(path);
            Assert.Equal(2, workload.SelfHosted.Gpus);
            Assert.Equal(Verdicts.SelfHost, Advisor.Advise(workload, Hosted()).Verdict);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
