using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using Switchyard.Access;
using Switchyard.Storage.Access;
using static Switchyard.Cli.AccessCli;

namespace Switchyard.Cli;

/// <summary>
/// <c>switchyard teams create|list|show|update|delete</c>: teams, whose allow-list, rate limits and budgets apply to
/// all of their keys, in the store the configuration names; no server is needed.
/// </summary>
internal static class TeamsCommand
{
    private static readonly string[] ListColumns = ["id", "name", "keys (active)", "models", "budgets", "rpm", "tpm", "created"];

    public static Command Create()
    {
        var command = new Command("teams", "Create, list, show, update and delete teams: keys that share an allow-list, rate limits and budgets; no server needed. " + ExitCodes);
        command.Subcommands.Add(CreateTeam());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Show());
        command.Subcommands.Add(Update());
        command.Subcommands.Add(Delete());
        return command;
    }

    private static Command CreateTeam()
    {
        var name = new Option<string?>("--name") { Description = "Unique name (required): letters, digits, spaces, '.', '_' or '-', at most 64.", HelpName = "NAME" };
        var models = ModelsOption("the team's keys");
        var budget = BudgetOption("the team, shared by its keys");
        var rpm = RpmOption("shared by the team's keys");
        var tpm = TpmOption("shared by the team's keys");
        var meta = MetaOption("the team");
        var json = JsonOption();
        var config = ConfigOption();
        var command = new Command("create", "Create a team. " + Exits) { name, models, budget, rpm, tpm, meta, json, config };
        command.SetAction((parse, cancellationToken) =>
        {
            if (!TryInput(
                () => new TeamSpec(parse.GetValue(name) ?? throw new ArgumentException("--name is required."))
                {
                    AllowedModels = Models(parse.GetValue(models)),
                    Budgets = Budgets(parse.GetValue(budget)),
                    Rpm = Positive(parse.GetValue(rpm), "--rpm"),
                    Tpm = PositiveLong(parse.GetValue(tpm), "--tpm"),
                    Metadata = Metadata(parse.GetValue(meta)),
                },
                out var spec,
                out var code))
            {
                return Task.FromResult(code);
            }

            return RunAsync(parse.GetValue(config), async store =>
            {
                var team = await store.CreateTeamAsync(spec, cancellationToken).ConfigureAwait(false);
                return await PrintAsync(store, team, parse.GetValue(json), $"Created team '{team.Name}' ({team.Id}).", cancellationToken).ConfigureAwait(false);
            }, cancellationToken);
        });
        return command;
    }

    private static Command List()
    {
        var json = JsonOption();
        var config = ConfigOption();
        var command = new Command("list", "List the teams, by name, with how many keys each has. " + Exits) { json, config };
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(config), async store =>
        {
            var keys = await store.ListKeysAsync(null, cancellationToken).ConfigureAwait(false);
            var teams = (await store.ListTeamsAsync(cancellationToken).ConfigureAwait(false)).Select(t => TeamView.From(t, keys)).ToList();
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(teams, CliJsonContext.Default.ListTeamView));
                return 0;
            }

            CliConsole.WidenWhenRedirected();
            var table = new Table().Title($"{teams.Count} team{(teams.Count == 1 ? "" : "s")}").Border(TableBorder.Rounded);
            foreach (var column in ListColumns)
            {
                table.AddColumn(column);
            }

            foreach (var t in teams)
            {
                table.AddRow(
                    Markup.Escape(t.Id),
                    Markup.Escape(t.Name),
                    $"{t.Keys} ({t.ActiveKeys})",
                    Markup.Escape(Models(t.AllowedModels)),
                    Markup.Escape(Budgets(t.Budgets)),
                    Limit(t.Rpm),
                    Limit(t.Tpm),
                    Time(t.CreatedAt));
            }

            AnsiConsole.Write(table);
            return 0;
        }, cancellationToken));
        return command;
    }

    private static Command Show()
    {
        var team = TeamArgument();
        var json = JsonOption();
        var config = ConfigOption();
        var command = new Command("show", "Show one team. " + Exits) { team, json, config };
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(config), async store =>
        {
            var name = parse.GetValue(team)!;
            var found = await store.GetTeamAsync(name, cancellationToken).ConfigureAwait(false);
            return found is null ? NoTeam(name) : await PrintAsync(store, found, parse.GetValue(json), null, cancellationToken).ConfigureAwait(false);
        }, cancellationToken));
        return command;
    }

    private static Command Update()
    {
        var team = TeamArgument();
        var name = new Option<string?>("--name") { Description = "A new unique name.", HelpName = "NAME" };
        var models = ModelsOption("the team's keys", "; replaces its list");
        var allModels = new Option<bool>("--all-models") { Description = "Allow every model again." };
        var budget = BudgetOption("the team", "; the budgets given replace all of its budgets, and a period kept keeps its spend");
        var clearBudgets = new Option<bool>("--clear-budgets") { Description = "Remove every budget of the team." };
        var rpm = RpmOption("shared by the team's keys");
        var noRpm = new Option<bool>("--no-rpm") { Description = "Remove the requests-per-minute limit." };
        var tpm = TpmOption("shared by the team's keys");
        var noTpm = new Option<bool>("--no-tpm") { Description = "Remove the tokens-per-minute limit." };
        var meta = MetaOption("the team", "; the labels given replace all of its labels");
        var clearMeta = new Option<bool>("--clear-meta") { Description = "Remove every label." };
        var json = JsonOption();
        var config = ConfigOption();
        var command = new Command("update", "Change a team; options not given stay as they are. " + Exits)
        {
            team, name, models, allModels, budget, clearBudgets, rpm, noRpm, tpm, noTpm, meta, clearMeta, json, config,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            if (!TryInput(
                () =>
                {
                    NotBoth(parse.GetValue(models) is not null, parse.GetValue(allModels), "--models", "--all-models");
                    NotBoth(parse.GetValue(budget) is { Length: > 0 }, parse.GetValue(clearBudgets), "--budget", "--clear-budgets");
                    NotBoth(parse.GetValue(rpm) is not null, parse.GetValue(noRpm), "--rpm", "--no-rpm");
                    NotBoth(parse.GetValue(tpm) is not null, parse.GetValue(noTpm), "--tpm", "--no-tpm");
                    NotBoth(parse.GetValue(meta) is { Length: > 0 }, parse.GetValue(clearMeta), "--meta", "--clear-meta");
                    var update = new TeamUpdate
                    {
                        Name = parse.GetValue(name),
                        AllowedModels = Models(parse.GetValue(models)),
                        AllModels = parse.GetValue(allModels),
                        Budgets = parse.GetValue(clearBudgets) ? [] : parse.GetValue(budget) is { Length: > 0 } b ? Budgets(b) : null,
                        Rpm = Positive(parse.GetValue(rpm), "--rpm"),
                        ClearRpm = parse.GetValue(noRpm),
                        Tpm = PositiveLong(parse.GetValue(tpm), "--tpm"),
                        ClearTpm = parse.GetValue(noTpm),
                        Metadata = parse.GetValue(clearMeta) ? new Dictionary<string, string>() : Metadata(parse.GetValue(meta)),
                    };
                    return update == new TeamUpdate() ? throw new ArgumentException("teams update: nothing to change (see --help for the options).") : update;
                },
                out var update,
                out var code))
            {
                return Task.FromResult(code);
            }

            return RunAsync(parse.GetValue(config), async store =>
            {
                var which = parse.GetValue(team)!;
                var updated = await store.UpdateTeamAsync(which, update, cancellationToken).ConfigureAwait(false);
                return updated is null ? NoTeam(which) : await PrintAsync(store, updated, parse.GetValue(json), $"Updated team '{updated.Name}' ({updated.Id}).", cancellationToken).ConfigureAwait(false);
            }, cancellationToken);
        });
        return command;
    }

    private static Command Delete()
    {
        var team = TeamArgument();
        var config = ConfigOption();
        var command = new Command("delete", "Delete a team. Refused while any of its keys is enabled and not revoked: revoke or disable them first. Its name becomes free; the ledger keeps its id. " + Exits)
        {
            team, config,
        };
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(config), async store =>
        {
            var which = parse.GetValue(team)!;
            var found = await store.GetTeamAsync(which, cancellationToken).ConfigureAwait(false);
            if (found is null || !await store.DeleteTeamAsync(found.Id, cancellationToken).ConfigureAwait(false))
            {
                return NoTeam(which);
            }

            Console.WriteLine($"Deleted team '{found.Name}' ({found.Id}).");
            return 0;
        }, cancellationToken));
        return command;
    }

    private static Argument<string> TeamArgument() => new("TEAM") { Description = "The team's id (team_…) or name." };

    private static int NoTeam(string team) => Fail(NotFound, $"No team '{team}'.");

    private static async Task<int> PrintAsync(KeyStore store, TeamInfo team, bool json, string? message, CancellationToken cancellationToken)
    {
        var view = TeamView.From(team, await store.ListKeysAsync(team.Id, cancellationToken).ConfigureAwait(false));
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(view, CliJsonContext.Default.TeamView));
            return 0;
        }

        if (message is not null)
        {
            Console.WriteLine(message);
        }

        CliConsole.WidenWhenRedirected();
        AnsiConsole.Write(Fields($"Team {view.Name}",
        [
            ("id", view.Id),
            ("keys (active)", $"{view.Keys} ({view.ActiveKeys})"),
            ("models", Models(view.AllowedModels)),
            ("rpm", Limit(view.Rpm)),
            ("tpm", Limit(view.Tpm)),
            ("budgets", Budgets(view.Budgets)),
            ("labels", Labels(view.Metadata)),
            ("created", Time(view.CreatedAt)),
            ("updated", Time(view.UpdatedAt)),
        ]));
        return 0;
    }
}

/// <summary>A team as the CLI prints it, with how many keys it has and how many of them are active.</summary>
internal sealed record TeamView(
    string Id,
    string Name,
    IReadOnlyList<string>? AllowedModels,
    int? Rpm,
    long? Tpm,
    IReadOnlyList<BudgetLimit> Budgets,
    IReadOnlyDictionary<string, string> Metadata,
    int Keys,
    int ActiveKeys,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>The view of <paramref name="team"/>, counting its keys among <paramref name="keys"/>.</summary>
    public static TeamView From(TeamInfo team, IReadOnlyList<ApiKeyInfo> keys)
    {
        var own = keys.Where(k => k.TeamId == team.Id).ToList();
        var active = own.Count(k => KeyView.From(k, team.Name).Status == "active");
        return new TeamView(team.Id, team.Name, team.AllowedModels, team.Rpm, team.Tpm, team.Budgets, team.Metadata, own.Count, active, team.CreatedAt, team.UpdatedAt);
    }
}
