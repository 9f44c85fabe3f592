using System.Globalization;
using System.Text.Json;

namespace Switchyard.Economics.Pricing;

/// <summary>
/// Reads BerriAI/litellm's <c>model_prices_and_context_window.json</c> (MIT) — the industry's de facto price map, or a
/// filtered copy of it such as the snapshot Switchyard ships — into catalog entries: US$ per token become US$ per
/// million tokens; cache reads and writes, batch prices, the above-200K/128K long-context tier and the input window
/// come across when the entry has them; provider and mode are kept. Entries without a per-token input price (images,
/// audio, rerank) and litellm's own <c>sample_spec</c> are skipped. A <c>provider/model</c> id also answers to <c>model</c> when no other entry claims that name.
/// </summary>
public static class LiteLlmPriceMap
{
    /// <summary>The snapshot shipped inside Switchyard.Core (<c>catalog/prices/litellm-model-prices.json</c>).</summary>
    public const string SnapshotResourceName = "Switchyard.Economics.Pricing.litellm-model-prices.json";

    private const decimal PerMillion = 1_000_000m;

    /// <summary>Where the shipped snapshot came from and when its source was last updated.</summary>
    /// <param name="Source">The source file's address (at its commit where known), recorded as each entry's <c>source</c>.</param>
    /// <param name="Updated">The date the source file was last updated, recorded as each entry's <c>observed</c>.</param>
    /// <param name="Note">How the file relates to litellm's, added to each entry's notes.</param>
    public sealed record Provenance(string Source, DateOnly Updated, string? Note = null);

    /// <summary>The shipped snapshot's entries.</summary>
    /// <exception cref="InvalidOperationException">The resource is missing from the assembly.</exception>
    public static IReadOnlyList<CatalogPrice> LoadSnapshot(out Provenance provenance)
    {
        using var stream = typeof(LiteLlmPriceMap).Assembly.GetManifestResourceStream(SnapshotResourceName)
            ?? throw new InvalidOperationException($"The price map resource '{SnapshotResourceName}' is missing from {typeof(LiteLlmPriceMap).Assembly.GetName().Name}.");
        return Read(stream, null, out provenance);
    }

