namespace Switchyard.Economics.Pricing;

/// <summary>
/// The one cost formula: what a request's tokens cost at a model's rates. The ledger (<see cref="Metering.CostCalculator"/>
/// over a configured <see cref="Configuration.ModelPrice"/>) and the economics (<see cref="CatalogCost"/> over a
/// <see cref="CatalogPrice"/>, for replay, tco and advise) both call it, so the same tokens cost the same everywhere.
/// </summary>
public static class TokenPricing
{
    private const decimal PerMillion = 1_000_000m;

    /// <summary>
    /// US dollars for <paramref name="input"/> prompt tokens (of which <paramref name="cachedRead"/> were read from and
    /// <paramref name="cachedWrite"/> written to the provider's cache) and <paramref name="output"/> completion tokens.
    /// Above the long-context threshold (a prompt longer than it) every input and output rate switches to the long-context
    /// tier, cache rates scaled by the same factor as input.
    /// </summary>
    /// <param name="rates">The model's rates, US$ per million tokens.</param>
    /// <param name="input">All prompt tokens, cache reads and writes included.</param>
    /// <param name="cachedRead">Prompt tokens read from the cache.</param>
    /// <param name="cachedWrite">Prompt tokens written to the cache.</param>
    /// <param name="output">Completion tokens.</param>
    /// <returns>The cost, and the input and output sides before any batch discount (per million tokens × tokens).</returns>
    public static (decimal Cost, decimal InputSide, decimal OutputSide) Cost(Rates rates, long input, long cachedRead, long cachedWrite, long output)
    {
        var prompt = Math.Max(0, input);
        var read = Math.Clamp(cachedRead, 0, prompt);
        var write = Math.Clamp(cachedWrite, 0, prompt - read);
        var uncached = prompt - read - write;
        var completion = Math.Max(0, output);

        var inputRate = rates.Input;
        var outputRate = rates.Output;
        var readRate = rates.CachedRead ?? rates.Input;
        var writeRate = rates.CachedWrite ?? rates.Input;
        if (rates.LongContextThreshold is { } threshold && prompt > threshold
            && rates.LongContextInput is { } longInput && rates.LongContextOutput is { } longOutput)
        {
            readRate = Scale(readRate, longInput, rates.Input);
            writeRate = Scale(writeRate, longInput, rates.Input);
            inputRate = longInput;
            outputRate = longOutput;
        }

        var inputSide = (uncached * inputRate) + (read * readRate) + (write * writeRate);
        var outputSide = completion * outputRate;
        return ((inputSide + outputSide) / PerMillion, inputSide, outputSide);
    }

    /// <summary><paramref name="value"/> × <paramref name="to"/> / <paramref name="from"/> (unchanged when <paramref name="from"/> is zero).</summary>
    public static decimal Scale(decimal value, decimal to, decimal from) => from == 0 ? value : value * to / from;

    /// <summary>A model's token rates, US$ per million tokens.</summary>
    /// <param name="Input">Uncached prompt tokens.</param>
    /// <param name="Output">Completion tokens.</param>
    /// <param name="CachedRead">Cache reads (the input rate when null).</param>
    /// <param name="CachedWrite">Cache writes (the input rate when null).</param>
    /// <param name="LongContextThreshold">Prompt length above which the long-context tier applies.</param>
    /// <param name="LongContextInput">The tier's input rate.</param>
    /// <param name="LongContextOutput">The tier's output rate.</param>
    public readonly record struct Rates(decimal Input, decimal Output, decimal? CachedRead, decimal? CachedWrite, long? LongContextThreshold, decimal? LongContextInput, decimal? LongContextOutput);
}
