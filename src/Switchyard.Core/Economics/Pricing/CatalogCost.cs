namespace Switchyard.Economics.Pricing;

/// <summary>Prices one request's token counts with a <see cref="CatalogPrice"/>, as the providers bill them.</summary>
public static class CatalogCost
{
    private const decimal PerMillion = 1_000_000m;

    /// <summary>
    /// The cost in US dollars of one request. <paramref name="input"/> counts every prompt token, cache reads and writes
    /// included; the rest of it is billed at the input price, cache reads at <see cref="CatalogPrice.CachedInputRead"/>,
    /// cache writes at <see cref="CatalogPrice.CachedInputWrite"/> (each the input price when unset).
    /// <para>
    /// When <paramref name="input"/> exceeds <see cref="CatalogPrice.LongContextThreshold"/>, the whole request is billed
    /// at the long-context prices: input and output at <see cref="CatalogPrice.LongContextInput"/> and
    /// <see cref="CatalogPrice.LongContextOutput"/>, cache reads and writes scaled by the same factor as input.
    /// </para>
    /// <para>
    /// With <paramref name="batch"/>, input-side prices (cache reads and writes included) are scaled by
    /// <see cref="CatalogPrice.BatchInput"/> / <see cref="CatalogPrice.Input"/> and output by
    /// <see cref="CatalogPrice.BatchOutput"/> / <see cref="CatalogPrice.Output"/>: the batch prices exactly for a standard
    /// request, and the providers' batch discount stacked on caching and long-context prices otherwise.
    /// </para>
    /// Negative counts count as zero; cache reads and writes are capped at <paramref name="input"/>.
    /// </summary>
    /// <param name="price">The model's prices.</param>
    /// <param name="input">All prompt tokens, cache reads and writes included.</param>
    /// <param name="cachedRead">Prompt tokens read from the provider's cache.</param>
    /// <param name="cachedWrite">Prompt tokens written to the provider's cache.</param>
    /// <param name="output">Output tokens, reasoning included.</param>
    /// <param name="batch">Whether the request went through the provider's batch API.</param>
    /// <exception cref="InvalidOperationException"><paramref name="batch"/> is set but the model has no batch prices.</exception>
    public static decimal Cost(CatalogPrice price, long input, long cachedRead, long cachedWrite, long output, bool batch = false)
    {
        ArgumentNullException.ThrowIfNull(price);
        var rates = new TokenPricing.Rates(price.Input, price.Output, price.CachedInputRead, price.CachedInputWrite, price.LongContextThreshold, price.LongContextInput, price.LongContextOutput);
        var (cost, inputSide, outputSide) = TokenPricing.Cost(rates, input, cachedRead, cachedWrite, output);
        if (!batch)
        {
            return cost;
        }

        if (price.BatchInput is not { } batchInput || price.BatchOutput is not { } batchOutput)
        {
            throw new InvalidOperationException($"'{price.Id}' has no batch prices.");
        }

        return (Scale(inputSide, batchInput, price.Input) + Scale(outputSide, batchOutput, price.Output)) / PerMillion;
    }

    /// <summary><paramref name="value"/> × <paramref name="to"/> / <paramref name="from"/>, multiplying first to stay exact; unscaled when <paramref name="from"/> is zero.</summary>
    private static decimal Scale(decimal value, decimal to, decimal from) => TokenPricing.Scale(value, to, from);
}
