using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Switchyard.Configuration;
using Switchyard.Economics.Pricing;
using Switchyard.Gateway;

namespace Switchyard.Cli;

/// <summary>
/// <c>switchyard catalog list|show|diff|update</c>: the price catalog (verified provider-page prices, the shipped litellm
/// price-map snapshot or <c>Pricing:MapFile</c>, and <c>Pricing:Models</c> overrides), and refreshing it from a newer map.
/// Exit codes: 0 ok, 1 not found or unreadable, 2 bad input.
/// </summary>
internal static class CatalogCommand
{
    private static readonly string[] s_modes = ["chat", "responses", "completion", "embedding"];

    public static Command Create()
    {
        var command = new Command("catalog", "The price catalog: list, show one model, compare with or update from a litellm price map (model_prices_and_context_window.json).");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Show());
        command.Subcommands.Add(Diff(update: false));
        command.Subcommands.Add(Diff(update: true));
        return command;
    }

    private static Option<string?> ConfigOption() =>
        new("--config") { Description = $"Configuration file whose Pricing:MapFile and Pricing:Models apply (default: {SwitchyardConfigLoader.DefaultFileName} if present)." };

    private static PricingCatalog? Load(string? config)
    {
        try
        {
            var file = SwitchyardConfigLoader.ResolvePath(config, Environment.CurrentDirectory);
            return PricingCatalogs.For(file is null ? null : SwitchyardConfigLoader.LoadForServe(file, Environment.CurrentDirectory));
        }
        catch (SwitchyardConfigurationException ex)
        {
            Console.Error.WriteLine(string.Join(" ", ex.Errors));
            return null;
        }
    }

    private static Command List()
    {
        var provider = new Option<string?>("--provider") { Description = "Only this provider (e.g. openai, anthropic, gemini, together_ai)." };
        var mode = new Option<string?>("--mode") { Description = "Only this mode (chat, responses, completion, embedding)." };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of a table." };
        var config = ConfigOption();
        var command = new Command("list", "List the catalog's models with their prices (US$ per million tokens) and context windows.") { provider, mode, json, config };
        command.SetAction(parse =>
        {
            if (Load(parse.GetValue(config)) is not { } catalog)
            {
                return 2;
            }

            var entries = catalog.Entries
                .Where(e => parse.GetValue(provider) is not { } p || string.Equals(e.Provider, p, StringComparison.OrdinalIgnoreCase))
                .Where(e => parse.GetValue(mode) is not { } m || string.Equals(e.Mode ?? "chat", m, StringComparison.OrdinalIgnoreCase))
                .ToList();
            if (parse.GetValue(json))
            {
                Console.Out.WriteLine(JsonSerializer.Serialize(entries, CliJsonContext.Default.ListCatalogPrice));
                return 0;
            }

            var console = CliConsole.Create(Console.Out, !Console.IsOutputRedirected);
            var table = new Table().AddColumns("model", "provider", "mode", "input", "output", "cache read", "cache write", "context", "source");
            foreach (var e in entries)
            {
                table.AddRow(Markup.Escape(e.Id), Markup.Escape(e.Provider), Markup.Escape(e.Mode ?? "chat"), Money(e.Input), Money(e.Output), Money(e.CachedInputRead), Money(e.CachedInputWrite),
                    e.ContextWindow?.ToString("N0", CultureInfo.InvariantCulture) ?? "—", Markup.Escape(SourceKind(e)));
            }

            console.Write(table);
            var counts = entries.GroupBy(e => e.Provider).OrderByDescending(g => g.Count()).Select(g => $"{g.Key} {g.Count()}");
            console.WriteLine($"{entries.Count} models: {string.Join(", ", counts)}");
            return 0;
        });
        return command;
    }

    private static Command Show()
    {
        var id = new Argument<string>("model") { Description = "A model id or alias, e.g. gpt-4o." };
        var config = ConfigOption();
        var command = new Command("show", "Show one model's catalog entry (every price, the context window, source and observed date) as JSON.") { id, config };
        command.SetAction(parse =>
        {
            if (Load(parse.GetValue(config)) is not { } catalog)
            {
                return 2;
            }

            var name = parse.GetValue(id)!;
            if (!catalog.TryGet(name, out var price))
            {
                var near = catalog.Entries.SelectMany(e => e.Names).Where(n => n.Contains(name, StringComparison.OrdinalIgnoreCase)).Take(5).ToList();
                Console.Error.WriteLine($"'{name}' is not in the price catalog{(near.Count > 0 ? "; similar: " + string.Join(", ", near) : "")}.");
                return 1;
            }

            Console.Out.WriteLine(JsonSerializer.Serialize(price, CliJsonContext.Default.CatalogPrice));
            return 0;
        });
        return command;
    }

    private static Command Diff(bool update)
    {
        var from = new Option<string>("--from") { Description = "A litellm price map: model_prices_and_context_window.json as litellm publishes it, or your own in its format.", Required = true };
        var source = new Option<string?>("--source") { Description = "Where the map came from (recorded as each entry's source; default: the file's own address)." };
        var updated = new Option<string?>("--updated") { Description = "When the map was last updated, yyyy-MM-dd (default: its last_updated field, else the file's time)." };
        var output = new Option<string>("--out") { Description = "The map file to write, for Pricing:MapFile.", DefaultValueFactory = _ => "switchyard-prices.json" };
        var config = ConfigOption();
        var command = update
            ? new Command("update", "Show what a newer price map changes and write it (chat, responses, completion and embedding models) as the file Pricing:MapFile names. Verified provider-page prices and Pricing:Models still win.") { from, source, updated, output, config }
            : new Command("diff", "Show what a price map would change in the catalog: models added, prices and windows changed.") { from, source, updated, config };
        command.SetAction(parse =>
        {
            if (Load(parse.GetValue(config)) is not { } catalog)
            {
                return 2;
            }

            var path = parse.GetValue(from)!;
            byte[] bytes;
            try
            {
                bytes = File.ReadAllBytes(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"Cannot read '{path}': {ex.Message}");
                return 1;
            }

            DateOnly when;
            if (parse.GetValue(updated) is { } text)
            {
                if (!DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out when))
                {
                    Console.Error.WriteLine($"--updated: '{text}' is not a date (yyyy-MM-dd).");
                    return 2;
                }
            }
            else
            {
                when = LastUpdated(bytes) ?? DateOnly.FromDateTime(File.GetLastWriteTimeUtc(path));
            }

            var origin = parse.GetValue(source) ?? new Uri(Path.GetFullPath(path)).AbsoluteUri;
            IReadOnlyList<CatalogPrice> incoming;
            try
            {
                incoming = LiteLlmPriceMap.Read(new MemoryStream(bytes), new LiteLlmPriceMap.Provenance(origin, when), out _);
            }
            catch (InvalidDataException ex)
            {
                Console.Error.WriteLine($"'{path}': {ex.Message}");
                return 2;
            }

            incoming = [.. incoming.Where(e => e.Mode is null || s_modes.Contains(e.Mode))];
            var console = CliConsole.Create(Console.Out, !Console.IsOutputRedirected);
            var table = new Table().AddColumns("model", "change", "before", "after");
            int added = 0, changed = 0;
            foreach (var next in incoming)
            {
                if (!catalog.TryGet(next.Id, out var now))
                {
                    added++;
                    table.AddRow(Markup.Escape(next.Id), "added", "—", Markup.Escape(Prices(next)));
                }
                else if (Prices(now) != Prices(next) && now.Observed <= next.Observed)
                {
                    changed++;
                    table.AddRow(Markup.Escape(next.Id), SourceKind(now) == "verified" ? "changed (verified price kept)" : "changed", Markup.Escape(Prices(now)), Markup.Escape(Prices(next)));
                }
            }

            console.Write(table);
            console.WriteLine($"{incoming.Count} models in the map: {added} new, {changed} with other prices or windows (map updated {when:yyyy-MM-dd}).");
            if (!update)
            {
                return 0;
            }

            var target = parse.GetValue(output)!;
            try
            {
                WriteMap(bytes, target, origin, when);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"Cannot write '{target}': {ex.Message}");
                return 1;
            }

            console.WriteLine($"Wrote {target}. Use it with \"Pricing\": {{ \"MapFile\": \"{target}\" }} in the configuration.");
            return 0;
        });
        return command;
    }

    /// <summary>The map's own <c>last_updated</c> (as the litellm mirrors add it), if any.</summary>
    private static DateOnly? LastUpdated(byte[] map)
    {
        try
        {
            using var doc = JsonDocument.Parse(map);
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("last_updated", out var u) && u.ValueKind == JsonValueKind.String
                && DateTimeOffset.TryParse(u.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
                ? DateOnly.FromDateTime(at.UtcDateTime)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>Writes the map's token-priced models of the catalog's modes, values untouched, under a provenance block.</summary>
    private static void WriteMap(byte[] map, string target, string origin, DateOnly updated)
    {
        using var doc = JsonDocument.Parse(map);
        using var stream = File.Create(target);
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteStartObject("switchyard_snapshot");
        w.WriteString("about", "Written by 'switchyard catalog update' from a litellm price map (BerriAI/litellm, MIT): token-priced chat, responses, completion and embedding models, values unchanged.");
        w.WriteString("source", origin);
        w.WriteString("source_updated", updated.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T00:00:00Z");
        w.WriteEndObject();
        foreach (var model in doc.RootElement.EnumerateObject())
        {
            if (model.Name != "sample_spec" && model.Value.ValueKind == JsonValueKind.Object && model.Value.TryGetProperty("input_cost_per_token", out _)
                && model.Value.TryGetProperty("litellm_provider", out _)
                && (!model.Value.TryGetProperty("mode", out var m) || s_modes.Contains(m.GetString())))
            {
                model.WriteTo(w);
            }
        }

        w.WriteEndObject();
    }

    private static string SourceKind(CatalogPrice e) =>
        e.Notes?.StartsWith("Imported from litellm", StringComparison.Ordinal) == true ? "litellm map" : e.Provider == "config" ? "config" : "verified";

    private static string Prices(CatalogPrice e) =>
        string.Create(CultureInfo.InvariantCulture, $"in {e.Input:0.####} out {e.Output:0.####}{(e.CachedInputRead is { } r ? $" read {r:0.####}" : "")}{(e.CachedInputWrite is { } w ? $" write {w:0.####}" : "")}{(e.ContextWindow is { } c ? $" ctx {c}" : "")}");

    private static string Money(decimal? value) => value?.ToString("0.####", CultureInfo.InvariantCulture) ?? "—";
}
