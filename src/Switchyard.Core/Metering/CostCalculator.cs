using Switchyard.Configuration;

namespace Switchyard.Metering;

/// <summary>Prices token counts with a model's per-million-token prices.</summary>
public static class CostCalculator
{
    /// <summary>
    /// The cost in US dollars: uncached input × input price + cached input × cached price (input price when unset)
    /// + cache writes × cache-write price (input price when unset) + output × output price, all per million tokens, with
    /// the long-context tier above its threshold: the one formula of <see cref="Economics.Pricing.TokenPricing"/>.
    /// </summary>
    /// <param name="price">The model's prices.</param>
    /// <param name="inputTokens">All input tokens, cached ones included.</param>
    /// <param name="cachedInputTokens">Input tokens read from cache.</param>
    /// <param name="outputTokens">Output tokens.</param>
    /// <param name="cacheWriteTokens">Input tokens written to the provider's cache (Anthropic's cache creation), counted in <paramref name="inputTokens"/>.</param>
    public static decimal Cost(ModelPrice price, long inputTokens, long cachedInputTokens, long outputTokens, long cacheWriteTokens = 0)
    {
        ArgumentNullException.ThrowIfNull(price);
        var rates = new Economics.Pricing.TokenPricing.Rates(price.Input, price.Output, price.CachedInput, price.CacheWrite, price.LongContextThreshold, price.LongContextInput, price.LongContextOutput);
        return Economics.Pricing.TokenPricing.Cost(rates, inputTokens, cachedInputTokens, cacheWriteTokens, outputTokens).Cost;
    }
}
