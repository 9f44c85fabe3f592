using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;

namespace Switchyard.Economics.Pricing;

/// <summary>
/// Published prices of hosted models, looked up by API model id or alias (case-insensitive). The shipped catalog
/// (<see cref="LoadDefault"/>) holds facts read from the providers' public price pages, each with its date and page;
/// configuration replaces or adds entries with <see cref="WithOverrides"/>.
/// </summary>
public sealed class PricingCatalog
{
    /// <summary>The manifest resource name of the shipped catalog inside Switchyard.Core.</summary>
    public const string DefaultResourceName = "Switchyard.Economics.Pricing.pricing-catalog.json";

    private readonly Dictionary<string, CatalogPrice> _byId;
    private readonly Dictionary<string, CatalogPrice> _byAlias;

    private PricingCatalog(IReadOnlyList<CatalogPrice> entries)
    {
        Entries = entries;
        _byId = new Dictionary<string, CatalogPrice>(StringComparer.OrdinalIgnoreCase);
        _byAlias = new Dictionary<string, CatalogPrice>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in entries)
        {
            if (!string.IsNullOrWhiteSpace(entry.Id))
            {
                _byId.TryAdd(entry.Id.Trim(), entry);
            }

            foreach (var alias in entry.Aliases)
            {
                if (!string.IsNullOrWhiteSpace(alias))
                {
                    _byAlias.TryAdd(alias.Trim(), entry);
                }
            }
        }
    }

    /// <summary>Every entry, in file order (overrides that replace an entry take its place; added ones come last).</summary>
    public IReadOnlyList<CatalogPrice> Entries { get; }

    /// <summary>
    /// The catalog shipped inside Switchyard.Core: the prices verified against each provider's own page
    /// (<see cref="LoadVerified"/>), then every model of the shipped litellm price-map snapshot
    /// (<see cref="LiteLlmPriceMap"/>) that no verified entry names — a verified price keeps its stricter source.
    /// </summary>
    /// <exception cref="InvalidOperationException">A resource is missing from the assembly.</exception>
    /// <exception cref="InvalidDataException">A shipped file is not valid.</exception>
    /// <remarks>Read once per process (the snapshot is ~180 KB of JSON) and shared: a catalog is immutable.</remarks>
    public static PricingCatalog LoadDefault() => s_default.Value;

    private static readonly Lazy<PricingCatalog> s_default = new(() => LoadVerified().WithImported(LiteLlmPriceMap.LoadSnapshot(out _)));

    /// <summary>
    /// A new catalog with <paramref name="imported"/> entries added after these: an imported entry whose id or alias
    /// is already a name here is left out (these entries win), and an imported alias another entry already has is dropped.
    /// </summary>
    public PricingCatalog WithImported(IEnumerable<CatalogPrice> imported)
    {
        ArgumentNullException.ThrowIfNull(imported);
        var names = new HashSet<string>(Entries.SelectMany(e => e.Names).Select(n => n.Trim()), StringComparer.OrdinalIgnoreCase);
        var entries = new List<CatalogPrice>(Entries);
        foreach (var entry in imported)
        {
            if (names.Contains(entry.Id.Trim()))
            {
                continue;
            }

            var kept = entry.Aliases.Count == 0 ? entry : entry with { Aliases = [.. entry.Aliases.Where(a => !names.Contains(a.Trim()))] };
            foreach (var name in kept.Names)
            {
                names.Add(name.Trim());
            }

            entries.Add(kept);
        }

        return new PricingCatalog(entries);
    }

    /// <summary>The prices verified against each provider's own page (<c>Economics/Pricing/pricing-catalog.json</c>), each with its date and page.</summary>
    /// <exception cref="InvalidOperationException">The resource is missing from the assembly.</exception>
    /// <exception cref="InvalidDataException">The shipped file is not a valid catalog.</exception>
    public static PricingCatalog LoadVerified()
    {
        using var stream = typeof(PricingCatalog).Assembly.GetManifestResourceStream(DefaultResourceName)
            ?? throw new InvalidOperationException($"The pricing catalog resource '{DefaultResourceName}' is missing from {typeof(PricingCatalog).Assembly.GetName().Name}.");
        return Load(stream);
    }

    /// <summary>
    /// Reads a catalog file: <c>{ "models": [ { "id": …, "provider": …, "input": …, … } ] }</c> with snake_case names
    /// (comments and trailing commas allowed, unknown names rejected). The entries are not validated: call
    /// <see cref="Validate"/>.
    /// </summary>
    /// <param name="json">UTF-8 JSON.</param>
    /// <exception cref="InvalidDataException">The stream is not a catalog file.</exception>
    public static PricingCatalog Load(Stream json)
    {
        ArgumentNullException.ThrowIfNull(json);
        PricingCatalogDocument? document;
        try
        {
            document = JsonSerializer.Deserialize(json, PricingJsonContext.Default.PricingCatalogDocument);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"Not a valid pricing catalog: {ex.Message}", ex);
        }

        if (document?.Models is not { } models)
        {
            throw new InvalidDataException("Not a valid pricing catalog: no \"models\" array.");
        }

        if (models.Any(m => m is null))
        {
            throw new InvalidDataException("Not a valid pricing catalog: a \"models\" item is null.");
        }

        return new PricingCatalog([.. models]);
    }

    /// <summary>A catalog of the given entries (not validated).</summary>
    /// <param name="entries">The entries.</param>
    public static PricingCatalog From(IEnumerable<CatalogPrice> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        return new PricingCatalog([.. entries]);
    }

    /// <summary>
    /// A new catalog with configured entries applied. An override replaces the entry whose id equals the override's id,
    /// or failing that the entry listing it as an alias (case-insensitive); an override that lists no aliases keeps the
    /// replaced entry's id and aliases as its own. Any other override is added.
    /// </summary>
    /// <param name="overrides">Entries from configuration.</param>
    public PricingCatalog WithOverrides(IEnumerable<CatalogPrice> overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        var entries = new List<CatalogPrice>(Entries);
        foreach (var entry in overrides)
        {
            ArgumentNullException.ThrowIfNull(entry);
            var id = entry.Id.Trim();
            var index = entries.FindIndex(e => string.Equals(e.Id.Trim(), id, StringComparison.OrdinalIgnoreCase));
            if (index < 0)
            {
                index = entries.FindIndex(e => e.Aliases.Any(a => string.Equals(a.Trim(), id, StringComparison.OrdinalIgnoreCase)));
            }

            if (index < 0)
            {
                entries.Add(entry);
                continue;
            }

            var replaced = entries[index];
            entries[index] = entry.Aliases.Count > 0
                ? entry
                : entry with
                {
                    Aliases = [.. replaced.Names
                        .Where(n => !string.Equals(n.Trim(), id, StringComparison.OrdinalIgnoreCase))
                        .Distinct(StringComparer.OrdinalIgnoreCase)],
                };
        }

        return new PricingCatalog(entries);
    }

    /// <summary>
    /// Finds the entry whose id, or else one of whose aliases, equals <paramref name="idOrAlias"/> (case-insensitive).
    /// A dated snapshot id matches only when an entry lists it; nothing is inferred from the name.
    /// </summary>
    /// <param name="idOrAlias">An API model id or alias.</param>
    /// <param name="price">The entry, when found.</param>
    public bool TryGet(string idOrAlias, [NotNullWhen(true)] out CatalogPrice? price)
    {
        price = null;
        if (string.IsNullOrWhiteSpace(idOrAlias))
        {
            return false;
        }

        var key = idOrAlias.Trim();
        return _byId.TryGetValue(key, out price) || _byAlias.TryGetValue(key, out price);
    }

    /// <summary>
    /// Everything wrong with the entries, each naming the entry and the field: ids present and unique (aliases included),
    /// provider and source present, every price zero or more (zero only with a reason in <c>notes</c>), batch prices
    /// both set or both unset, long-context threshold and prices all set or all unset (threshold positive and below the
    /// context window, prices not below the standard ones), context window positive, and the observed date present and
    /// not after <paramref name="today"/>.
    /// </summary>
    /// <param name="today">The current date (prices cannot have been observed after it).</param>
    public IReadOnlyList<PricingProblem> Validate(DateOnly today)
    {
        var problems = new List<PricingProblem>();
        var seen = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in Entries)
        {
            ValidateEntry(entry, today, problems);
            var id = entry.Id.Trim();
            if (id.Length > 0 && !seen.TryAdd(id, "id"))
            {
                problems.Add(new PricingProblem(id, "id", seen[id] == "id" ? "duplicate id" : "id is already an alias of another entry"));
            }

            foreach (var alias in entry.Aliases.Select(a => a.Trim()).Distinct(StringComparer.OrdinalIgnoreCase))
            {
                if (alias.Length == 0)
                {
                    problems.Add(new PricingProblem(id, "aliases", "empty alias"));
                }
                else if (string.Equals(alias, id, StringComparison.OrdinalIgnoreCase))
                {
                    problems.Add(new PricingProblem(id, "aliases", $"alias '{alias}' repeats the id"));
                }
                else if (!seen.TryAdd(alias, "alias"))
                {
                    problems.Add(new PricingProblem(id, "aliases", $"alias '{alias}' is already used by another entry"));
                }
            }
        }

        return problems;
    }

    private static void ValidateEntry(CatalogPrice entry, DateOnly today, List<PricingProblem> problems)
    {
        var id = entry.Id.Trim();
        void Report(string field, string message) => problems.Add(new PricingProblem(id, field, message));

        if (id.Length == 0)
        {
            Report("id", "missing");
        }

        if (string.IsNullOrWhiteSpace(entry.Provider))
        {
            Report("provider", "missing");
        }

        if (string.IsNullOrWhiteSpace(entry.Source))
        {
            Report("source", "missing: name the public page the prices were read from");
        }

        if (entry.Observed == default)
        {
            Report("observed", "missing: the date the prices were observed");
        }
        else if (entry.Observed > today)
        {
            Report("observed", $"{entry.Observed.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} is after today ({today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)})");
        }

        var hasReason = !string.IsNullOrWhiteSpace(entry.Notes);
        void CheckPrice(string field, decimal? value)
        {
            if (value is not { } price)
            {
                return;
            }

            if (price < 0)
            {
                Report(field, $"negative price {price.ToString(CultureInfo.InvariantCulture)}");
            }
            else if (price == 0 && !hasReason)
            {
                Report(field, "zero price without a reason in notes");
            }
        }

        CheckPrice("input", entry.Input);
        CheckPrice("output", entry.Output);
        CheckPrice("cached_input_read", entry.CachedInputRead);
        CheckPrice("cached_input_write", entry.CachedInputWrite);
        CheckPrice("batch_input", entry.BatchInput);
        CheckPrice("batch_output", entry.BatchOutput);
        CheckPrice("long_context_input", entry.LongContextInput);
        CheckPrice("long_context_output", entry.LongContextOutput);

        if (entry.BatchInput.HasValue != entry.BatchOutput.HasValue)
        {
            Report(entry.BatchInput.HasValue ? "batch_output" : "batch_input", "batch prices must be given together");
        }

        if (entry.ContextWindow is <= 0)
        {
            Report("context_window", "must be positive");
        }

        var longContextFields = new[] { entry.LongContextThreshold.HasValue, entry.LongContextInput.HasValue, entry.LongContextOutput.HasValue };
        if (longContextFields.Any(set => set) && !longContextFields.All(set => set))
        {
            var missing = !entry.LongContextThreshold.HasValue ? "long_context_threshold"
                : !entry.LongContextInput.HasValue ? "long_context_input" : "long_context_output";
            Report(missing, "long-context threshold, input and output prices must be given together");
        }

        if (entry.LongContextThreshold is { } threshold)
        {
            if (threshold <= 0)
            {
                Report("long_context_threshold", "must be positive");
            }
            else if (entry.ContextWindow is { } window && threshold >= window)
            {
                Report("long_context_threshold", $"{threshold} is not below the context window ({window})");
            }
        }

        if (entry.LongContextInput is { } longInput && longInput < entry.Input)
        {
            Report("long_context_input", "below the standard input price");
        }

        if (entry.LongContextOutput is { } longOutput && longOutput < entry.Output)
        {
            Report("long_context_output", "below the standard output price");
        }
    }
}
