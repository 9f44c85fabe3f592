using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using Switchyard.Configuration;
using Switchyard.Economics.Licences;
using Switchyard.Gateway;

namespace Switchyard.Cli;

/// <summary>
/// <c>switchyard compliance --deployment FILE</c>: per configured model, whether its licence allows the deployment
/// (allowed / allowed with duties / not allowed / unknown), with the clause and source behind it.
/// Exit codes: 0 every model allowed (with or without duties), 3 a model is not allowed or unknown, 1 unreadable, 2 bad input.
/// </summary>
internal static class ComplianceCommand
{
    public static Command Create()
    {
        var deployment = new Option<string>("--deployment") { Description = "JSON: {\"monthly_active_users\": N, \"commercial\": true, \"offered_to_third_parties\": true, \"outputs_train_models\": false}.", Required = true };
        var config = new Option<string?>("--config") { Description = $"Configuration whose models are checked (default: {SwitchyardConfigLoader.DefaultFileName} if present, else the no-config defaults)." };
        var command = new Command("compliance", "Check each configured model's licence against a deployment: user caps, commercial use, training on outputs, attribution and use policies, with the clause and its source. Exit codes: 0 all allowed, 3 a model is not allowed or unknown, 1 unreadable file, 2 bad input.") { deployment, config };
        command.SetAction(parse =>
        {
            Deployment plan;
            try
            {
                using var doc = JsonDocument.Parse(File.ReadAllBytes(parse.GetValue(deployment)!));
                var root = doc.RootElement;
                plan = new Deployment(
                    root.TryGetProperty("monthly_active_users", out var u) && u.TryGetInt64(out var n) && n >= 0 ? n : throw new FormatException("monthly_active_users must be a number of 0 or more"),
                    !root.TryGetProperty("commercial", out var c) || c.GetBoolean(),
                    !root.TryGetProperty("offered_to_third_parties", out var o) || o.GetBoolean(),
                    root.TryGetProperty("outputs_train_models", out var t) && t.GetBoolean());
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                Console.Error.WriteLine($"--deployment: cannot read the file: {ex.Message}");
                return 1;
            }
            catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
            {
                Console.Error.WriteLine($"--deployment: {ex.Message}");
                return 2;
            }

            SwitchyardOptions options;
            try
            {
                var file = SwitchyardConfigLoader.ResolvePath(parse.GetValue(config), Environment.CurrentDirectory);
                options = file is null ? SwitchyardConfigLoader.Load(null, null, applyDefaults: true, getEnvironmentVariable: Environment.GetEnvironmentVariable) : SwitchyardConfigLoader.LoadForServe(file, Environment.CurrentDirectory);
            }
            catch (SwitchyardConfigurationException ex)
            {
                Console.Error.WriteLine(string.Join(" ", ex.Errors));
                return 2;
            }

            var console = CliConsole.Create(Console.Out, !Console.IsOutputRedirected);
            var table = new Table().AddColumns("model", "family", "licence", "openness", "verdict", "why");
            var blocked = false;
            foreach (var (name, entry, result) in LicenceMatching.Check(options, plan))
            {
                blocked |= result.Verdict is ComplianceVerdict.NotAllowed or ComplianceVerdict.Unknown;
                table.AddRow(Markup.Escape(name), Markup.Escape(entry?.Family ?? "unknown"), Markup.Escape(entry?.LicenceName ?? "unknown"), Markup.Escape(entry?.OpennessLevel ?? "unknown"),
                    result.Verdict.ToString(), Markup.Escape(string.Join(" ", result.Reasons)));
            }

            console.Write(table);
            return blocked ? 3 : 0;
        });
        return command;
    }
}
