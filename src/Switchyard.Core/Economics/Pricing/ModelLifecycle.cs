using System.Text.RegularExpressions;

namespace Switchyard.Economics.Pricing;

/// <summary>Whether a configured upstream model name stays the same model over time.</summary>
public enum PinState
{
    /// <summary>A dated snapshot (<c>gpt-4o-2024-08-06</c>, <c>claude-sonnet-4-5-20250929</c>) or a pinned file: behaviour does not move under you.</summary>
    Pinned,

    /// <summary>An alias the provider moves to new snapshots (<c>gpt-4o</c>, <c>claude-sonnet-4-5</c>): the catalog knows dated snapshots of it.</summary>
    Floating,

    /// <summary>Neither is known (no date in the name, no dated snapshot in the catalog).</summary>
    Unknown,
}

/// <summary>What the catalog knows about a configured hosted model's lifecycle: pinned or floating, and its retirement date.</summary>
/// <param name="Model">The upstream model name.</param>
/// <param name="Pin">Pinned, floating or unknown.</param>
/// <param name="Snapshots">For a floating alias, the dated snapshots the catalog knows (the one it points to first when known).</param>
/// <param name="Retires">The retirement (deprecation) date the catalog records, if any.</param>
public sealed partial record ModelLifecycle(string Model, PinState Pin, IReadOnlyList<string> Snapshots, DateOnly? Retires)
{
    /// <summary>Assesses <paramref name="upstreamModel"/> against <paramref name="catalog"/>.</summary>
    public static ModelLifecycle Assess(PricingCatalog catalog, string upstreamModel)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentException.ThrowIfNullOrWhiteSpace(upstreamModel);
        var name = upstreamModel.Trim();
        catalog.TryGet(name, out var entry);
        var retires = entry?.Retires;
        if (Dated().IsMatch(name))
        {
            return new(name, PinState.Pinned, [], retires);
        }

        var snapshots = new List<string>();
        if (entry is not null && !string.Equals(entry.Id, name, StringComparison.OrdinalIgnoreCase) && Dated().IsMatch(entry.Id))
        {
            snapshots.Add(entry.Id); // an alias of a dated entry: the snapshot it points to now
        }

        foreach (var other in catalog.Entries)
        {
            foreach (var candidate in other.Names)
            {
                if (candidate.Length > name.Length + 1 && candidate.StartsWith(name + "-", StringComparison.OrdinalIgnoreCase)
                    && Dated().IsMatch(candidate) && DateSuffix().IsMatch(candidate[(name.Length + 1)..])
                    && !snapshots.Contains(candidate, StringComparer.OrdinalIgnoreCase))
                {
                    snapshots.Add(candidate);
                }
            }
        }

        return snapshots.Count > 0 ? new(name, PinState.Floating, snapshots, retires) : new(name, PinState.Unknown, [], retires);
    }

    /// <summary>A name that ends in a date: <c>-2024-08-06</c>, <c>-20250929</c>, or OpenAI's <c>-0613</c>/<c>-1106</c>.</summary>
    [GeneratedRegex(@"-(\d{4}-\d{2}-\d{2}|20\d{6}|0[1-9]\d{2}|1[0-2]\d{2})($|[-:@])", RegexOptions.CultureInvariant)]
    private static partial Regex Dated();

    [GeneratedRegex(@"^(\d{4}-\d{2}-\d{2}|20\d{6}|0[1-9]\d{2}|1[0-2]\d{2})($|[-:@])", RegexOptions.CultureInvariant)]
    private static partial Regex DateSuffix();
}