    /// <summary>
    /// Reads a price map. Provenance comes from the file's <c>switchyard_snapshot</c> object when it has one (a
    /// Switchyard snapshot), else from <paramref name="fallback"/> (a map as litellm publishes it).
    /// </summary>
    /// <exception cref="InvalidDataException">The stream is not a litellm price map.</exception>
    public static IReadOnlyList<CatalogPrice> Read(Stream json, Provenance? fallback, out Provenance provenance)
    {
        ArgumentNullException.ThrowIfNull(json);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"Not a litellm price map: {ex.Message}", ex);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException("Not a litellm price map: the file is not a JSON object of models.");
            }

            provenance = ReadProvenance(root) ?? fallback
                ?? throw new InvalidDataException("The price map names no source: pass where it came from and when it was updated.");
            var entries = new List<CatalogPrice>();
            var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            foreach (var model in root.EnumerateObject())
            {
                // Names are case-insensitive here; the map has a few ids twice in different case (the first is kept).
                if (ToEntry(model.Name, model.Value, provenance) is { } entry && seen.Add(entry.Id))
                {
                    entries.Add(entry);
                }
            }

            if (entries.Count == 0)
            {
                throw new InvalidDataException("Not a litellm price map: no entry has litellm_provider and input_cost_per_token.");
            }

            return WithShortAliases(entries);
        }
    }

    private static Provenance? ReadProvenance(JsonElement root)
    {
        if (!root.TryGetProperty("switchyard_snapshot", out var meta) || meta.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var source = meta.TryGetProperty("source", out var s) ? s.GetString() : null;
        var note = meta.TryGetProperty("source_note", out var n) ? n.GetString() : null;
        var updated = meta.TryGetProperty("source_updated", out var u) && DateTimeOffset.TryParse(u.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var when)
            ? DateOnly.FromDateTime(when.UtcDateTime)
            : throw new InvalidDataException("The snapshot's switchyard_snapshot.source_updated is not a date.");
        return new Provenance(source ?? "", updated, note);
    }

    private static CatalogPrice? ToEntry(string id, JsonElement e, Provenance provenance)
    {
        if (id == "sample_spec" || e.ValueKind != JsonValueKind.Object || Text(e, "litellm_provider") is not { Length: > 0 } provider || PerMillionOf(e, "input_cost_per_token") is not { } input)
        {
            return null;
        }

        var output = PerMillionOf(e, "output_cost_per_token") ?? 0m;
        var window = e.TryGetProperty("max_input_tokens", out var w) && w.TryGetInt64(out var n) && n > 0 ? n : (long?)null;
        decimal? batchIn = PerMillionOf(e, "input_cost_per_token_batches"), batchOut = PerMillionOf(e, "output_cost_per_token_batches");
        if (batchIn is null || batchOut is null)
        {
            batchIn = batchOut = null; // the catalog takes batch prices together or not at all
        }

        long? threshold = null;
        decimal? longIn = null, longOut = null;
        foreach (var tier in (ReadOnlySpan<long>)[200_000, 128_000])
        {
            var suffix = tier == 200_000 ? "above_200k_tokens" : "above_128k_tokens";
            if (PerMillionOf(e, "input_cost_per_token_" + suffix) is { } li && PerMillionOf(e, "output_cost_per_token_" + suffix) is { } lo
                && li >= input && lo >= output && (window is null || tier < window))
            {
                (threshold, longIn, longOut) = (tier, li, lo);
                break;
            }
        }

        var zero = input == 0 || output == 0;
        return new CatalogPrice
        {
            Id = id,
            Provider = provider,
            Mode = Text(e, "mode"),
            Input = input,
            Output = output,
            CachedInputRead = PerMillionOf(e, "cache_read_input_token_cost") is { } read && read > 0 ? read : null,
            CachedInputWrite = PerMillionOf(e, "cache_creation_input_token_cost") is { } write && write > 0 ? write : null,
            BatchInput = batchIn,
            BatchOutput = batchOut,
            LongContextThreshold = threshold,
            LongContextInput = longIn,
            LongContextOutput = longOut,
            ContextWindow = window,
            Retires = DateOnly.TryParseExact(Text(e, "deprecation_date"), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var retires) ? retires : null,
            Observed = provenance.Updated,
            Source = provenance.Source,
            Notes = "Imported from litellm's price map" + (provenance.Note is { } origin ? $" ({origin})" : "") + (Text(e, "deprecation_date") is { } deprecation ? $"; deprecation date {deprecation}" : "") + (zero ? "; the map lists a zero price (free tier, or no output for an embedding model)" : "") + ".",
        };
    }

    /// <summary>Adds <c>model</c> as an alias of <c>provider/model</c> when no other entry is or claims that name.</summary>
    private static List<CatalogPrice> WithShortAliases(List<CatalogPrice> entries)
    {
        var ids = new HashSet<string>(entries.Select(e => e.Id), StringComparer.OrdinalIgnoreCase);
        var shortNames = entries
            .Select(e => (Entry: e, Short: e.Id.IndexOf('/', StringComparison.Ordinal) is var slash and > 0 ? e.Id[(slash + 1)..] : null))
            .Where(x => x.Short is { Length: > 0 } && !ids.Contains(x.Short))
            .GroupBy(x => x.Short!, StringComparer.OrdinalIgnoreCase)
            .Where(g => g.Count() == 1)
            .ToDictionary(g => g.Single().Entry, g => g.Key);
        return [.. entries.Select(e => shortNames.TryGetValue(e, out var alias) ? e with { Aliases = [alias] } : e)];
    }

    private static decimal? PerMillionOf(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetDecimal(out var perToken) && perToken >= 0
            ? decimal.Round(perToken * PerMillion, 6)
            : null;

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
