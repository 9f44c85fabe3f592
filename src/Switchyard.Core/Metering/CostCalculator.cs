using Switchyard.Configuration;

namespace Switchyard.Metering;

/// <summary>Prices token counts with a model's per-million-token prices.</summary>
public static class CostCalculator
{
    private const decimal PerMillion = 1_000_000m;

    /// <summary>
    /// The cost in US dollars: uncached input × input price + cached input × cached price (input price when unset)
    /// + cache writes × cache-write price (input price when unset) + output × output price, all per million tokens.
    /// </summary>
    /// <param name="price">The model's prices.</param>
    /// <param name="inputTokens">All input tokens, cached ones included.</param>
    /// <param name="cachedInputTokens">Input tokens read from cache.</param>
    /// <param name="outputTokens">Output tokens.</param>
    /// <param name="cacheWriteTokens">Input tokens written to the provider's cache (Anthropic's cache creation), counted in <paramref name="inputTokens"/>.</param>
    public static decimal Cost(ModelPrice price, long inputTokens, long cachedInputTokens, long outputTokens, long cacheWriteTokens = 0)
    {
        ArgumentNullException.ThrowIfNull(price);
        var input = Math.Max(0, inputTokens);
        var cached = Math.Clamp(cachedInputTokens, 0, input);
        var written = Math.Clamp(cacheWriteTokens, 0, input - cached);
        var uncached = input - cached - written;
        return ((uncached * price.Input) + (cached * (price.CachedInput ?? price.Input)) + (written * (price.CacheWrite ?? price.Input)) + (Math.Max(0, outputTokens) * price.Output)) / PerMillion;
    }
}
