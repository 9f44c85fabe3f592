using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Spectre.Console;
using Switchyard.Access;
using Switchyard.Storage.Access;
using static Switchyard.Cli.AccessCli;

namespace Switchyard.Cli;

/// <summary>
/// <c>switchyard keys create|list|show|update|revoke</c>: virtual API keys in the store the configuration names
/// (SQLite by default, PostgreSQL with <c>Storage:Provider: postgres</c>); no server is needed.
/// </summary>
internal static class KeysCommand
{
    private static readonly string[] ListColumns = ["key", "name", "team", "status", "models", "budgets", "rpm", "tpm", "expires", "created"];

    public static Command Create()
    {
        var command = new Command("keys", "Create, list, show, update and revoke virtual API keys (sk-sy-…) in the store the configuration names; no server needed. " + ExitCodes);
        command.Subcommands.Add(CreateKey());
        command.Subcommands.Add(List());
        command.Subcommands.Add(Show());
        command.Subcommands.Add(Update());
        command.Subcommands.Add(Revoke());
        return command;
    }

    /// <summary>
    /// The key id in <paramref name="value"/>: the 10-character id, <c>sk-sy-&lt;id&gt;</c>, or a whole key (whose secret
    /// is then ignored and never echoed).
    /// </summary>
    internal static string KeyId(string value)
    {
        var text = value.Trim();
        if (ApiKeyFormat.TryParse(text, out var id))
        {
            return id;
        }

        if (text.StartsWith(ApiKeyFormat.KeyPrefix, StringComparison.OrdinalIgnoreCase))
        {
            text = text[ApiKeyFormat.KeyPrefix.Length..];
        }

        text = text.ToUpperInvariant();
        try
        {
            _ = ApiKeyFormat.PrefixOf(text);
            return text;
        }
        catch (ArgumentException)
        {
            var shown = value.Length <= 16 ? value : value[..16] + "…";
            throw new ArgumentException($"'{shown}' is not a key id: give the 10-character id or sk-sy-<id>.");
        }
    }

