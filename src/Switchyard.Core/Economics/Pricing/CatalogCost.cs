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
        var prompt = Math.Max(0, input);
        var read = Math.Clamp(cachedRead, 0, prompt);
        var write = Math.Clamp(cachedWrite, 0, prompt - read);
        var uncached = prompt - read - write;
        var completion = Math.Max(0, output);

        var inputRate = price.Input;
        var outputRate = price.Output;
        var readRate = price.CachedInputRead ?? price.Input;
        var writeRate = price.CachedInputWrite ?? price.Input;
        if (price.LongContextThreshold is { } threshold && prompt > threshold
            && price.LongContextInput is { } longInput && price.LongContextOutput is { } longOutput)
        {
            readRate = Scale(readRate, longInput, price.Input);
            writeRate = Scale(writeRate, longInput, price.Input);
            inputRate = longInput;
            outputRate = longOutput;
        }

        var inputSide = (uncached * inputRate) + (read * readRate) + (write * writeRate);
        var outputSide = completion * outputRate;
        if (batch)
        {
            if (price.BatchInput is not { } batchInput || price.BatchOutput is not { } batchOutput)
            {
                throw new InvalidOperationException($"'{price.Id}' has no batch prices.");
            }

            inputSide = Scale(inputSide, batchInput, price.Input);
            outputSide = Scale(outputSide, batchOutput, price.Output);
        }

        return (inputSide + outputSide) / PerMillion;
    }

    /// <summary><paramref name="value"/> × <paramref name="to"/> / <paramref name="from"/>, multiplying first to stay exact; unscaled when <paramref name="from"/> is zero.</summary>
    private static decimal Scale(decimal value, decimal to, decimal from) => from == 0 ? value : value * to / from;
}
