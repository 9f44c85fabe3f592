using System.Diagnostics.CodeAnalysis;
using Switchyard.Configuration;
using Switchyard.Economics;
using Switchyard.Economics.Pricing;

namespace Switchyard.Cli;

/// <summary>The shipped price catalog with the configuration's overrides, and conversions for the cost model.</summary>
internal static class PricingCatalogs
{
    /// <summary>The shipped catalog, with <c>Pricing:Models</c> from <paramref name="options"/> replacing or adding entries.</summary>
    public static PricingCatalog For(SwitchyardOptions? options) => ConfiguredPricing.Catalog(options);

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