    private static Command CreateKey()
    {
        var name = new Option<string?>("--name") { Description = "Display name of the key (required).", HelpName = "NAME" };
        var team = new Option<string?>("--team") { Description = "Its team (id or name): the team's allow-list, limits and budgets apply too.", HelpName = "TEAM" };
        var models = ModelsOption("the key");
        var dataClass = DataClassOption();
        var budget = BudgetOption("the key");
        var rpm = RpmOption("for the key");
        var tpm = TpmOption("for the key");
        var expires = ExpiresOption();
        var meta = MetaOption("the key");
        var blocksFree = new Option<bool>("--budget-blocks-free") { Description = "An exhausted budget also blocks zero-cost (self-hosted) models; by default they keep serving." };
        var json = JsonOption();
        var config = ConfigOption();
        var command = new Command("create", "Create a key and print it once: only its hash is stored, so it cannot be shown again. " + Exits)
        {
            name, team, models, dataClass, budget, rpm, tpm, expires, meta, blocksFree, json, config,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            if (!TryInput(
                () => new KeySpec(parse.GetValue(name) ?? throw new ArgumentException("--name is required."))
                {
                    AllowedModels = Models(parse.GetValue(models)),
                    DataClasses = parse.GetValue(dataClass) ?? [],
                    Budgets = Budgets(parse.GetValue(budget)),
                    Rpm = Positive(parse.GetValue(rpm), "--rpm"),
                    Tpm = PositiveLong(parse.GetValue(tpm), "--tpm"),
                    ExpiresAt = Expiry(parse.GetValue(expires)),
                    Metadata = Metadata(parse.GetValue(meta)),
                    BudgetBlocksFree = parse.GetValue(blocksFree),
                },
                out var spec,
                out var code))
            {
                return Task.FromResult(code);
            }

            return RunAsync(parse.GetValue(config), async store =>
            {
                TeamInfo? owner = null;
                if (parse.GetValue(team) is { } teamName)
                {
                    owner = await store.GetTeamAsync(teamName, cancellationToken).ConfigureAwait(false);
                    if (owner is null)
                    {
                        return Fail(NotFound, $"No team '{teamName}'.");
                    }
                }

                var (info, key) = await store.CreateKeyAsync(spec with { Team = owner?.Id }, cancellationToken).ConfigureAwait(false);
                if (parse.GetValue(json))
                {
                    Console.WriteLine(JsonSerializer.Serialize(KeyView.From(info, owner?.Name) with { Key = key }, CliJsonContext.Default.KeyView));
                    return 0;
                }

                Console.WriteLine($"Created key {info.Prefix} ('{info.Name}'{(owner is null ? "" : $", team {owner.Name}")}):");
                Console.WriteLine();
                Console.WriteLine(key);
                Console.WriteLine();
                Console.WriteLine("Copy it now: it will not be shown again (Switchyard stores only its hash).");
                return 0;
            }, cancellationToken);
        });
        return command;
    }

    private static Command List()
    {
        var team = new Option<string?>("--team") { Description = "Only the keys of this team (id or name).", HelpName = "TEAM" };
        var json = JsonOption();
        var config = ConfigOption();
        var command = new Command("list", "List every key (revoked ones too), oldest first; never their secrets, which are not stored. " + Exits) { team, json, config };
        command.SetAction((parse, cancellationToken) => RunAsync(parse.GetValue(config), async store =>
        {
            var teams = (await store.ListTeamsAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(t => t.Id, t => t.Name);
            string? teamId = null;
            if (parse.GetValue(team) is { } teamName)
            {
                var found = await store.GetTeamAsync(teamName, cancellationToken).ConfigureAwait(false);
                if (found is null)
                {
                    return Fail(NotFound, $"No team '{teamName}'.");
                }

                teamId = found.Id;
            }

            var keys = (await store.ListKeysAsync(teamId, cancellationToken).ConfigureAwait(false))
                .Select(k => KeyView.From(k, k.TeamId is null ? null : teams.GetValueOrDefault(k.TeamId)))
                .ToList();
            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(keys, CliJsonContext.Default.ListKeyView));
                return 0;
            }

            CliConsole.WidenWhenRedirected();
            var table = new Table().Title($"{keys.Count} key{(keys.Count == 1 ? "" : "s")}").Border(TableBorder.Rounded);
            foreach (var column in ListColumns)
            {
                table.AddColumn(column);
            }

            foreach (var k in keys)
            {
                table.AddRow(
                    Markup.Escape(k.Prefix),
                    Markup.Escape(k.Name),
                    Markup.Escape(k.TeamName ?? k.TeamId ?? "-"),
                    k.Status == "active" ? "[green]active[/]" : $"[red]{k.Status}[/]",
                    Markup.Escape(Models(k.AllowedModels)),
                    Markup.Escape(Budgets(k.Budgets)),
                    Limit(k.Rpm),
                    Limit(k.Tpm),
                    Time(k.ExpiresAt),
                    Time(k.CreatedAt));
            }

            AnsiConsole.Write(table);
            return 0;
        }, cancellationToken));
        return command;
    }

    private static Command Show()
    {
        var id = KeyArgument();
        var json = JsonOption();
        var config = ConfigOption();
        var command = new Command("show", "Show one key: its team, status, allow-list, data classes, limits, budgets and labels (never its secret). " + Exits) { id, json, config };
        command.SetAction((parse, cancellationToken) => WithKey(parse, id, config, async (store, keyId) =>
        {
            var key = await store.GetKeyAsync(keyId, cancellationToken).ConfigureAwait(false);
            return key is null ? NoKey(keyId) : await PrintAsync(store, key, parse.GetValue(json), null, cancellationToken).ConfigureAwait(false);
        }, cancellationToken));
        return command;
    }

    private static Command Revoke()
    {
        var id = KeyArgument();
        var json = JsonOption();
        var config = ConfigOption();
        var command = new Command("revoke", "Revoke a key for good: every request with it is refused from then on, and it cannot be enabled again (to pause a key, use 'keys update ID --disable'). Revoking twice is harmless. " + Exits)
        {
            id, json, config,
        };
        command.SetAction((parse, cancellationToken) => WithKey(parse, id, config, async (store, keyId) =>
        {
            var before = await store.GetKeyAsync(keyId, cancellationToken).ConfigureAwait(false);
            var key = before is null ? null : await store.RevokeKeyAsync(keyId, cancellationToken).ConfigureAwait(false);
            if (key is null)
            {
                return NoKey(keyId);
            }

            var message = before!.RevokedAt is { } at
                ? $"Key {key.Prefix} ('{key.Name}') was already revoked at {Time(at)}."
                : $"Revoked key {key.Prefix} ('{key.Name}') at {Time(key.RevokedAt)}; gateways refuse it once their key cache expires (Auth:KeyCacheMilliseconds).";
            return await PrintAsync(store, key, parse.GetValue(json), message, cancellationToken).ConfigureAwait(false);
        }, cancellationToken));
        return command;
    }

    private static Command Update()
    {
        var id = KeyArgument();
        var name = new Option<string?>("--name") { Description = "A new display name.", HelpName = "NAME" };
        var models = ModelsOption("the key", "; replaces its list");
        var allModels = new Option<bool>("--all-models") { Description = "Allow every model again (its team's list still applies)." };
        var dataClass = DataClassOption();
        var noDataClasses = new Option<bool>("--no-data-classes") { Description = "Remove every data class." };
        var budget = BudgetOption("the key", "; the budgets given replace all of its budgets, and a period kept keeps its spend");
        var clearBudgets = new Option<bool>("--clear-budgets") { Description = "Remove every budget of the key." };
        var rpm = RpmOption("for the key");
        var noRpm = new Option<bool>("--no-rpm") { Description = "Remove the requests-per-minute limit." };
        var tpm = TpmOption("for the key");
        var noTpm = new Option<bool>("--no-tpm") { Description = "Remove the tokens-per-minute limit." };
        var expires = ExpiresOption();
        var noExpiry = new Option<bool>("--no-expiry") { Description = "The key never expires." };
        var enable = new Option<bool>("--enable") { Description = "Enable the key (not possible once revoked)." };
        var disable = new Option<bool>("--disable") { Description = "Disable the key until enabled again (reversible, unlike revoke)." };
        var blocksFree = new Option<bool>("--budget-blocks-free") { Description = "An exhausted budget also blocks zero-cost (self-hosted) models." };
        var noBlocksFree = new Option<bool>("--no-budget-blocks-free") { Description = "Zero-cost models keep serving when a budget is exhausted (the default)." };
        var meta = MetaOption("the key", "; the labels given replace all of its labels");
        var clearMeta = new Option<bool>("--clear-meta") { Description = "Remove every label." };
        var json = JsonOption();
        var config = ConfigOption();
        var command = new Command("update", "Change a key; options not given stay as they are. " + Exits)
        {
            id, name, models, allModels, dataClass, noDataClasses, budget, clearBudgets, rpm, noRpm, tpm, noTpm, expires, noExpiry,
            enable, disable, blocksFree, noBlocksFree, meta, clearMeta, json, config,
        };
        command.SetAction((parse, cancellationToken) =>
        {
            if (!TryInput(
                () =>
                {
                    NotBoth(parse.GetValue(models) is not null, parse.GetValue(allModels), "--models", "--all-models");
                    NotBoth(parse.GetValue(dataClass) is { Length: > 0 }, parse.GetValue(noDataClasses), "--data-class", "--no-data-classes");
                    NotBoth(parse.GetValue(budget) is { Length: > 0 }, parse.GetValue(clearBudgets), "--budget", "--clear-budgets");
                    NotBoth(parse.GetValue(rpm) is not null, parse.GetValue(noRpm), "--rpm", "--no-rpm");
                    NotBoth(parse.GetValue(tpm) is not null, parse.GetValue(noTpm), "--tpm", "--no-tpm");
                    NotBoth(parse.GetValue(expires) is not null, parse.GetValue(noExpiry), "--expires", "--no-expiry");
                    NotBoth(parse.GetValue(enable), parse.GetValue(disable), "--enable", "--disable");
                    NotBoth(parse.GetValue(blocksFree), parse.GetValue(noBlocksFree), "--budget-blocks-free", "--no-budget-blocks-free");
                    NotBoth(parse.GetValue(meta) is { Length: > 0 }, parse.GetValue(clearMeta), "--meta", "--clear-meta");
                    var update = new KeyUpdate
                    {
                        Name = parse.GetValue(name),
                        AllowedModels = Models(parse.GetValue(models)),
                        AllModels = parse.GetValue(allModels),
                        DataClasses = parse.GetValue(noDataClasses) ? [] : parse.GetValue(dataClass) is { Length: > 0 } classes ? classes : null,
                        Budgets = parse.GetValue(clearBudgets) ? [] : parse.GetValue(budget) is { Length: > 0 } b ? Budgets(b) : null,
                        Rpm = Positive(parse.GetValue(rpm), "--rpm"),
                        ClearRpm = parse.GetValue(noRpm),
                        Tpm = PositiveLong(parse.GetValue(tpm), "--tpm"),
                        ClearTpm = parse.GetValue(noTpm),
                        ExpiresAt = Expiry(parse.GetValue(expires)),
                        ClearExpiry = parse.GetValue(noExpiry),
                        Enabled = parse.GetValue(enable) ? true : parse.GetValue(disable) ? false : null,
                        BudgetBlocksFree = parse.GetValue(blocksFree) ? true : parse.GetValue(noBlocksFree) ? false : null,
                        Metadata = parse.GetValue(clearMeta) ? new Dictionary<string, string>() : Metadata(parse.GetValue(meta)),
                    };
                    return update == new KeyUpdate() ? throw new ArgumentException("keys update: nothing to change (see --help for the options).") : update;
                },
                out var update,
                out var code))
            {
                return Task.FromResult(code);
            }

            return WithKey(parse, id, config, async (store, keyId) =>
            {
                var key = await store.UpdateKeyAsync(keyId, update, cancellationToken).ConfigureAwait(false);
                return key is null ? NoKey(keyId) : await PrintAsync(store, key, parse.GetValue(json), $"Updated key {key.Prefix}.", cancellationToken).ConfigureAwait(false);
            }, cancellationToken);
        });
        return command;
    }

    private static Argument<string> KeyArgument() => new("ID") { Description = "The key: its 10-character id or sk-sy-<id>." };

    private static Option<string[]> DataClassOption() => new("--data-class")
    {
        Description = "A data class the privacy guard adds to every request made with the key, e.g. health (repeatable).",
        HelpName = "CLASS",
        AllowMultipleArgumentsPerToken = false,
    };

    private static Option<string?> ExpiresOption() => new("--expires")
    {
        Description = "When the key stops working: a date (2027-01-01, midnight UTC) or an ISO 8601 instant (default: never).",
        HelpName = "WHEN",
    };

    private static DateTimeOffset? Expiry(string? value) => value is null ? null
        : DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at) ? at
        : throw new ArgumentException($"--expires '{value}' is not a date (2027-01-01) or an ISO 8601 instant (2027-01-01T12:00:00Z).");

    private static Task<int> WithKey(ParseResult parse, Argument<string> id, Option<string?> config, Func<KeyStore, string, Task<int>> body, CancellationToken cancellationToken) =>
        TryInput(() => KeyId(parse.GetValue(id) ?? ""), out var keyId, out var code)
            ? RunAsync(parse.GetValue(config), store => body(store, keyId), cancellationToken)
            : Task.FromResult(code);

    private static int NoKey(string keyId) => Fail(NotFound, $"No key {ApiKeyFormat.PrefixOf(keyId)}.");

    private static async Task<int> PrintAsync(KeyStore store, ApiKeyInfo key, bool json, string? message, CancellationToken cancellationToken)
    {
        var team = key.TeamId is null ? null : await store.GetTeamAsync(key.TeamId, cancellationToken).ConfigureAwait(false);
        var view = KeyView.From(key, team?.Name);
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(view, CliJsonContext.Default.KeyView));
            return 0;
        }

        if (message is not null)
        {
            Console.WriteLine(message);
        }

        CliConsole.WidenWhenRedirected();
        AnsiConsole.Write(Fields($"Key {view.Prefix}",
        [
            ("name", view.Name),
            ("team", view.TeamId is null ? "-" : view.TeamName is null ? $"{view.TeamId} (deleted)" : $"{view.TeamName} ({view.TeamId})"),
            ("status", view.Status),
            ("models", Models(view.AllowedModels)),
            ("data classes", view.DataClasses.Count == 0 ? "-" : string.Join(", ", view.DataClasses)),
            ("rpm", Limit(view.Rpm)),
            ("tpm", Limit(view.Tpm)),
            ("budgets", Budgets(view.Budgets)),
            ("budget blocks free models", view.BudgetBlocksFree ? "yes" : "no"),
            ("expires", Time(view.ExpiresAt)),
            ("revoked", Time(view.RevokedAt)),
            ("labels", Labels(view.Metadata)),
            ("created", Time(view.CreatedAt)),
            ("updated", Time(view.UpdatedAt)),
        ]));
        return 0;
    }
}

