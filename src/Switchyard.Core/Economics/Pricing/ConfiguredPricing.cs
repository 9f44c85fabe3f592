using System.Globalization;
using Switchyard.Configuration;

namespace Switchyard.Economics.Pricing;

/// <summary>The shipped price catalog with a configuration's <c>Pricing:Models</c> applied, and what metering takes from it.</summary>
public static class ConfiguredPricing
{
    /// <summary>The shipped catalog, with <c>Pricing:Models</c> from <paramref name="options"/> replacing or adding entries (options already validated).</summary>
    public static PricingCatalog Catalog(SwitchyardOptions? options)
    {
        var catalog = options?.Pricing.MapFile is { Length: > 0 } mapFile
            ? PricingCatalog.LoadVerified().WithImported(LoadMap(mapFile)).WithImported(LiteLlmPriceMap.LoadSnapshot(out _))
            : PricingCatalog.LoadDefault();
        if (options is null || options.Pricing.Models.Count == 0)
        {
            return catalog;
        }

        return catalog.WithOverrides(options.Pricing.Models.Select(kv => new CatalogPrice
        {
            Id = kv.Key,
            Aliases = kv.Value.Aliases,
            Provider = kv.Value.Provider ?? "config",
            Input = kv.Value.Input,
            Output = kv.Value.Output,
            CachedInputRead = kv.Value.CachedInputRead,
            CachedInputWrite = kv.Value.CachedInputWrite,
            BatchInput = kv.Value.BatchInput,
            BatchOutput = kv.Value.BatchOutput,
            LongContextThreshold = kv.Value.LongContextThreshold,
            LongContextInput = kv.Value.LongContextInput,
            LongContextOutput = kv.Value.LongContextOutput,
            ContextWindow = kv.Value.ContextWindow,
            Observed = DateOnly.ParseExact(kv.Value.Observed!, "yyyy-MM-dd", CultureInfo.InvariantCulture),
            Source = kv.Value.Source ?? "",
        }));
    }

    /// <summary>Reads <c>Pricing:MapFile</c>; a missing or unreadable file is a configuration error naming the key.</summary>
    private static IReadOnlyList<CatalogPrice> LoadMap(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            var updated = DateOnly.FromDateTime(File.GetLastWriteTimeUtc(path));
            return LiteLlmPriceMap.Read(stream, new LiteLlmPriceMap.Provenance(new Uri(Path.GetFullPath(path)).AbsoluteUri, updated), out _);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new SwitchyardConfigurationException($"{SwitchyardOptions.SectionName}:Pricing:MapFile: cannot read '{path}': {ex.Message}");
        }
    }

    /// <summary>
    /// The price metering uses for a model: its configured <c>Price</c>, else the catalog's standard prices for its
    /// upstream model id (cached reads at the catalog's read price), else zero.
    /// </summary>
    public static ModelPrice For(ModelConfig model, string upstreamModel, PricingCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(catalog);
        if (model.Price is { } configured)
        {
            return configured;
        }

        return catalog.TryGet(upstreamModel, out var price)
            ? new ModelPrice
            {
                Input = price.Input,
                Output = price.Output,
                CachedInput = price.CachedInputRead,
                CacheWrite = price.CachedInputWrite,
                LongContextThreshold = price.LongContextThreshold,
                LongContextInput = price.LongContextInput,
                LongContextOutput = price.LongContextOutput,
            }
            : new ModelPrice();
    }
}
