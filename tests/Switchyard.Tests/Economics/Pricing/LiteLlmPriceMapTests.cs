using System.Text;
using Switchyard.Economics.Pricing;

namespace Switchyard.Tests.Economics.Pricing;

/// <summary>
/// The litellm price-map snapshot shipped in catalog/prices: imported into the catalog with the prices the map states
/// (a dozen models across providers asserted), every imported entry valid, verified entries winning, aliases explicit.
/// </summary>
public sealed class LiteLlmPriceMapTests
{
    private static readonly DateOnly Today = new(2026, 12, 7);

    public static TheoryData<string, string, double, double, double?, double?> Known() => new()
    {
        // id or alias, provider, input, output, cache read, cache write ($ per million tokens, as the map states)
        { "gpt-4o", "openai", 2.5, 10, 1.25, null },
        { "gpt-4o-2024-08-06", "openai", 2.5, 10, 1.25, null },
        { "gpt-4o-mini", "openai", 0.15, 0.6, 0.075, null },
        { "text-embedding-3-small", "openai", 0.02, 0, null, null },
        { "gemini/gemini-2.5-pro", "gemini", 1.25, 10, 0.125, null },
        { "gemini-2.5-pro", "gemini", 1.25, 10, 0.125, null },
        { "deepseek/deepseek-chat", "deepseek", 0.28, 0.42, 0.028, null },
        { "mistral/mistral-large-latest", "mistral", 0.5, 1.5, null, null },
        { "xai/grok-4", "xai", 3, 15, null, null },
        { "command-r-plus", "cohere_chat", 2.5, 10, null, null },
        { "groq/llama-3.3-70b-versatile", "groq", 0.59, 0.79, null, null },
        { "together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo", "together_ai", 0.88, 0.88, null, null },
    };

    [Theory]
    [MemberData(nameof(Known))]
    public void DefaultCatalog_HasTheMapsPrices(string name, string provider, double input, double output, double? cacheRead, double? cacheWrite)
    {
        var catalog = PricingCatalog.LoadDefault();
        Assert.True(catalog.TryGet(name, out var price), $"{name} is not in the catalog");
        Assert.Equal(provider, price.Provider);
        Assert.Equal((decimal)input, price.Input);
        Assert.Equal((decimal)output, price.Output);
        Assert.Equal((decimal?)cacheRead, price.CachedInputRead);
        Assert.Equal((decimal?)cacheWrite, price.CachedInputWrite);
    }

    [Fact]
    public void Snapshot_RecordsItsSource_AndEveryImportedEntryIsValid()
    {
        var entries = LiteLlmPriceMap.LoadSnapshot(out var provenance);
        Assert.Equal(new DateOnly(2026, 7, 24), provenance.Updated);
        Assert.StartsWith("https://github.com/RoCry/llm-api-price/blob/8442b939", provenance.Source, StringComparison.Ordinal);
        Assert.Empty(PricingCatalog.From(entries).Validate(Today));
        Assert.All(entries, e => Assert.Contains("litellm", e.Notes, StringComparison.Ordinal));

        // At least the current models of every provider the issue names, with context windows for most.
        var byProvider = entries.GroupBy(e => e.Provider).ToDictionary(g => g.Key, g => g.Count());
        foreach (var provider in new[] { "openai", "anthropic", "gemini", "mistral", "deepseek", "xai", "cohere_chat", "together_ai", "fireworks_ai", "groq", "deepinfra" })
        {
            Assert.True(byProvider.GetValueOrDefault(provider) > 0, $"no {provider} models");
        }

        Assert.True(entries.Count(e => e.ContextWindow > 0) > entries.Count * 0.8);
        Assert.Contains(entries, e => e.Mode == "embedding");
    }

    [Fact]
    public void LongContextTier_AndBatchPrices_ComeAcross()
    {
        var catalog = PricingCatalog.LoadDefault();
        Assert.True(catalog.TryGet("gemini/gemini-2.5-pro", out var gemini));
        Assert.Equal((200_000L, 2.5m, 15m), (gemini.LongContextThreshold!.Value, gemini.LongContextInput!.Value, gemini.LongContextOutput!.Value));
        Assert.True(catalog.TryGet("gpt-4o-mini", out var mini));
        Assert.Equal((0.075m, 0.3m), (mini.BatchInput!.Value, mini.BatchOutput!.Value));
    }

    [Fact]
    public void VerifiedEntries_WinOverTheMap_AndTheMergedCatalogIsValid()
    {
        var verified = PricingCatalog.LoadVerified();
        var merged = PricingCatalog.LoadDefault();
        Assert.Empty(merged.Validate(Today));
        Assert.Equal(merged.Entries.Count, merged.Entries.SelectMany(e => e.Names).Distinct(StringComparer.OrdinalIgnoreCase).Count(n => merged.Entries.Any(e => string.Equals(e.Id, n, StringComparison.OrdinalIgnoreCase))));
        foreach (var entry in verified.Entries)
        {
            foreach (var name in entry.Names)
            {
                Assert.True(merged.TryGet(name, out var found));
                // the stricter, provider-page entry
                Assert.Equal((entry.Id, entry.Source, entry.Input, entry.Output, entry.Observed), (found.Id, found.Source, found.Input, found.Output, found.Observed));
            }
        }
    }

    [Fact]
    public void GatewayPrices_FromTheCatalog_IncludeTheCacheWritePrice()
    {
        // A configured model without Price: the ledger costs cache writes at the catalog's write price.
        var price = ConfiguredPricing.For(new Switchyard.Configuration.ModelConfig(), "claude-sonnet-4-5", PricingCatalog.LoadDefault());
        Assert.Equal((3m, 15m, 0.3m, 3.75m), (price.Input, price.Output, price.CachedInput!.Value, price.CacheWrite!.Value));
        var cost = Switchyard.Metering.CostCalculator.Cost(price, inputTokens: 1_000_000, cachedInputTokens: 0, outputTokens: 0, cacheWriteTokens: 1_000_000);
        Assert.Equal(3.75m, cost);
    }

    [Fact]
    public void AMapAsLitellmPublishesIt_IsReadWithTheProvenanceGiven_AndNonTokenModelsSkipped()
    {
        const string Map = """
            {
              "sample_spec": { "litellm_provider": "one of …", "input_cost_per_token": 0.0 },
              "my-model": { "litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 1e-06, "output_cost_per_token": 2e-06, "max_input_tokens": 1000 },
              "dall-e-9": { "litellm_provider": "openai", "mode": "image_generation", "output_cost_per_image": 0.04 }
            }
            """;
        var entries = LiteLlmPriceMap.Read(new MemoryStream(Encoding.UTF8.GetBytes(Map)), new LiteLlmPriceMap.Provenance("https://example.com/map.json", new DateOnly(2026, 12, 1)), out var provenance);
        var entry = Assert.Single(entries, e => e.Id == "my-model");
        Assert.Equal((1m, 2m, 1000L), (entry.Input, entry.Output, entry.ContextWindow!.Value));
        Assert.Equal("https://example.com/map.json", entry.Source);
        Assert.DoesNotContain(entries, e => e.Id == "dall-e-9");
        Assert.Equal(new DateOnly(2026, 12, 1), provenance.Updated);

        Assert.Throws<InvalidDataException>(() => LiteLlmPriceMap.Read(new MemoryStream("[1,2]"u8.ToArray()), null, out _));
        Assert.Throws<InvalidDataException>(() => LiteLlmPriceMap.Read(new MemoryStream(Encoding.UTF8.GetBytes(Map)), null, out _)); // no provenance
    }
}
