using System.Text.Json;
using Switchyard.Tests.Economics.Replay;
using Switchyard.Tests.Infrastructure;

namespace Switchyard.Tests.Cli;

/// <summary><c>switchyard tco</c> and <c>advise</c> run as the real executable on a real SQLite ledger and the sample files.</summary>
public sealed class EconomicsCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("economics-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private Task<(int Code, string Out, string Err)> RunAsync(params string[] args) => CliRunner.RunAsync(_dir, args);

    private static string Sample(string name) => Path.Combine(RepoPaths.Root, "samples", "economics", name);

    [Fact]
    public async Task Tco_ReplaysTheLedgerWindow_KnownTotals_AllOptions()
    {
        var ledger = await SyntheticLedger.CreateAsync(_dir);
        var until = SyntheticLedger.Start.AddDays(2).ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        var (code, output, err) = await RunAsync("tco", "--ledger", ledger, "--since", "2d", "--until", until, "--profile", Sample("gpu.json"), "--hosted", "claude-haiku-4-5,gpt-5-mini", "--json", "tco.json");

        Assert.True(code == 0, err + output);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "tco.json")));
        var traffic = json.RootElement.GetProperty("replay").GetProperty("traffic");
        Assert.Equal(SyntheticLedger.LocalRequests + SyntheticLedger.HostedRequests, traffic.GetProperty("requests").GetInt64());
        Assert.Equal(SyntheticLedger.OutputTokens, traffic.GetProperty("output_tokens").GetInt64());
        Assert.Equal(SyntheticLedger.RecordedCost, traffic.GetProperty("recorded_cost").GetDecimal());

        var options = json.RootElement.GetProperty("replay").GetProperty("options").EnumerateArray().ToDictionary(o => o.GetProperty("option").GetString()!, o => o.GetProperty("cost").GetDecimal());
        Assert.Equal(SyntheticLedger.RecordedCost, options["recorded"]);

        // Haiku 4.5: $1 in, $0.10 cached read, $5 out per Mtok, every request priced alone.
        var haiku = ((SyntheticLedger.InputTokens - SyntheticLedger.CachedTokens) * 1m + (SyntheticLedger.CachedTokens * 0.10m) + (SyntheticLedger.OutputTokens * 5m)) / 1_000_000m;
        Assert.Equal(haiku, options["all-hosted claude-haiku-4-5-20251001"]);
        Assert.True(options.ContainsKey("all-hosted gpt-5-mini-2025-08-07"));
        Assert.True(options["all-self-hosted"] > 0);
        Assert.True(options.ContainsKey("hybrid (policy in force)"));
        Assert.Equal(2, json.RootElement.GetProperty("crossovers").GetArrayLength());
        Assert.True(json.RootElement.GetProperty("sensitivity").GetArrayLength() > 0);
        Assert.True(File.Exists(Path.Combine(_dir, "tco.png")));
        Assert.Contains("<h1>Switchyard: total cost of ownership</h1>", File.ReadAllText(Path.Combine(_dir, "tco.html")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Advise_SampleWorkload_VerdictReasonsCostsAndChart()
    {
        var (code, output, err) = await RunAsync("advise", "--workload", Sample("workload.json"), "--json", "advice.json");

        Assert.True(code == 0, err + output);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "advice.json")));
        var root = json.RootElement;
        Assert.Contains(root.GetProperty("verdict").GetString(), new[] { "self-host", "hosted", "hybrid" });
        Assert.True(root.GetProperty("reasons").GetArrayLength() > 0);
        var monthly = root.GetProperty("monthly_cost");
        Assert.True(monthly.GetProperty("hosted").GetDecimal() > 0);
        Assert.True(monthly.GetProperty("self_hosted").GetDecimal() > 0);
        Assert.True(root.TryGetProperty("crossover_utilization", out _));
        var png = File.ReadAllBytes(Path.Combine(_dir, "advise.png"));
        Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], png[..4]);
        Assert.Contains("Verdict: ", File.ReadAllText(Path.Combine(_dir, "advise.html")), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("gpt-4o", 2.5, 10)] // once "not in the price catalog": now from the litellm price map
    [InlineData("deepseek-chat", 0.28, 0.42)]
    [InlineData("gemini-2.5-flash", 0.3, 2.5)]
    public async Task Advise_CommonHostedModels_ArePriced(string hosted, double input, double output)
    {
        var workload = File.ReadAllText(Sample("workload.json")).Replace("\"claude-sonnet-4-5\"", $"\"{hosted}\"", StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(_dir, "w.json"), workload);
        var (code, stdout, err) = await RunAsync("advise", "--workload", "w.json", "--json", "a.json", "--png", "", "--html", "");
        Assert.True(code == 0, err + stdout);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "a.json")));
        // 200,000 requests a day × (800 in × input + 300 out × output) per million tokens, over a month.
        var expected = 200_000m * ((800 * (decimal)input) + (300 * (decimal)output)) / 1_000_000m * 30m;
        Assert.InRange(json.RootElement.GetProperty("monthly_cost").GetProperty("hosted").GetDecimal(), expected * 0.9m, expected * 1.1m);
    }

    [Theory]
    [InlineData(new[] { "tco", "--since", "soon" }, "is not a duration")]
    [InlineData(new[] { "tco", "--hosted", "gpt-99" }, "'gpt-99' is not in the price catalog")]
    [InlineData(new[] { "advise", "--workload", "missing.json" }, "missing.json")]
    public async Task BadArguments_ExitTwoWithOneClearLine(string[] args, string expected)
    {
        var (code, _, err) = await RunAsync(args);
        Assert.Equal(2, code);
        Assert.Contains(expected, err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Advise_HostedModelNotInCatalog_ConfigCanAddIt()
    {
        var workload = File.ReadAllText(Sample("workload.json")).Replace("claude-sonnet-4-5", "my-host-model", StringComparison.Ordinal);
        File.WriteAllText(Path.Combine(_dir, "w.json"), workload);
        var (code, _, err) = await RunAsync("advise", "--workload", "w.json", "--png", "", "--html", "");
        Assert.Equal(2, code);
        Assert.Contains("'my-host-model' is not in the price catalog", err, StringComparison.Ordinal);

        File.WriteAllText(Path.Combine(_dir, "switchyard.json"), """
            { "Switchyard": { "Pricing": { "Models": { "my-host-model": { "Input": 2, "Output": 8, "Observed": "2026-11-01", "Source": "https://example.com/prices" } } } } }
            """);
        (code, var output, err) = await RunAsync("advise", "--workload", "w.json", "--json", "a.json", "--png", "", "--html", "");
        Assert.True(code == 0, err + output);
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "a.json")));
        Assert.Equal("my-host-model", json.RootElement.GetProperty("hosted_model").GetString());
    }
}
