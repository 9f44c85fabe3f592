using Switchyard.Configuration;
using Switchyard.Economics.Pricing;
using Switchyard.Testing;
using Switchyard.Tests.Infrastructure;

namespace Switchyard.Tests.Metering;

/// <summary>
/// The ledger and the economics (replay, tco, advise) price the same tokens the same: a request served by a model priced
/// from the catalog is recorded at exactly what <see cref="CatalogCost"/> charges for its usage — long-context tier,
/// cache reads and cache writes included.
/// </summary>
public sealed class OneCostFunctionTests : GatewayTestBase
{
    protected override void Configure(SwitchyardOptions options)
    {
        options.Models["gemini"] = new ModelConfig { Provider = "fake-openai", UpstreamModel = "gemini/gemini-2.5-pro" };
        options.Models["sonnet"] = new ModelConfig { Provider = "fake-claude", UpstreamModel = "claude-sonnet-4-5-20250929" };
    }

    [Theory]
    [InlineData("gemini", "gemini/gemini-2.5-pro", 250_000, 2_000, 0, 300)] // above the 200K tier
    [InlineData("gemini", "gemini/gemini-2.5-pro", 50_000, 2_000, 0, 300)]
    [InlineData("sonnet", "claude-sonnet-4-5-20250929", 1_000, 500, 4_000, 200)] // cache writes at 3.75
    public async Task TheLedgerCharges_WhatTheEconomicsCharge(string model, string catalogId, int uncachedInput, int cacheRead, int cacheWrite, int output)
    {
        Upstream.DefaultBehavior = FakeBehavior.Text("ok", new FakeUsage(uncachedInput, output, cacheRead, cacheWrite));
        using var response = await Gateway.PostChatAsync($$"""{"model":"{{model}}","messages":[{"role":"user","content":"hi"}]}""");
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());

        var row = Assert.Single(await Gateway.StopAndReadLedgerAsync());
        Assert.True(PricingCatalog.LoadDefault().TryGet(catalogId, out var price));
        var economics = CatalogCost.Cost(price, row.InputTokens, row.CachedInputTokens, row.CacheWriteTokens, row.OutputTokens);
        Assert.Equal(economics, row.Cost);
        Assert.True(row.Cost > 0);
        if (row.InputTokens > 200_000)
        {
            // The long-context tier applied: more than the standard rates would give.
            Assert.True(row.Cost > ((row.InputTokens - row.CachedInputTokens) * price.Input + row.OutputTokens * price.Output) / 1_000_000m);
        }
    }
}
