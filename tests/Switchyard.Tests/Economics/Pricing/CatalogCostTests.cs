using Switchyard.Economics.Pricing;

namespace Switchyard.Tests.Economics.Pricing;

public sealed class CatalogCostTests
{
    // Anthropic-shaped: cache reads and 5-minute cache writes priced separately, batch at half.
    private static readonly CatalogPrice Cached = new()
    {
        Id = "cached", Provider = "test", Input = 3m, Output = 15m, CachedInputRead = 0.30m, CachedInputWrite = 3.75m,
        BatchInput = 1.50m, BatchOutput = 7.50m, ContextWindow = 200_000, Observed = new DateOnly(2026, 1, 1), Source = "https://example.com",
    };

    // Gemini-shaped: the whole request at a higher price once the prompt exceeds 200K tokens.
    private static readonly CatalogPrice Tiered = new()
    {
        Id = "tiered", Provider = "test", Input = 1.25m, Output = 10m, CachedInputRead = 0.125m,
        BatchInput = 0.625m, BatchOutput = 5m, LongContextThreshold = 200_000, LongContextInput = 2.50m, LongContextOutput = 15m,
        ContextWindow = 1_048_576, Observed = new DateOnly(2026, 1, 1), Source = "https://example.com",
    };

    [Fact]
    public void Cost_PricesUncachedCacheReadCacheWriteAndOutputSeparately()
    {
        // 10,000 prompt tokens = 4,000 uncached × $3 + 4,000 read × $0.30 + 2,000 written × $3.75; 1,000 output × $15.
        // (12,000 + 1,200 + 7,500 + 15,000) / 1M = $0.0357
        Assert.Equal(0.0357m, CatalogCost.Cost(Cached, 10_000, 4_000, 2_000, 1_000));
    }

    [Fact]
    public void Cost_UnsetCachePricesFallBackToTheInputPrice()
    {
        var plain = Cached with { CachedInputRead = null, CachedInputWrite = null };

        // All 10,000 prompt tokens × $3 + 1,000 × $15 = (30,000 + 15,000) / 1M
        Assert.Equal(0.045m, CatalogCost.Cost(plain, 10_000, 4_000, 2_000, 1_000));
    }

    [Fact]
    public void Cost_Batch_UsesBatchPrices_AndHalvesCacheTokensLikeInput()
    {
        // ((12,000 + 1,200 + 7,500) × 1.50/3 + 15,000 × 7.50/15) / 1M = (10,350 + 7,500) / 1M
        Assert.Equal(0.01785m, CatalogCost.Cost(Cached, 10_000, 4_000, 2_000, 1_000, batch: true));
        // Plain standard request: exactly the batch prices.
        Assert.Equal(1.50m + 7.50m, CatalogCost.Cost(Cached, 1_000_000, 0, 0, 1_000_000, batch: true));
    }

    [Fact]
    public void Cost_Batch_WithoutBatchPrices_Throws()
    {
        var noBatch = Cached with { BatchInput = null, BatchOutput = null };

        var error = Assert.Throws<InvalidOperationException>(() => CatalogCost.Cost(noBatch, 10, 0, 0, 10, batch: true));
        Assert.Contains("cached", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Cost_AtTheThreshold_IsStandard()
    {
        // 200,000 × $1.25 + 1,000 × $10 = (250,000 + 10,000) / 1M
        Assert.Equal(0.26m, CatalogCost.Cost(Tiered, 200_000, 0, 0, 1_000));
    }

    [Fact]
    public void Cost_AboveTheThreshold_BillsTheWholeRequestAtLongContextPrices()
    {
        // 200,001 prompt tokens: 100,000 uncached × $2.50 + 100,001 read × $0.25 (0.125 × 2.50/1.25); 1,000 × $15.
        // (250,000 + 25,000.25 + 15,000) / 1M
        Assert.Equal(0.29000025m, CatalogCost.Cost(Tiered, 200_001, 100_001, 0, 1_000));
    }

    [Fact]
    public void Cost_LongContextAndBatch_Stack()
    {
        // The long-context request above at the batch factors (0.625/1.25 input side, 5/10 output):
        // (275,000.25 × 0.5 + 15,000 × 0.5) / 1M
        Assert.Equal(0.145000125m, CatalogCost.Cost(Tiered, 200_001, 100_001, 0, 1_000, batch: true));
    }

    [Fact]
    public void Cost_ClampsNegativeCountsAndCachesLargerThanThePrompt()
    {
        Assert.Equal(0m, CatalogCost.Cost(Cached, -5, -1, -1, -10));
        // Reads capped at the 1,000-token prompt; no room left for writes: 1,000 × $0.30.
        Assert.Equal(0.0003m, CatalogCost.Cost(Cached, 1_000, 5_000, 5_000, 0));
    }

    [Fact]
    public void Cost_OfShippedEntries()
    {
        var catalog = PricingCatalog.LoadDefault();

        Assert.True(catalog.TryGet("claude-haiku-4-5", out var haiku));
        // 1M uncached × $1 + 1M output × $5
        Assert.Equal(6m, CatalogCost.Cost(haiku, 1_000_000, 0, 0, 1_000_000));

        Assert.True(catalog.TryGet("gpt-5.4-pro", out var pro));
        // Over 272K: 300,000 × $60 + 10,000 × $270 = (18,000,000 + 2,700,000) / 1M
        Assert.Equal(20.7m, CatalogCost.Cost(pro, 300_000, 0, 0, 10_000));
        // At 272K: 272,000 × $30 + 10,000 × $180
        Assert.Equal(9.96m, CatalogCost.Cost(pro, 272_000, 0, 0, 10_000));
    }
}
