using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Switchyard.Access;
using Switchyard.Configuration;
using Switchyard.Storage;
using Switchyard.Storage.Access;
using Switchyard.Storage.Migrations;
using Switchyard.Tests.Infrastructure;

namespace Switchyard.Tests.Access;

/// <summary>
/// <see cref="KeyStore"/> behaves the same on a SQLite file and on PostgreSQL: each scenario is written once against a
/// <see cref="StoreDatabase"/> and run by one test per engine.
/// </summary>
public sealed class KeyStoreTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly byte[] Pepper = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("keystore-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public Task Sqlite_Teams_CreateGetListUpdateDelete() => OnSqlite(Teams_CreateGetListUpdateDelete);

    [PostgresFact]
    public Task Postgres_Teams_CreateGetListUpdateDelete() => OnPostgres(Teams_CreateGetListUpdateDelete);

    [Fact]
    public Task Sqlite_Keys_CreateGetListUpdateRevoke() => OnSqlite(Keys_CreateGetListUpdateRevoke);

    [PostgresFact]
    public Task Postgres_Keys_CreateGetListUpdateRevoke() => OnPostgres(Keys_CreateGetListUpdateRevoke);

    [Fact]
    public Task Sqlite_Find_ReturnsHashTeamAndBothBudgets() => OnSqlite(Find_ReturnsHashTeamAndBothBudgets);

    [PostgresFact]
    public Task Postgres_Find_ReturnsHashTeamAndBothBudgets() => OnPostgres(Find_ReturnsHashTeamAndBothBudgets);

    [Fact]
    public Task Sqlite_NoKeyTextAnywhereInTheDatabase() => OnSqlite(NoKeyTextAnywhereInTheDatabase);

    [PostgresFact]
    public Task Postgres_NoKeyTextAnywhereInTheDatabase() => OnPostgres(NoKeyTextAnywhereInTheDatabase);

    [Fact]
    public Task Sqlite_WrongPepper_RefusedOnOpen() => OnSqlite(WrongPepper_RefusedOnOpen);

    [PostgresFact]
    public Task Postgres_WrongPepper_RefusedOnOpen() => OnPostgres(WrongPepper_RefusedOnOpen);

    [Fact]
    public Task Sqlite_TeamDelete_RefusedWhileItHasLiveKeys() => OnSqlite(TeamDelete_RefusedWhileItHasLiveKeys);

    [PostgresFact]
    public Task Postgres_TeamDelete_RefusedWhileItHasLiveKeys() => OnPostgres(TeamDelete_RefusedWhileItHasLiveKeys);

    [Fact]
    public Task Sqlite_Validation_ClearMessages() => OnSqlite(Validation_ClearMessages);

    [PostgresFact]
    public Task Postgres_Validation_ClearMessages() => OnPostgres(Validation_ClearMessages);

    [Fact]
    public Task Sqlite_Budgets_ReplaceKeepsRowsAndGlobalBudgets() => OnSqlite(Budgets_ReplaceKeepsRowsAndGlobalBudgets);

    [PostgresFact]
    public Task Postgres_Budgets_ReplaceKeepsRowsAndGlobalBudgets() => OnPostgres(Budgets_ReplaceKeepsRowsAndGlobalBudgets);

    [Fact]
    public Task Sqlite_ConcurrentWriters_StayConsistent() => OnSqlite(ConcurrentWriters_StayConsistent);

    [PostgresFact]
    public Task Postgres_ConcurrentWriters_StayConsistent() => OnPostgres(ConcurrentWriters_StayConsistent);

    [Fact]
    public async Task OpenFor_Sqlite_CreatesAPrivatePepperFileBesideTheDatabase_AndAgreesWithItLater()
    {
        var options = new SwitchyardOptions { Ledger = { Path = Path.Combine(_dir.FullName, "gw.db") } };
        string key;
        await using (var store = KeyStore.OpenFor(options, _ => null))
        {
            key = (await store.CreateKeyAsync(new KeySpec("first"))).Key;
        }

        var pepperFile = Path.Combine(_dir.FullName, "gw.pepper");
        Assert.True(File.Exists(pepperFile));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(pepperFile));
        }

        await using (var again = KeyStore.OpenFor(options, _ => null))
        {
            Assert.True(ApiKeyFormat.TryParse(key, out var id));
            var found = await again.FindAsync(id);
            Assert.NotNull(found);
            Assert.True(again.Hasher.Verify(key, found.Hash));
        }

        // The variable wins over the file; a different pepper is refused, naming the variable.
        var other = Convert.ToBase64String(Enumerable.Repeat((byte)7, 32).ToArray());
        var ex = Assert.Throws<InvalidOperationException>(() => KeyStore.OpenFor(options, n => n == KeyStore.DefaultPepperEnv ? other : null));
        Assert.Contains("pepper differs", ex.Message, StringComparison.Ordinal);
        Assert.Contains(KeyStore.DefaultPepperEnv, ex.Message, StringComparison.Ordinal);
    }

    [PostgresFact]
    public async Task OpenFor_Postgres_RequiresThePepperVariable()
    {
        await using var pg = await PostgresDatabase.CreateAsync();
        var options = new SwitchyardOptions { Storage = { Provider = StorageProviders.Postgres, ConnectionString = pg.ConnectionString } };

        var missing = Assert.Throws<InvalidOperationException>(() => KeyStore.OpenFor(options, _ => null, pepperEnv: "SY_TEST_PEPPER"));
        Assert.Contains("SY_TEST_PEPPER", missing.Message, StringComparison.Ordinal);

        var pepper = Convert.ToBase64String(Pepper);
        await using var store = KeyStore.OpenFor(options, n => n == "SY_TEST_PEPPER" ? pepper : null, pepperEnv: "SY_TEST_PEPPER");
        var created = await store.CreateKeyAsync(new KeySpec("pg"));
        Assert.True(new ApiKeyHasher(Pepper).Verify(created.Key, (await store.FindAsync(created.Info.Id))!.Hash));
    }

    private static async Task Teams_CreateGetListUpdateDelete(StoreDatabase database)
    {
        var (store, time) = Open(database);
        var platform = await store.CreateTeamAsync(new TeamSpec(" platform ")
        {
            AllowedModels = ["gpt-4o", "default", "GPT-4o"],
            Rpm = 60,
            Tpm = 100_000,
            Budgets = [new BudgetLimit(BudgetPeriods.Monthly, 200m), new BudgetLimit(BudgetPeriods.Daily, 10.5m)],
            Metadata = new Dictionary<string, string> { ["owner"] = "alice" },
        });

        Assert.Matches("^team_[0-9A-HJKMNP-TV-Z]{8}$", platform.Id);
        Assert.Equal("platform", platform.Name);
        Assert.Equal(["gpt-4o", "default"], platform.AllowedModels!);
        Assert.Equal(60, platform.Rpm);
        Assert.Equal(100_000, platform.Tpm);
        Assert.Equal([new BudgetLimit("daily", 10.5m), new BudgetLimit("monthly", 200m)], platform.Budgets);
        Assert.Equal("alice", platform.Metadata["owner"]);
        Assert.Equal(T0, platform.CreatedAt);
        Same(platform, await store.GetTeamAsync(platform.Id));
        Same(platform, await store.GetTeamAsync("platform"));
        Assert.Null(await store.GetTeamAsync("nope"));

        var research = await store.CreateTeamAsync(new TeamSpec("research"));
        Assert.Null(research.AllowedModels);
        Assert.Empty(research.Budgets);
        Assert.Equal(["platform", "research"], (await store.ListTeamsAsync()).Select(t => t.Name));
        var taken = await Assert.ThrowsAsync<InvalidOperationException>(() => store.CreateTeamAsync(new TeamSpec("research")));
        Assert.Contains("already exists", taken.Message, StringComparison.Ordinal);

        time.Advance(TimeSpan.FromMinutes(5));
        var updated = await store.UpdateTeamAsync("platform", new TeamUpdate { Name = "infra", AllModels = true, ClearRpm = true, Tpm = 5, Budgets = [new BudgetLimit("total", 1000m)], Metadata = new Dictionary<string, string>() });
        Assert.NotNull(updated);
        Assert.Equal(platform.Id, updated.Id);
        Assert.Equal("infra", updated.Name);
        Assert.Null(updated.AllowedModels);
        Assert.Null(updated.Rpm);
        Assert.Equal(5, updated.Tpm);
        Assert.Equal([new BudgetLimit("total", 1000m)], updated.Budgets);
        Assert.Empty(updated.Metadata);
        Assert.Equal(T0, updated.CreatedAt);
        Assert.Equal(T0.AddMinutes(5), updated.UpdatedAt);
        Same(updated, await store.GetTeamAsync("infra"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => store.UpdateTeamAsync(platform.Id, new TeamUpdate { Name = "research" }));
        Assert.Null(await store.UpdateTeamAsync("nope", new TeamUpdate { Rpm = 1 }));

        // Soft delete: gone from reads, and the name is free again.
        Assert.True(await store.DeleteTeamAsync("research"));
        Assert.False(await store.DeleteTeamAsync("research"));
        Assert.Null(await store.GetTeamAsync(research.Id));
        Assert.Null(await store.UpdateTeamAsync(research.Id, new TeamUpdate { Rpm = 1 }));
        Assert.Equal(["infra"], (await store.ListTeamsAsync()).Select(t => t.Name));
        var reborn = await store.CreateTeamAsync(new TeamSpec("research"));
        Assert.NotEqual(research.Id, reborn.Id);
        Assert.Equal(1L, Scalar(database, $"SELECT COUNT(*) FROM teams WHERE id = '{research.Id}' AND deleted_ms IS NOT NULL"));
    }

    private static async Task Keys_CreateGetListUpdateRevoke(StoreDatabase database)
    {
        var (store, time) = Open(database);
        var team = await store.CreateTeamAsync(new TeamSpec("platform"));
        var created = await store.CreateKeyAsync(new KeySpec("ci")
        {
            Team = "platform",
            AllowedModels = ["gpt-4o", "default"],
            DataClasses = ["health"],
            Rpm = 60,
            Tpm = 100_000,
            Budgets = [new BudgetLimit("daily", 10m), new BudgetLimit("monthly", 200m)],
            ExpiresAt = new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero),
            BudgetBlocksFree = true,
            Metadata = new Dictionary<string, string> { ["owner"] = "alice" },
        });

        var (info, key) = created;
        Assert.True(ApiKeyFormat.TryParse(key, out var id));
        Assert.Equal(id, info.Id);
        Assert.Equal(info.Prefix, created.ToString());
        Assert.Equal("ci", info.Name);
        Assert.Equal(team.Id, info.TeamId);
        Assert.Equal(["gpt-4o", "default"], info.AllowedModels!);
        Assert.Equal(["health"], info.DataClasses);
        Assert.Equal(60, info.Rpm);
        Assert.Equal(100_000, info.Tpm);
        Assert.True(info.BudgetBlocksFree);
        Assert.True(info.Enabled);
        Assert.Equal(new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero), info.ExpiresAt);
        Assert.Null(info.RevokedAt);
        Assert.Equal([new BudgetLimit("daily", 10m), new BudgetLimit("monthly", 200m)], info.Budgets);
        Assert.Equal(T0, info.CreatedAt);
        Same(info, await store.GetKeyAsync(id));

        time.Advance(TimeSpan.FromSeconds(1));
        var plain = (await store.CreateKeyAsync(new KeySpec("plain"))).Info;
        Assert.Null(plain.TeamId);
        Assert.Null(plain.AllowedModels);
        Assert.Empty(plain.DataClasses);
        Assert.False(plain.BudgetBlocksFree);
        Assert.Empty(plain.Metadata);
        Assert.Equal([id, plain.Id], (await store.ListKeysAsync()).Select(k => k.Id));
        Assert.Equal([id], (await store.ListKeysAsync(team.Id)).Select(k => k.Id));
        Assert.Null(await store.GetKeyAsync("0000000000"));

        time.Advance(TimeSpan.FromHours(1));
        var updated = await store.UpdateKeyAsync(id, new KeyUpdate
        {
            Name = "ci-2",
            AllModels = true,
            DataClasses = [],
            ClearRpm = true,
            Tpm = 5,
            Budgets = [new BudgetLimit("monthly", 300m)],
            ClearExpiry = true,
            Enabled = false,
            BudgetBlocksFree = false,
            Metadata = new Dictionary<string, string> { ["owner"] = "bob", ["env"] = "prod" },
        });
        Assert.NotNull(updated);
        Assert.Equal("ci-2", updated.Name);
        Assert.Null(updated.AllowedModels);
        Assert.Empty(updated.DataClasses);
        Assert.Null(updated.Rpm);
        Assert.Equal(5, updated.Tpm);
        Assert.Equal([new BudgetLimit("monthly", 300m)], updated.Budgets);
        Assert.Null(updated.ExpiresAt);
        Assert.False(updated.Enabled);
        Assert.False(updated.BudgetBlocksFree);
        Assert.Equal("bob", updated.Metadata["owner"]);
        Assert.Equal(team.Id, updated.TeamId);
        Assert.Equal(T0.AddSeconds(1).AddHours(1), updated.UpdatedAt);
        Same(updated, await store.GetKeyAsync(id));

        // Null means unchanged.
        var same = await store.UpdateKeyAsync(id, new KeyUpdate { Enabled = true });
        Same(updated with { Enabled = true }, same);
        Assert.Null(await store.UpdateKeyAsync("0000000000", new KeyUpdate { Enabled = true }));

        // Revocation is final and idempotent.
        time.Advance(TimeSpan.FromMinutes(1));
        var revoked = await store.RevokeKeyAsync(id);
        Assert.Equal(T0.AddSeconds(1).AddHours(1).AddMinutes(1), revoked!.RevokedAt);
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(revoked.RevokedAt, (await store.RevokeKeyAsync(id))!.RevokedAt);
        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => store.UpdateKeyAsync(id, new KeyUpdate { Enabled = true }));
        Assert.Contains("revoked", refused.Message, StringComparison.Ordinal);
        Assert.Null(await store.RevokeKeyAsync("0000000000"));
        Assert.Equal(2, (await store.ListKeysAsync()).Count);
    }

    private static async Task Find_ReturnsHashTeamAndBothBudgets(StoreDatabase database)
    {
        var (store, _) = Open(database);
        var team = await store.CreateTeamAsync(new TeamSpec("platform") { Budgets = [new BudgetLimit("monthly", 100m)], AllowedModels = ["a"] });
        var (info, key) = await store.CreateKeyAsync(new KeySpec("ci") { Team = team.Id, Budgets = [new BudgetLimit("total", 0.000000001m), new BudgetLimit("daily", 1.25m)] });

        var found = await store.FindAsync(info.Id);

        Assert.NotNull(found);
        Same(info, found.Key);
        Assert.Equal([new BudgetLimit("daily", 1.25m), new BudgetLimit("total", 0.000000001m)], found.Key.Budgets);
        Same(team, found.Team);
        Assert.Equal([new BudgetLimit("monthly", 100m)], found.Team!.Budgets);
        Assert.Equal(ApiKeyHasher.HashBytes, found.Hash.Length);
        Assert.True(new ApiKeyHasher(Pepper).Verify(key, found.Hash));
        Assert.False(new ApiKeyHasher(Pepper).Verify(key[..^1] + (key[^1] == 'a' ? 'b' : 'a'), found.Hash));
        Assert.Null(await store.FindAsync("0000000000"));
        Assert.Null(await store.FindAsync("not an id"));

        var alone = (await store.CreateKeyAsync(new KeySpec("alone"))).Info;
        var aloneFound = await store.FindAsync(alone.Id);
        Assert.Null(aloneFound!.Team);
        Assert.Empty(aloneFound.Key.Budgets);

        // A deleted team no longer comes with its keys (nor do its budgets).
        await store.UpdateKeyAsync(info.Id, new KeyUpdate { Enabled = false });
        Assert.True(await store.DeleteTeamAsync(team.Id));
        var orphan = await store.FindAsync(info.Id);
        Assert.Null(orphan!.Team);
        Assert.Equal(team.Id, orphan.Key.TeamId);
        Assert.Equal(2, orphan.Key.Budgets.Count);
    }

    private static async Task NoKeyTextAnywhereInTheDatabase(StoreDatabase database)
    {
        var (store, _) = Open(database);
        var team = await store.CreateTeamAsync(new TeamSpec("needle-team"));
        var keys = new List<CreatedApiKey>();
        for (var i = 0; i < 5; i++)
        {
            var created = await store.CreateKeyAsync(new KeySpec("needle-key-" + i) { Team = team.Id, Budgets = [new BudgetLimit("daily", 1m)], Metadata = new Dictionary<string, string> { ["k"] = "v" } });
            keys.Add(created);
            await store.UpdateKeyAsync(created.Info.Id, new KeyUpdate { Name = "needle-renamed-" + i });
        }

        await store.RevokeKeyAsync(keys[0].Info.Id);
        var (text, bytes) = await DumpAsync(database);

        // The dump does see the keys' rows (names and hashes), so not finding the secrets means something.
        Assert.Contains("needle-renamed-4", text, StringComparison.Ordinal);
        foreach (var (info, key) in keys)
        {
            Assert.Contains(Convert.ToHexStringLower((await store.FindAsync(info.Id))!.Hash), text, StringComparison.Ordinal);
            var secret = key[(key.IndexOf('_', StringComparison.Ordinal) + 1)..];
            Assert.Equal(ApiKeyFormat.SecretLength, secret.Length);
            foreach (var needle in new[] { key, secret, secret[..20], secret[20..] })
            {
                Assert.DoesNotContain(needle, text, StringComparison.Ordinal);
                Assert.DoesNotContain(Convert.ToHexStringLower(Encoding.UTF8.GetBytes(needle)), text, StringComparison.Ordinal);
                Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.UTF8.GetBytes(needle)));
                Assert.Equal(-1, bytes.AsSpan().IndexOf(Encoding.Unicode.GetBytes(needle)));
            }
        }
    }

    private static async Task WrongPepper_RefusedOnOpen(StoreDatabase database)
    {
        // The first store to open records the pepper check; concurrent first opens agree on it.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => KeyStore.Open(database, new ApiKeyHasher(Pepper)))));
        Assert.Equal(1L, Scalar(database, "SELECT COUNT(*) FROM auth_meta WHERE name = 'pepper_check'"));

        var other = new ApiKeyHasher(Enumerable.Repeat((byte)9, 32).ToArray());
        var ex = Assert.Throws<InvalidOperationException>(() => KeyStore.Open(database, other, pepperSource: "the variable SWITCHYARD_KEY_PEPPER"));
        Assert.StartsWith("The key pepper differs from the one this database's keys were hashed with (the variable SWITCHYARD_KEY_PEPPER)", ex.Message, StringComparison.Ordinal);

        // The right pepper still opens.
        _ = KeyStore.Open(database, new ApiKeyHasher(Pepper));
    }

    private static async Task TeamDelete_RefusedWhileItHasLiveKeys(StoreDatabase database)
    {
        var (store, _) = Open(database);
        var team = await store.CreateTeamAsync(new TeamSpec("platform"));
        var a = (await store.CreateKeyAsync(new KeySpec("a") { Team = "platform" })).Info;
        var b = (await store.CreateKeyAsync(new KeySpec("b") { Team = team.Id })).Info;

        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => store.DeleteTeamAsync("platform"));
        Assert.Contains("2 live keys", ex.Message, StringComparison.Ordinal);
        Assert.Contains(a.Prefix, ex.Message, StringComparison.Ordinal);
        Assert.Contains(b.Prefix, ex.Message, StringComparison.Ordinal);
        Assert.NotNull(await store.GetTeamAsync(team.Id));

        await store.RevokeKeyAsync(a.Id);
        ex = await Assert.ThrowsAsync<InvalidOperationException>(() => store.DeleteTeamAsync(team.Id));
        Assert.Contains("1 live key (" + b.Prefix + ")", ex.Message, StringComparison.Ordinal);

        await store.UpdateKeyAsync(b.Id, new KeyUpdate { Enabled = false });
        Assert.True(await store.DeleteTeamAsync(team.Id));

        // Its keys cannot come back to life, and no new key can join it.
        var enable = await Assert.ThrowsAsync<InvalidOperationException>(() => store.UpdateKeyAsync(b.Id, new KeyUpdate { Enabled = true }));
        Assert.Contains("deleted", enable.Message, StringComparison.Ordinal);
        var join = await Assert.ThrowsAsync<ArgumentException>(() => store.CreateKeyAsync(new KeySpec("c") { Team = team.Id }));
        Assert.Equal($"Unknown team '{team.Id}'.", join.Message);
    }

    private static async Task Validation_ClearMessages(StoreDatabase database)
    {
        var (store, _) = Open(database);
        await store.CreateTeamAsync(new TeamSpec("platform"));
        var key = (await store.CreateKeyAsync(new KeySpec("k"))).Info;

        async Task Refused(Func<Task> call, string expected)
        {
            var ex = await Assert.ThrowsAsync<ArgumentException>(call);
            Assert.Contains(expected, ex.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("(Parameter", ex.Message, StringComparison.Ordinal);
        }

        await Refused(() => store.CreateKeyAsync(new KeySpec(" ")), "A key name must be 1–100 characters");
        await Refused(() => store.CreateKeyAsync(new KeySpec(new string('x', 101))), "A key name must be 1–100 characters");
        await Refused(() => store.CreateKeyAsync(new KeySpec("k") { Team = "nope" }), "Unknown team 'nope'.");
        await Refused(() => store.CreateKeyAsync(new KeySpec("k") { Budgets = [new BudgetLimit("weekly", 1m)] }), "'weekly' is not a budget period (daily, monthly, total).");
        await Refused(() => store.CreateKeyAsync(new KeySpec("k") { Budgets = [new BudgetLimit("daily", -1m)] }), "A budget limit must be between $0 and");
        await Refused(() => store.CreateKeyAsync(new KeySpec("k") { Budgets = [new BudgetLimit("daily", 1m), new BudgetLimit("daily", 2m)] }), "Only one daily budget");
        await Refused(() => store.CreateKeyAsync(new KeySpec("k") { Rpm = 0 }), "requests-per-minute limit must be at least 1; got 0");
        await Refused(() => store.CreateKeyAsync(new KeySpec("k") { Tpm = -5 }), "tokens-per-minute limit must be at least 1; got -5");
        await Refused(() => store.CreateKeyAsync(new KeySpec("k") { AllowedModels = ["gpt-4o", " "] }), "A model name must be");
        await Refused(() => store.CreateKeyAsync(new KeySpec("k") { AllowedModels = [] }), "at least one model name");
        await Refused(() => store.CreateKeyAsync(new KeySpec("k") { DataClasses = [""] }), "A data class must be");
        await Refused(() => store.CreateKeyAsync(new KeySpec("k") { ExpiresAt = T0 }), "is not in the future");
        await Refused(() => store.CreateKeyAsync(new KeySpec("k") { Metadata = new Dictionary<string, string> { [" "] = "v" } }), "A metadata name must be");
        await Refused(() => store.CreateTeamAsync(new TeamSpec("a:b")), "A team name must be 1–64 letters");
        await Refused(() => store.CreateTeamAsync(new TeamSpec("team_ABCDEFGH")), "may not look like a team id");
        await Refused(() => store.CreateTeamAsync(new TeamSpec("t") { Rpm = 0 }), "requests-per-minute");
        await Refused(() => store.UpdateKeyAsync(key.Id, new KeyUpdate { AllowedModels = ["a"], AllModels = true }), "Give a new model allow-list or remove it, not both.");
        await Refused(() => store.UpdateKeyAsync(key.Id, new KeyUpdate { Rpm = 3, ClearRpm = true }), "not both");
        await Refused(() => store.UpdateKeyAsync(key.Id, new KeyUpdate { Budgets = [new BudgetLimit("Daily", 1m)] }), "'Daily' is not a budget period");
        await Refused(() => store.UpdateTeamAsync("platform", new TeamUpdate { Name = "" }), "A team name must be");
        await Refused(() => store.SetGlobalBudgetAsync("hourly", 1m), "'hourly' is not a budget period");
        await Refused(() => store.SetGlobalBudgetAsync("daily", -0.01m), "A budget limit must be between $0 and");

        // Nothing was written by the refused calls.
        Assert.Single(await store.ListKeysAsync());
        Same(key, await store.GetKeyAsync(key.Id));
    }

    private static async Task Budgets_ReplaceKeepsRowsAndGlobalBudgets(StoreDatabase database)
    {
        var (store, _) = Open(database);
        var key = (await store.CreateKeyAsync(new KeySpec("k") { Budgets = [new BudgetLimit("daily", 1m), new BudgetLimit("monthly", 10m)] })).Info;
        var dailyId = Scalar(database, $"SELECT id FROM budgets WHERE scope_kind = 'key' AND scope_id = '{key.Id}' AND period = 'daily'");

        // Changing a limit keeps the budget row (so its recorded spend stays attached); dropping a period deletes it.
        var updated = await store.UpdateKeyAsync(key.Id, new KeyUpdate { Budgets = [new BudgetLimit("daily", 2.123456789m), new BudgetLimit("total", 0m)] });
        Assert.Equal([new BudgetLimit("daily", 2.123456789m), new BudgetLimit("total", 0m)], updated!.Budgets);
        Assert.Equal(dailyId, Scalar(database, $"SELECT id FROM budgets WHERE scope_kind = 'key' AND scope_id = '{key.Id}' AND period = 'daily'"));
        Assert.Equal(2_123_456_789L, Scalar(database, $"SELECT limit_nanousd FROM budgets WHERE scope_kind = 'key' AND scope_id = '{key.Id}' AND period = 'daily'"));
        Assert.Empty((await store.UpdateKeyAsync(key.Id, new KeyUpdate { Budgets = [] }))!.Budgets);
        Assert.Equal(0L, Scalar(database, "SELECT COUNT(*) FROM budgets WHERE scope_kind = 'key'"));

        // Sub-nano amounts round to the nearest nano-dollar, as the ledger's costs do.
        var rounded = (await store.CreateKeyAsync(new KeySpec("r") { Budgets = [new BudgetLimit("total", 0.0000000015m)] })).Info;
        Assert.Equal(0.000000002m, rounded.Budgets[0].LimitUsd);

        Assert.Empty(await store.GetGlobalBudgetsAsync());
        await store.SetGlobalBudgetAsync("monthly", 500m);
        await store.SetGlobalBudgetAsync("daily", 20m);
        await store.SetGlobalBudgetAsync("monthly", 600m);
        Assert.Equal([new BudgetLimit("daily", 20m), new BudgetLimit("monthly", 600m)], await store.GetGlobalBudgetsAsync());
        await store.SetGlobalBudgetAsync("daily", null);
        await store.SetGlobalBudgetAsync("total", null);
        Assert.Equal([new BudgetLimit("monthly", 600m)], await store.GetGlobalBudgetsAsync());
        Assert.Equal(1L, Scalar(database, "SELECT COUNT(*) FROM budgets WHERE scope_kind = 'global' AND scope_id = '*'"));
    }

    private static async Task ConcurrentWriters_StayConsistent(StoreDatabase database)
    {
        var (store, _) = Open(database);

        // Racing creates of one name: exactly one team wins, the others are told it exists.
        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(async () =>
        {
            try
            {
                return (await store.CreateTeamAsync(new TeamSpec("racy"))).Id;
            }
            catch (InvalidOperationException ex) when (ex.Message.Contains("already exists", StringComparison.Ordinal))
            {
                return null;
            }
        })));
        Assert.Single(results, r => r is not null);

        // Keys created while the team is being deleted: either the key exists and the delete was refused, or the
        // delete won and the key was refused; never a live key in a deleted team.
        var keyTask = Task.Run(async () =>
        {
            var made = 0;
            for (var i = 0; i < 10; i++)
            {
                try
                {
                    await store.CreateKeyAsync(new KeySpec("k" + i) { Team = "racy" });
                    made++;
                }
                catch (ArgumentException)
                {
                }
            }

            return made;
        });
        var deleteTask = Task.Run(async () =>
        {
            try
            {
                return await store.DeleteTeamAsync("racy");
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        });
        await Task.WhenAll(keyTask, deleteTask);

        const string LiveInDeleted = "SELECT COUNT(*) FROM api_keys k JOIN teams t ON t.id = k.team_id WHERE t.deleted_ms IS NOT NULL AND k.enabled AND k.revoked_ms IS NULL";
        Assert.Equal(0L, Scalar(database, LiveInDeleted));
        Assert.Equal(await keyTask, (await store.ListKeysAsync()).Count);

        // Enabling a disabled key while its team is deleted: one of the two is refused.
        for (var round = 0; round < 5; round++)
        {
            var team = await store.CreateTeamAsync(new TeamSpec("race-" + round));
            var key = (await store.CreateKeyAsync(new KeySpec("k") { Team = team.Id })).Info;
            await store.UpdateKeyAsync(key.Id, new KeyUpdate { Enabled = false });
            var enabled = Task.Run(async () =>
            {
                try
                {
                    return (await store.UpdateKeyAsync(key.Id, new KeyUpdate { Enabled = true }))!.Enabled;
                }
                catch (InvalidOperationException)
                {
                    return false;
                }
            });
            var deleted = Task.Run(async () =>
            {
                try
                {
                    return await store.DeleteTeamAsync(team.Id);
                }
                catch (InvalidOperationException)
                {
                    return false;
                }
            });
            Assert.False(await enabled && await deleted);
            Assert.True(await enabled || await deleted);
        }

        Assert.Equal(0L, Scalar(database, LiveInDeleted));
    }

    /// <summary>Records holding lists compare them by reference; compare what they hold instead.</summary>
    private static void Same<T>(T expected, T? actual)
        where T : class
    {
        Assert.NotNull(actual);
        Assert.Equal(JsonSerializer.Serialize(expected), JsonSerializer.Serialize(actual));
    }

    private static (KeyStore Store, FakeTimeProvider Time) Open(StoreDatabase database)
    {
        var time = new FakeTimeProvider(T0);
        return (KeyStore.Open(database, new ApiKeyHasher(Pepper), time), time);
    }

    private async Task OnSqlite(Func<StoreDatabase, Task> scenario)
    {
        await using var database = StoreDatabase.Sqlite(Path.Combine(_dir.FullName, Guid.NewGuid().ToString("N") + ".db"));
        Migrate(database);
        await scenario(database);
    }

    private static async Task OnPostgres(Func<StoreDatabase, Task> scenario)
    {
        await using var pg = await PostgresDatabase.CreateAsync();
        await using var database = StoreDatabase.Postgres(pg.ConnectionString);
        Migrate(database);
        await scenario(database);
    }

    private static void Migrate(StoreDatabase database)
    {
        using var connection = database.Open();
        SchemaMigrator.Migrate(connection, database.Kind);
    }

    private static long Scalar(StoreDatabase database, string sql)
    {
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Everything the database holds. SQLite: the bytes of the file and its WAL (and their hex, as text), so a
    /// secret anywhere in a page is found. PostgreSQL: every row of every table as text (bytea shows as hex).
    /// </summary>
    private static async Task<(string Text, byte[] Bytes)> DumpAsync(StoreDatabase database)
    {
        if (database.Kind == StoreKind.Sqlite)
        {
            var bytes = new List<byte>();
            foreach (var file in new[] { database.Display, database.Display + "-wal", database.Display + "-shm" }.Where(File.Exists))
            {
                using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var copy = new MemoryStream();
                await stream.CopyToAsync(copy);
                bytes.AddRange(copy.ToArray());
            }

            var all = bytes.ToArray();
            return (Encoding.Latin1.GetString(all) + Convert.ToHexStringLower(all), all);
        }

        var text = new StringBuilder();
        await using var connection = await database.OpenAsync();
        var tables = new List<string>();
        await using (var list = connection.CreateCommand())
        {
            list.CommandText = "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'";
            await using var reader = await list.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                tables.Add(reader.GetString(0));
            }
        }

        Assert.Contains("api_keys", tables);
        foreach (var table in tables)
        {
            await using var dump = connection.CreateCommand();
            dump.CommandText = $"SELECT t::text FROM \"{table}\" t";
            await using var reader = await dump.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                text.AppendLine(reader.GetString(0));
            }
        }

        var dumped = text.ToString();
        return (dumped, Encoding.UTF8.GetBytes(dumped));
    }
}
