using Microsoft.Extensions.Time.Testing;
using Switchyard.Configuration;
using Switchyard.Economics.Pricing;
using Switchyard.Gateway;

namespace Switchyard.Tests.Economics.Pricing;

/// <summary>Floating aliases and retirements of hosted models, from the catalog: assessed, warned about at start-up, shown in /v1/models.</summary>
public sealed class ModelLifecycleTests
{
    [Theory]
    [InlineData("gpt-4o", PinState.Floating, "gpt-4o-2024-08-06")]
    [InlineData("gpt-4o-2024-08-06", PinState.Pinned, null)]
    [InlineData("claude-sonnet-4-5", PinState.Floating, "claude-sonnet-4-5-20250929")]
    [InlineData("claude-sonnet-4-5-20250929", PinState.Pinned, null)]
    [InlineData("gpt-3.5-turbo-0125", PinState.Pinned, null)]
    [InlineData("my-own-model", PinState.Unknown, null)]
    public void Assess_KnowsPinnedSnapshotsAndFloatingAliases(string model, PinState pin, string? snapshot)
    {
        var lifecycle = ModelLifecycle.Assess(PricingCatalog.LoadDefault(), model);
        Assert.Equal(pin, lifecycle.Pin);
        if (snapshot is not null)
        {
            Assert.Contains(snapshot, lifecycle.Snapshots);
        }
        else
        {
            Assert.Empty(lifecycle.Snapshots);
        }
    }

    [Fact]
    public async Task Serve_WarnsAboutFloatingAliasesAndRetirements_AndModelsShowsThePin()
    {
        var options = new SwitchyardOptions();
        options.Providers["openai"] = new ProviderConfig { Kind = ProviderKinds.OpenAI, BaseUrl = "http://127.0.0.1:9/v1", Zone = "us" };
        options.Providers["claude"] = new ProviderConfig { Kind = ProviderKinds.Anthropic, BaseUrl = "http://127.0.0.1:9", Zone = "us" };
        options.Models["gpt"] = new ModelConfig { Provider = "openai", UpstreamModel = "gpt-4o" };
        options.Models["gpt-pinned"] = new ModelConfig { Provider = "openai", UpstreamModel = "gpt-4o-2024-08-06" };
        options.Models["sonnet"] = new ModelConfig { Provider = "claude", UpstreamModel = "claude-sonnet-4-5-20250929" };
        options.Ledger.Path = Path.Combine(Directory.CreateTempSubdirectory("lifecycle-").FullName, "ledger.db");
        var log = new List<string>();
        await using var runtime = SwitchyardRuntime.Create(options, new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.Zero)), log: log.Add);

        Assert.Contains(log, l => l.StartsWith("Model 'gpt': upstream 'gpt-4o' is a floating alias", StringComparison.Ordinal) && l.Contains("gpt-4o-2024-08-06", StringComparison.Ordinal));
        Assert.DoesNotContain(log, l => l.StartsWith("Model 'gpt-pinned'", StringComparison.Ordinal));
        Assert.Contains("Model 'sonnet': upstream 'claude-sonnet-4-5-20250929' was retired on 2026-11-30; requests to it will fail.", log);
        Assert.Equal(PinState.Pinned, runtime.Lifecycles["gpt-pinned"].Pin);
        Assert.Equal(new DateOnly(2026, 11, 30), runtime.Lifecycles["sonnet"].Retires);
    }
}
