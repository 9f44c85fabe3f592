using Switchyard.Configuration;

namespace Switchyard.Metering;

/// <summary>Prices token counts with a model's per-million-token prices.</summary>
public static class CostCalculator
{
    private const decimal PerMillion = 1_000_000m;

    /// <summary>
    /// The cost in US dollars: uncached input × input price + cached input × cached price (input price when unset)
    /// + output × output price, all per million tokens.
    /// </summary>
    /// <param name="price">The model's prices.</param>
    /// <param name="inputTokens">All input tokens, cached ones included.</param>
    /// <param name="cachedInputTokens">Input tokens read from cache.</param>
    /// <param name="outputTokens">Output tokens.</param>
    public static decimal Cost(ModelPrice price, long inputTokens, long cachedInputTokens, long outputTokens)
    {
        ArgumentNullException.ThrowIfNull(price);
        var cached = Math.Clamp(cachedInputTokens, 0, Math.Max(0, inputTokens));
        var uncached = Math.Max(0, inputTokens) - cached;
        return ((uncached * price.Input) + (cached * (price.CachedInput ?? price.Input)) + (Math.Max(0, outputTokens) * price.Output)) / PerMillion;
    }
}