/// <summary>A key as the CLI prints it (never its secret, except <see cref="Key"/> right after creation).</summary>
internal sealed record KeyView(
    string Id,
    string Prefix,
    string Name,
    string? TeamId,
    string? TeamName,
    string Status,
    bool Enabled,
    IReadOnlyList<string>? AllowedModels,
    IReadOnlyList<string> DataClasses,
    int? Rpm,
    long? Tpm,
    IReadOnlyList<BudgetLimit> Budgets,
    bool BudgetBlocksFree,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? RevokedAt,
    IReadOnlyDictionary<string, string> Metadata,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>The whole key: only in the output of <c>keys create</c>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Key { get; init; }

    /// <summary>The view of <paramref name="key"/>; its status is judged now.</summary>
    public static KeyView From(ApiKeyInfo key, string? teamName)
    {
        var now = TimeProvider.System.GetUtcNow();
        var status = key.RevokedAt is not null ? "revoked" : key.ExpiresAt <= now ? "expired" : !key.Enabled ? "disabled" : "active";
        return new KeyView(key.Id, key.Prefix, key.Name, key.TeamId, teamName, status, key.Enabled, key.AllowedModels, key.DataClasses, key.Rpm, key.Tpm,
            key.Budgets, key.BudgetBlocksFree, key.ExpiresAt, key.RevokedAt, key.Metadata, key.CreatedAt, key.UpdatedAt);
    }
}
