using OpenAI.Chat;
using Switchyard.Configuration;
using Switchyard.Testing;
using Switchyard.Tests.Infrastructure;

namespace Switchyard.Tests.Metering;

/// <summary>A model without a configured price is metered at the price catalog's price for its upstream model.</summary>
public sealed class CatalogPriceMeteringTests : IAsyncLifetime
{
    private FakeUpstream _upstream = null!;

    public async Task InitializeAsync() => _upstream = await FakeUpstream.StartAsync();

    public async Task DisposeAsync() => await _upstream.DisposeAsync();

    [Fact]
    public async Task NoConfiguredPrice_CatalogPriceOfUpstreamModel()
    {
        await using var gateway = await TestGateway.StartAsync(_upstream, o =>
            o.Models["haiku"] = new ModelConfig { Provider = "fake-claude", UpstreamModel = "claude-haiku-4-5" });
        _upstream.When("claude-haiku-4-5", FakeBehavior.Text("hi", new FakeUsage(100, 20, 30)));

        await gateway.OpenAIClient("haiku").CompleteChatAsync([new UserChatMessage("hello")]);

        var record = Assert.Single(await gateway.StopAndReadLedgerAsync());
        Assert.Equal(("haiku", "ok", 130L), (record.ServedModel, record.Status, record.InputTokens));
        // Catalog: Haiku 4.5 at $1 in, $0.10 cached read, $5 out per million: 100 uncached + 30 cached + 20 output.
        Assert.Equal(((100 * 1m) + (30 * 0.10m) + (20 * 5m)) / 1_000_000m, record.Cost);
    }

    [Fact]
    public async Task ConfigOverride_ReplacesTheCatalogPrice_ConfiguredModelPriceWinsOverBoth()
    {
        await using var gateway = await TestGateway.StartAsync(_upstream, o =>
        {
            o.Models["haiku"] = new ModelConfig { Provider = "fake-claude", UpstreamModel = "claude-haiku-4-5" };
            o.Pricing.Models["claude-haiku-4-5"] = new PriceOverrideConfig { Input = 2, Output = 10, CachedInputRead = 0.2m, Observed = "2026-11-01", Source = "https://example.com/negotiated" };
        });
        _upstream.When("claude-haiku-4-5", FakeBehavior.Text("hi", new FakeUsage(100, 20, 30)));
        _upstream.When("claude-up", FakeBehavior.Text("hi", new FakeUsage(100, 20, 30)));

        await gateway.OpenAIClient("haiku").CompleteChatAsync([new UserChatMessage("hello")]);
        await gateway.OpenAIClient("claude").CompleteChatAsync([new UserChatMessage("hello")]);

        var records = await gateway.StopAndReadLedgerAsync();
        Assert.Equal(((100 * 2m) + (30 * 0.2m) + (20 * 10m)) / 1_000_000m, records.Single(r => r.ServedModel == "haiku").Cost);
        Assert.Equal(0.000609m, records.Single(r => r.ServedModel == "claude").Cost);
    }
}
