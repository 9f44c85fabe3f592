using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Switchyard.Configuration;
using Switchyard.Economics;
using Switchyard.Economics.Pricing;

namespace Switchyard.Cli;

/// <summary>The shipped price catalog with the configuration's overrides, and conversions for the cost model.</summary>
internal static class PricingCatalogs
{
    /// <summary>The shipped catalog, with <c>Pricing:Models</c> from <paramref name="options"/> replacing or adding entries.</summary>
    public static PricingCatalog For(SwitchyardOptions? options)
    {
        var catalog = PricingCatalog.LoadDefault();
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

    /// <summary>The entries named in a comma-separated list (every entry when null); false with a message naming an unknown one.</summary>
    public static bool TrySelect(PricingCatalog catalog, string? list, out IReadOnlyList<CatalogPrice> selected, [NotNullWhen(false)] out string? problem)
    {
        problem = null;
        if (string.IsNullOrWhiteSpace(list))
        {
            selected = catalog.Entries;
            return true;
        }

        var result = new List<CatalogPrice>();
        foreach (var name in list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!catalog.TryGet(name, out var price))
            {
                selected = [];
                problem = $"'{name}' is not in the price catalog (known: {string.Join(", ", catalog.Entries.SelectMany(e => e.Names))}); add it under Switchyard:Pricing:Models in the config.";
                return false;
            }

            result.Add(price);
        }

        selected = result;
        return true;
    }

    /// <summary>The cost model's view of a catalog entry (standard input and output prices).</summary>
    public static HostedPrice ToHosted(CatalogPrice price) => new(price.Id, price.Input, price.Output);
}
