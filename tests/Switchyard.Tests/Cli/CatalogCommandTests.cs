using System.Text.Json;
using Switchyard.Tests.Infrastructure;

namespace Switchyard.Tests.Cli;

/// <summary><c>switchyard catalog</c> run as the real executable: list, show, and update from a newer litellm price map into Pricing:MapFile.</summary>
public sealed class CatalogCommandTests : IDisposable
{
    private const string NewerMap = """
        {
          "sample_spec": { "litellm_provider": "one of …", "input_cost_per_token": 0.0 },
          "last_updated": "2026-11-30T08:00:00+00:00",
          "gpt-4o": { "litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 2e-06, "output_cost_per_token": 8e-06, "max_input_tokens": 128000 },
          "claude-sonnet-4-5-20250929": { "litellm_provider": "anthropic", "mode": "chat", "input_cost_per_token": 1e-06, "output_cost_per_token": 1e-06, "max_input_tokens": 200000 },
          "brand-new-model": { "litellm_provider": "mistral", "mode": "chat", "input_cost_per_token": 1e-07, "output_cost_per_token": 3e-07, "max_input_tokens": 32000 },
          "some-image-model": { "litellm_provider": "openai", "mode": "image_generation", "output_cost_per_image": 0.04 }
        }
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("catalog-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private Task<(int Code, string Out, string Err)> RunAsync(params string[] args) => CliRunner.RunAsync(_dir, args);

    [Fact]
    public async Task ListAndShow_CoverTheMarket()
    {
        var (code, output, err) = await RunAsync("catalog", "list", "--provider", "xai");
        Assert.True(code == 0, err);
        Assert.Contains("xai/grok-4", output, StringComparison.Ordinal);
        Assert.Matches(@"\d+ models: xai \d+", output);

        (code, output, err) = await RunAsync("catalog", "show", "gpt-4o");
        Assert.True(code == 0, err);
        using var json = JsonDocument.Parse(output);
        Assert.Equal(2.5m, json.RootElement.GetProperty("input").GetDecimal());
        Assert.Equal(128000, json.RootElement.GetProperty("context_window").GetInt32());

        (code, _, err) = await RunAsync("catalog", "show", "gpt-99");
        Assert.Equal(1, code);
        Assert.Contains("'gpt-99' is not in the price catalog", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Update_ShowsTheChanges_WritesTheMap_AndPricingMapFileUsesIt_VerifiedPricesStillWin()
    {
        File.WriteAllText(Path.Combine(_dir, "newer.json"), NewerMap);
        var (code, output, err) = await RunAsync("catalog", "update", "--from", "newer.json", "--out", "prices.json");
        Assert.True(code == 0, err + output);
        Assert.Contains("3 models in the map: 1 new, 2 with other prices or windows (map updated 2026-11-30)", output, StringComparison.Ordinal);
        Assert.Contains("changed (verified price kept)", output, StringComparison.Ordinal);
        using (var written = JsonDocument.Parse(File.ReadAllText(Path.Combine(_dir, "prices.json"))))
        {
            Assert.True(written.RootElement.TryGetProperty("brand-new-model", out _));
            Assert.False(written.RootElement.TryGetProperty("some-image-model", out _));
            Assert.Equal("2026-11-30T00:00:00Z", written.RootElement.GetProperty("switchyard_snapshot").GetProperty("source_updated").GetString());
        }

        File.WriteAllText(Path.Combine(_dir, "switchyard.json"), """{ "Switchyard": { "Pricing": { "MapFile": "prices.json" } } }""");
        (code, output, err) = await RunAsync("catalog", "show", "gpt-4o");
        Assert.True(code == 0, err);
        using (var json = JsonDocument.Parse(output))
        {
            Assert.Equal(2m, json.RootElement.GetProperty("input").GetDecimal()); // from the newer map
        }

        (code, output, _) = await RunAsync("catalog", "show", "claude-sonnet-4-5");
        using (var json = JsonDocument.Parse(output))
        {
            Assert.Equal(3m, json.RootElement.GetProperty("input").GetDecimal()); // the verified provider-page price
        }

        (code, output, _) = await RunAsync("catalog", "show", "brand-new-model");
        Assert.Equal(0, code);
        (code, _, _) = await RunAsync("catalog", "show", "deepseek/deepseek-chat");
        Assert.Equal(0, code); // models the map does not list still come from the shipped snapshot
    }

    [Theory]
    [InlineData("missing.json", 1, "Cannot read 'missing.json'")]
    [InlineData("bad.json", 2, "Not a litellm price map")]
    public async Task Diff_BadInput_IsOneLineAndADocumentedExitCode(string file, int expected, string message)
    {
        File.WriteAllText(Path.Combine(_dir, "bad.json"), "[1, 2, 3]");
        var (code, _, err) = await RunAsync("catalog", "diff", "--from", file);
        Assert.Equal(expected, code);
        Assert.Contains(message, err, StringComparison.Ordinal);
        Assert.Single(err.Trim().Split('\n'));
    }
}
