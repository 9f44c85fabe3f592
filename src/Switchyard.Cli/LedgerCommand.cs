using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;
using Switchyard.Configuration;
using Switchyard.Gateway;
using Switchyard.Storage.Ledger;

namespace Switchyard.Cli;

/// <summary><c>switchyard ledger</c>: recent requests and totals per model.</summary>
internal static class LedgerCommand
{
    public static Command Create()
    {
        var last = new Option<int>("--last")
        {
            Description = "How many recent requests to list.",
            DefaultValueFactory = _ => 20,
        };
        last.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() < 0)
            {
                r.AddError("--last must be 0 or more.");
            }
        });
        var json = new Option<bool>("--json") { Description = "Print JSON instead of tables." };
        var path = new Option<string?>("--ledger") { Description = "Ledger file (default: Ledger:Path from the config, else switchyard.db)." };
        var config = new Option<string?>("--config") { Description = $"Configuration file to take Ledger:Path from (default: {SwitchyardConfigLoader.DefaultFileName} if present)." };
        var audit = new Option<bool>("--audit") { Description = "Show the privacy audit: data classes found, allowed zones, deciding rules and the zone that served." };
        var by = new Option<string>("--by")
        {
            Description = "Group the totals by the served model, the API key (its prefix) or the key's team.",
            DefaultValueFactory = _ => "model",
        };
        by.AcceptOnlyFromAmong("model", "key", "team");
        var command = new Command("ledger", "Show recent requests and totals per model, key or team from the ledger (the SQLite file, or PostgreSQL when the config says Storage:Provider postgres). Exit codes: 0 ok, 1 no ledger or unreadable, 2 bad input.") { last, json, audit, by, path, config };
        command.SetAction(async parse =>
        {
            var grouping = parse.GetValue(by) switch
            {
                "key" => LedgerGrouping.Key,
                "team" => LedgerGrouping.Team,
                _ => LedgerGrouping.Model,
            };
            LedgerReader reader;
            try
            {
                var file = SwitchyardConfigLoader.ResolvePath(parse.GetValue(config), Environment.CurrentDirectory);
                var options = file is null ? new SwitchyardOptions() : SwitchyardConfigLoader.LoadForServe(file, Environment.CurrentDirectory);
                reader = LedgerReader.Open(options, parse.GetValue(path));
            }
            catch (SwitchyardConfigurationException ex)
            {
                Console.Error.WriteLine(string.Join(" ", ex.Errors));
                return ex.Message.Contains("is not a readable Switchyard ledger", StringComparison.Ordinal) ? 1 : 2;
            }
            catch (FileNotFoundException ex)
            {
                Console.Error.WriteLine(ex.Message);
                return 1;
            }

            await using var owned = reader.ConfigureAwait(false);
            IReadOnlyList<Metering.LedgerRecord> records;
            IReadOnlyList<LedgerTotals> totals;
            try
            {
                records = reader.Recent(parse.GetValue(last));
                totals = reader.TotalsBy(grouping);
            }
            catch (System.Data.Common.DbException ex)
            {
                Console.Error.WriteLine($"The ledger is not readable: {ex.Message}");
                return 1;
            }

            if (parse.GetValue(audit))
            {
                var rows = records.Select(AuditRow.From).ToList();
                if (parse.GetValue(json))
                {
                    Console.WriteLine(JsonSerializer.Serialize(rows, CliJsonContext.Default.ListAuditRow));
                }
                else
                {
                    PrintAudit(rows);
                }

                return 0;
            }

            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(new LedgerReport(records, totals), CliJsonContext.Default.LedgerReport));
                return 0;
            }

            Print(records, totals, parse.GetValue(by)!);
            return 0;
        });
        return command;
    }

    private static void Print(IReadOnlyList<Metering.LedgerRecord> records, IReadOnlyList<LedgerTotals> totals, string by)
    {
        var recent = new Table().Title($"Last {records.Count} requests").Border(TableBorder.Rounded);
        foreach (var column in new[] { "time (UTC)", "requested", "served", "zone", "status", "in", "out", "cached", "cost $", "latency ms", "ttft ms", "error" })
        {
            recent.AddColumn(column);
        }

        foreach (var r in records)
        {
            recent.AddRow(
                r.Timestamp.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                Markup.Escape(r.Requested),
                Markup.Escape(r.ServedModel ?? "-"),
                Markup.Escape(r.Zone ?? "-"),
                r.Status == "ok" ? "[green]ok[/]" : $"[red]{Markup.Escape(r.Status)} {r.HttpStatus}[/]",
                r.InputTokens.ToString(CultureInfo.InvariantCulture),
                r.OutputTokens.ToString(CultureInfo.InvariantCulture),
                r.CachedInputTokens.ToString(CultureInfo.InvariantCulture),
                r.Cost.ToString("0.000000", CultureInfo.InvariantCulture),
                r.LatencyMs.ToString("0.0", CultureInfo.InvariantCulture),
                r.TimeToFirstTokenMs?.ToString("0.0", CultureInfo.InvariantCulture) ?? "-",
                Markup.Escape(Shorten(r.Error)));
        }

        var perModel = new Table().Title(by == "model" ? "Totals per served model" : $"Totals per {by}").Border(TableBorder.Rounded);
        foreach (var column in new[] { by == "model" ? "model" : by, "requests", "ok", "errors", "input", "output", "cached", "cost $", "avg latency ms" })
        {
            perModel.AddColumn(column);
        }

        foreach (var t in totals)
        {
            perModel.AddRow(
                Markup.Escape(t.Group),
                t.Requests.ToString(CultureInfo.InvariantCulture),
                t.Succeeded.ToString(CultureInfo.InvariantCulture),
                t.Failed.ToString(CultureInfo.InvariantCulture),
                t.InputTokens.ToString(CultureInfo.InvariantCulture),
                t.OutputTokens.ToString(CultureInfo.InvariantCulture),
                t.CachedInputTokens.ToString(CultureInfo.InvariantCulture),
                t.Cost.ToString("0.000000", CultureInfo.InvariantCulture),
                t.AverageLatencyMs.ToString("0.0", CultureInfo.InvariantCulture));
        }

        AnsiConsole.Write(recent);
        AnsiConsole.Write(perModel);
    }

    private static void PrintAudit(List<AuditRow> rows)
    {
        var table = new Table().Title($"Privacy audit of the last {rows.Count} requests").Border(TableBorder.Rounded);
        foreach (var column in new[] { "time (UTC)", "request id", "requested", "classes found", "where", "allowed zones", "rules", "served", "zone", "status" })
        {
            table.AddColumn(column);
        }

        foreach (var r in rows)
        {
            table.AddRow(
                r.Timestamp.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
                Markup.Escape(r.RequestId),
                Markup.Escape(r.Requested),
                Markup.Escape(r.Classes.Count == 0 ? "-" : string.Join(", ", r.Classes.Select(c => $"{c.Key} x{c.Value}"))),
                Markup.Escape(r.Locations.Count == 0 ? "-" : string.Join(", ", r.Locations.Take(3).Select(l => $"{l.DataClass} at {l.Path}")) + (r.Locations.Count > 3 ? $" (+{r.Locations.Count - 3})" : "")),
                Markup.Escape(r.AllowedZones is null ? "any" : string.Join(", ", r.AllowedZones)),
                Markup.Escape(r.Rules.Count == 0 ? "-" : string.Join(", ", r.Rules)),
                Markup.Escape(r.ServedModel ?? "-"),
                Markup.Escape(r.ServedZone ?? "-"),
                r.Status == "ok" ? "[green]ok[/]" : $"[red]{Markup.Escape(r.Status)} {r.HttpStatus}[/]");
        }

        AnsiConsole.Write(table);
    }

    private static string Shorten(string? error) => error is null ? "" : error.Length <= 60 ? error : error[..57] + "...";
}
