using System.CommandLine;
using System.Globalization;
using Spectre.Console;
using Switchyard.Configuration;
using Switchyard.Economics;
using Switchyard.Economics.Pricing;
using Switchyard.Economics.Replay;
using Switchyard.Gateway;
using Switchyard.Storage.Ledger;

namespace Switchyard.Cli;

/// <summary>
/// <c>switchyard tco</c>: replays the ledger over a window and compares what the recorded traffic cost with what it
/// would have cost all-hosted (each catalog model), all-self-hosted on a profile and under the hybrid policy in
/// force; with a profile, also the break-even utilization and volume per hosted option and sensitivity tables.
/// </summary>
internal static class TcoCommand
{
    public static Command Create()
    {
        var since = new Option<string>("--since") { Description = "Window length back from --until: 30d, 12h, 90m.", DefaultValueFactory = _ => "30d" };
        var until = new Option<string?>("--until") { Description = "End of the window (ISO 8601, UTC if no offset; default: now)." };
        var profile = new Option<string?>("--profile") { Description = "Self-hosted profile (JSON: gpu, gpus, price_per_hour or purchase_price…, output_tokens_per_second, …)." };
        var hosted = new Option<string?>("--hosted") { Description = "Hosted catalog models to compare, comma-separated (default: every catalog entry)." };
        var ledger = new Option<string?>("--ledger") { Description = "Ledger file (default: Ledger:Path from the config, else switchyard.db)." };
        var config = new Option<string?>("--config") { Description = "Configuration (ledger path, price overrides in Pricing:Models)." };
        var json = new Option<string?>("--json") { Description = "Write the report as JSON here." };
        var png = new Option<string?>("--png") { Description = "With --profile: write the cost-vs-volume chart here.", DefaultValueFactory = _ => "tco.png" };
        var html = new Option<string?>("--html") { Description = "Write an HTML report here.", DefaultValueFactory = _ => "tco.html" };
        var command = new Command("tco", "Total cost of ownership from the recorded traffic: recorded vs all-hosted vs all-self-hosted vs hybrid, break-even and sensitivity.")
        {
            since, until, profile, hosted, ledger, config, json, png, html,
        };
        command.SetAction(async parse =>
        {
            CliConsole.WidenWhenRedirected();
            if (!TryParseSpan(parse.GetValue(since)!, out var span))
            {
                Console.Error.WriteLine($"--since '{parse.GetValue(since)}' is not a duration like 30d, 12h or 90m.");
                return 2;
            }

            var end = TimeProvider.System.GetUtcNow();
            if (parse.GetValue(until) is { } u && !DateTimeOffset.TryParse(u, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out end))
            {
                Console.Error.WriteLine($"--until '{u}' is not a date and time (ISO 8601).");
                return 2;
            }

            PricingCatalog catalog;
            SwitchyardOptions ledgerOptions;
            SelfHostedProfile? selfHosted = null;
            try
            {
                var configFile = SwitchyardConfigLoader.ResolvePath(parse.GetValue(config), Environment.CurrentDirectory);
                var options = configFile is null ? null : SwitchyardConfigLoader.LoadForServe(configFile, Environment.CurrentDirectory);
                ledgerOptions = options ?? new SwitchyardOptions();
                catalog = PricingCatalogs.For(options);
                if (parse.GetValue(profile) is { } p)
                {
                    selfHosted = EconomicsJson.ParseProfile(File.ReadAllText(p), p);
                }
            }
            catch (Exception ex) when (ex is SwitchyardConfigurationException or EconomicsInputException or IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine(ex.Message);
                return 2;
            }

            if (!PricingCatalogs.TrySelect(catalog, parse.GetValue(hosted), out var options2, out var problem))
            {
                Console.Error.WriteLine(problem);
                return 2;
            }

            var replay = new CounterfactualReplay(options2);
            var from = end - span;
            try
            {
                var reader = LedgerReader.Open(ledgerOptions, parse.GetValue(ledger));
                await using (reader.ConfigureAwait(false))
                {
                    foreach (var record in reader.Between(from, end))
                    {
                        replay.Add(record);
                    }
                }
            }
            catch (FileNotFoundException ex)
            {
                Console.Error.WriteLine(ex.Message);
                return 1;
            }
            catch (SwitchyardConfigurationException ex)
            {
                Console.Error.WriteLine(string.Join(" ", ex.Errors));
                return 1;
            }
            catch (System.Data.Common.DbException ex)
            {
                Console.Error.WriteLine($"The ledger is not readable: {ex.Message}");
                return 1;
            }

            var report = replay.Build(from, end, selfHosted);
            var result = TcoResult.From(report, selfHosted, options2);
            TcoOutput.Print(result);
            if (parse.GetValue(json) is { } jsonPath)
            {
                File.WriteAllText(jsonPath, EconomicsJson.Serialize(result));
                Console.WriteLine($"report written to {Path.GetFullPath(jsonPath)}");
            }

            var pngPath = parse.GetValue(png);
            if (selfHosted is not null && result.Shape is { } shape && !string.IsNullOrEmpty(pngPath))
            {
                Charts.CostVolumeChart.Save(pngPath, selfHosted, shape, [.. options2.Select(PricingCatalogs.ToHosted)], result.Crossovers);
                Console.WriteLine($"chart written to {Path.GetFullPath(pngPath)}");
            }

            if (parse.GetValue(html) is { Length: > 0 } htmlPath)
            {
                TcoOutput.Html(result, selfHosted is null ? null : pngPath).Save(htmlPath);
                Console.WriteLine($"HTML report written to {Path.GetFullPath(htmlPath)}");
            }

            return 0;
        });
        return command;
    }

    /// <summary>Parses <c>30d</c>, <c>12h</c>, <c>90m</c>.</summary>
    internal static bool TryParseSpan(string text, out TimeSpan span)
    {
        span = default;
        if (text.Length < 2 || !double.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || !(n > 0))
        {
            return false;
        }

        switch (char.ToLowerInvariant(text[^1]))
        {
            case 'd':
                span = TimeSpan.FromDays(n);
                return true;
            case 'h':
                span = TimeSpan.FromHours(n);
                return true;
            case 'm':
                span = TimeSpan.FromMinutes(n);
                return true;
            default:
                return false;
        }
    }
}
