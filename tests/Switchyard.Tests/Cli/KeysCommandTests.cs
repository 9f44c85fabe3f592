using System.Text.Json;
using System.Text.RegularExpressions;
using Switchyard.Access;
using Switchyard.Configuration;
using Switchyard.Storage.Access;
using Switchyard.Tests.Infrastructure;

namespace Switchyard.Tests.Cli;

/// <summary><c>switchyard keys</c> and <c>switchyard teams</c> run as the real executable on a SQLite store in a temporary folder.</summary>
public sealed partial class KeysCommandTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("keys-cli-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private Task<(int Code, string Out, string Err)> RunAsync(params string[] args) => CliRunner.RunAsync(_dir, args);

    [GeneratedRegex("sk-sy-[0-9A-Z]{10}_[0-9A-Za-z]{40}")]
    private static partial Regex KeyText();

    [Fact]
    public async Task Create_PrintsTheKeyOnce_ListShowsItWithoutTheSecret_RevokeWorks()
    {
        var team = await RunAsync("teams", "create", "--name", "platform", "--budget", "100/monthly", "--json");
        Assert.True(team.Code == 0, team.Err + team.Out);
        var teamId = JsonDocument.Parse(team.Out).RootElement.GetProperty("id").GetString()!;

        var (code, output, err) = await RunAsync(
            "keys", "create", "--name", "ci", "--team", "platform", "--models", "gpt-4o,default", "--budget", "10/daily", "--budget", "$200.50/monthly",
            "--rpm", "60", "--tpm", "100000", "--data-class", "health", "--expires", "2099-01-01", "--meta", "owner=alice");

        Assert.True(code == 0, err + output);
        Assert.Equal("", err);
        var key = Assert.Single(KeyText().Matches(output)).Value;
        Assert.True(ApiKeyFormat.TryParse(key, out var id));
        Assert.Contains("will not be shown again", output, StringComparison.Ordinal);
        Assert.Contains("sk-sy-" + id, output, StringComparison.Ordinal);
        var secret = key[(key.IndexOf('_', StringComparison.Ordinal) + 1)..];

        // The store holds the key's hash under the pepper file the CLI made beside the database.
        Assert.True(File.Exists(Path.Combine(_dir, "switchyard.pepper")));
        await using (var store = KeyStore.OpenFor(new SwitchyardOptions { Ledger = { Path = Path.Combine(_dir, "switchyard.db") } }, _ => null))
        {
            var found = await store.FindAsync(id);
            Assert.NotNull(found);
            Assert.True(store.Hasher.Verify(key, found.Hash));
            Assert.Equal(teamId, found.Team!.Id);
            Assert.Equal([new BudgetLimit("daily", 10m), new BudgetLimit("monthly", 200.5m)], found.Key.Budgets);
            Assert.Equal(["gpt-4o", "default"], found.Key.AllowedModels!);
            Assert.Equal(["health"], found.Key.DataClasses);
            Assert.Equal(100_000, found.Key.Tpm);
            Assert.Equal("alice", found.Key.Metadata["owner"]);
        }

        var list = await RunAsync("keys", "list");
        Assert.True(list.Code == 0, list.Err);
        Assert.Contains("sk-sy-" + id, list.Out, StringComparison.Ordinal);
        Assert.Contains("active", list.Out, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, list.Out, StringComparison.Ordinal);

        var json = await RunAsync("keys", "list", "--team", teamId, "--json");
        Assert.True(json.Code == 0, json.Err);
        Assert.DoesNotContain(secret, json.Out, StringComparison.Ordinal);
        var listed = Assert.Single(JsonDocument.Parse(json.Out).RootElement.EnumerateArray());
        Assert.Equal(id, listed.GetProperty("id").GetString());
        Assert.Equal("platform", listed.GetProperty("team_name").GetString());
        Assert.False(listed.TryGetProperty("key", out _));

        var revoke = await RunAsync("keys", "revoke", "sk-sy-" + id);
        Assert.True(revoke.Code == 0, revoke.Err);
        Assert.Contains("Revoked key sk-sy-" + id, revoke.Out, StringComparison.Ordinal);
        var again = await RunAsync("keys", "revoke", id);
        Assert.True(again.Code == 0, again.Err);
        Assert.Contains("already revoked", again.Out, StringComparison.Ordinal);

        var show = await RunAsync("keys", "show", id, "--json");
        Assert.True(show.Code == 0, show.Err);
        Assert.Equal("revoked", JsonDocument.Parse(show.Out).RootElement.GetProperty("status").GetString());

        var enable = await RunAsync("keys", "update", id, "--enable");
        Assert.Equal(1, enable.Code);
        Assert.Contains("revocation is final", enable.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateJson_CarriesTheKey_AndUpdateChangesOnlyWhatIsGiven()
    {
        var created = await RunAsync("keys", "create", "--name", "svc", "--rpm", "5", "--budget", "1/total", "--json");
        Assert.True(created.Code == 0, created.Err);
        var root = JsonDocument.Parse(created.Out).RootElement;
        Assert.True(ApiKeyFormat.TryParse(root.GetProperty("key").GetString(), out var id));
        Assert.Equal(id, root.GetProperty("id").GetString());

        var updated = await RunAsync("keys", "update", id, "--disable", "--no-rpm", "--tpm", "500", "--budget", "2/daily", "--json");
        Assert.True(updated.Code == 0, updated.Err);
        var after = JsonDocument.Parse(updated.Out).RootElement;
        Assert.Equal("disabled", after.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, after.GetProperty("rpm").ValueKind);
        Assert.Equal(500, after.GetProperty("tpm").GetInt64());
        Assert.Equal("svc", after.GetProperty("name").GetString());
        var budget = Assert.Single(after.GetProperty("budgets").EnumerateArray());
        Assert.Equal("daily", budget.GetProperty("period").GetString());
        Assert.Equal(2m, budget.GetProperty("limit_usd").GetDecimal());
        Assert.False(after.TryGetProperty("key", out _));
    }

    [Fact]
    public async Task Teams_CreateListUpdate_DeleteRefusedWhileKeysLive()
    {
        Assert.Equal(0, (await RunAsync("teams", "create", "--name", "research", "--rpm", "10")).Code);
        var key = await RunAsync("keys", "create", "--name", "r1", "--team", "research", "--json");
        Assert.True(key.Code == 0, key.Err);
        var id = JsonDocument.Parse(key.Out).RootElement.GetProperty("id").GetString()!;

        var update = await RunAsync("teams", "update", "research", "--name", "science", "--models", "local", "--json");
        Assert.True(update.Code == 0, update.Err);
        Assert.Equal("science", JsonDocument.Parse(update.Out).RootElement.GetProperty("name").GetString());

        var list = await RunAsync("teams", "list", "--json");
        var team = Assert.Single(JsonDocument.Parse(list.Out).RootElement.EnumerateArray());
        Assert.Equal(1, team.GetProperty("keys").GetInt32());
        Assert.Equal(1, team.GetProperty("active_keys").GetInt32());

        var refused = await RunAsync("teams", "delete", "science");
        Assert.Equal(1, refused.Code);
        Assert.Contains("sk-sy-" + id, OneLine(refused.Err), StringComparison.Ordinal);

        Assert.Equal(0, (await RunAsync("keys", "revoke", id)).Code);
        var deleted = await RunAsync("teams", "delete", "science");
        Assert.True(deleted.Code == 0, deleted.Err);
        Assert.Equal(1, (await RunAsync("teams", "show", "science")).Code);
    }

    [Theory]
    [InlineData(new[] { "keys", "create", "--name", "x", "--budget", "10/weekly" }, "--budget '10/weekly': PERIOD must be daily, monthly or total")]
    [InlineData(new[] { "keys", "create", "--name", "x", "--budget", "ten/daily" }, "--budget 'ten/daily': AMOUNT must be a dollar amount")]
    [InlineData(new[] { "keys", "create", "--name", "x", "--budget", "-1/daily" }, "--budget '-1/daily'")]
    [InlineData(new[] { "keys", "create", "--name", "x", "--rpm", "0" }, "--rpm '0' is not a whole number of at least 1.")]
    [InlineData(new[] { "keys", "create", "--name", "x", "--expires", "soon" }, "--expires 'soon' is not a date")]
    [InlineData(new[] { "keys", "create", "--name", "x", "--expires", "2001-01-01" }, "is not in the future")]
    [InlineData(new[] { "keys", "create", "--name", "x", "--meta", "novalue" }, "--meta 'novalue': expected NAME=VALUE.")]
    [InlineData(new[] { "keys", "create" }, "--name is required.")]
    [InlineData(new[] { "keys", "show", "not-a-key" }, "'not-a-key' is not a key id")]
    [InlineData(new[] { "keys", "update", "0000000000", "--enable", "--disable" }, "--enable and --disable cannot be combined.")]
    [InlineData(new[] { "keys", "update", "0000000000" }, "nothing to change")]
    [InlineData(new[] { "teams", "create", "--name", "a:b" }, "A team name must be")]
    public async Task BadInput_ExitTwoWithOneStderrLine(string[] args, string expected)
    {
        var (code, output, err) = await RunAsync(args);

        Assert.True(code == 2, $"exit {code}\nstdout: {output}\nstderr: {err}");
        Assert.Contains(expected, OneLine(err), StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "keys", "show", "0000000000" }, "No key sk-sy-0000000000.")]
    [InlineData(new[] { "keys", "revoke", "sk-sy-0000000000" }, "No key sk-sy-0000000000.")]
    [InlineData(new[] { "keys", "update", "0000000000", "--disable" }, "No key sk-sy-0000000000.")]
    [InlineData(new[] { "keys", "create", "--name", "x", "--team", "nope" }, "No team 'nope'.")]
    [InlineData(new[] { "teams", "show", "nope" }, "No team 'nope'.")]
    [InlineData(new[] { "teams", "delete", "team_00000000" }, "No team 'team_00000000'.")]
    public async Task UnknownKeyOrTeam_ExitOneWithOneStderrLine(string[] args, string expected)
    {
        var (code, output, err) = await RunAsync(args);

        Assert.True(code == 1, $"exit {code}\nstdout: {output}\nstderr: {err}");
        Assert.Equal(expected, OneLine(err));
    }

    [Fact]
    public async Task Config_NamesTheStore_WithItsPepperFileBesideIt()
    {
        var data = Path.Combine(_dir, "data");
        var config = Path.Combine(_dir, "gw.json");
        File.WriteAllText(config, JsonSerializer.Serialize(new { Switchyard = new { Ledger = new { Path = Path.Combine(data, "gw.db") } } }));

        var (code, _, err) = await RunAsync("keys", "create", "--name", "x", "--config", config);

        Assert.True(code == 0, err);
        Assert.True(File.Exists(Path.Combine(data, "gw.db")));
        Assert.True(File.Exists(Path.Combine(data, "gw.pepper")));
        Assert.False(File.Exists(Path.Combine(_dir, "switchyard.db")));
        var missing = await RunAsync("keys", "list", "--config", Path.Combine(_dir, "missing.json"));
        Assert.Equal(2, missing.Code);
    }

    /// <summary>The single line on stderr (fails when there are more).</summary>
    private static string OneLine(string err)
    {
        var lines = err.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(lines.Length == 1, "expected one line on stderr, got:\n" + err);
        return lines[0];
    }
}
