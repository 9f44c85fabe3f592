using System.Data.Common;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Switchyard.Access;
using Switchyard.Configuration;
using Switchyard.Storage.Access;
using Switchyard.Testing;
using Switchyard.Tests.Infrastructure;

namespace Switchyard.Tests.Access;

/// <summary>
/// Budgets on the real gateway, on SQLite and on PostgreSQL: reserve the worst case before a paid call, settle the
/// actual cost with the ledger row, never block a free candidate, re-reserve on failover, roll over at UTC midnight.
/// </summary>
public sealed class GatewayBudgetTests : IAsyncLifetime
{
    // The fake upstream reports 11 input (3 cached) and 7 output tokens: at backup's price 8×2.5 + 3×1.25 + 7×10 per M.
    private const long ActualNanoUsd = 93_750;

    // Worst case of {"content":"hello"} with max_tokens 10 at backup's price: (5 + 16 input) × 2.5 + 10 × 10 per M.
    private const long WorstNanoUsd = 152_500;

    private FakeUpstream _upstream = null!;

    public async Task InitializeAsync() => _upstream = await FakeUpstream.StartAsync();

    public async Task DisposeAsync() => await _upstream.DisposeAsync();

    [Fact]
    public Task Sqlite_ConcurrentRequests_NeverOverspend_SpendEqualsLedger() => ConcurrentRequests_NeverOverspend_SpendEqualsLedger(null);

    [PostgresFact]
    public async Task Postgres_ConcurrentRequests_NeverOverspend_SpendEqualsLedger()
    {
        await using var pg = await PostgresDatabase.CreateAsync();
        await ConcurrentRequests_NeverOverspend_SpendEqualsLedger(pg.ConnectionString);
    }

    private async Task ConcurrentRequests_NeverOverspend_SpendEqualsLedger(string? postgres)
    {
        const long limit = 1_000_000; // $0.001: room for ten requests' actual cost, six worst cases at once
        await using var gateway = await StartAsync(postgres);
        var key = await gateway.Runtime.Keys!.CreateKeyAsync(new KeySpec("ci") { Budgets = [new BudgetLimit(BudgetPeriods.Total, limit / 1e9m)] });

        var statuses = await Task.WhenAll(Enumerable.Range(0, 60).Select(_ => Task.Run(async () =>
        {
            using var response = await PostAsync(gateway, key.Key, "backup");
            return ((int)response.StatusCode, response.IsSuccessStatusCode ? null : (await ErrorOf(response)).GetProperty("code").GetString());
        })));

        var ok = statuses.Count(s => s.Item1 == 200);
        Assert.All(statuses.Where(s => s.Item1 != 200), s => Assert.Equal((429, "budget_exceeded"), s));
        Assert.InRange(ok, 1, (int)(limit / ActualNanoUsd));
        Assert.Equal(ok, _upstream.Requests.Count);

        var rows = await gateway.StopAndReadLedgerAsync();
        Assert.Equal(60, rows.Count);
        Assert.Equal(60, rows.Select(r => r.RequestId).Distinct().Count());
        Assert.All(rows, r => Assert.Equal(key.Info.Id, r.KeyId));
        var ledgerNano = rows.Sum(r => Switchyard.Storage.Ledger.DatabaseLedger.NanoUsd(r.Cost));
        Assert.Equal(ok * ActualNanoUsd, ledgerNano);
        var (spent, reserved, holds) = Usage(gateway);
        Assert.Equal(ledgerNano, spent);
        Assert.True(spent <= limit, $"spent {spent} > limit {limit}");
        Assert.Equal(0, reserved);
        Assert.Equal(0, holds);
    }

    [Fact]
    public Task Sqlite_ExhaustedBudget_StillServesAFreeCandidate() => ExhaustedBudget_StillServesAFreeCandidate(null);

    [PostgresFact]
    public async Task Postgres_ExhaustedBudget_StillServesAFreeCandidate()
    {
        await using var pg = await PostgresDatabase.CreateAsync();
        await ExhaustedBudget_StillServesAFreeCandidate(pg.ConnectionString);
    }

    private async Task ExhaustedBudget_StillServesAFreeCandidate(string? postgres)
    {
        await using var gateway = await StartAsync(postgres);
        var keys = gateway.Runtime.Keys!;
        var team = await keys.CreateTeamAsync(new TeamSpec("spent") { Budgets = [new BudgetLimit(BudgetPeriods.Monthly, 0m)] });
        var key = await keys.CreateKeyAsync(new KeySpec("member") { Team = team.Id });
        var strict = await keys.CreateKeyAsync(new KeySpec("strict") { Team = team.Id, BudgetBlocksFree = true });

        using (var served = await PostAsync(gateway, key.Key, "mixed"))
        {
            Assert.Equal(HttpStatusCode.OK, served.StatusCode);
            var route = served.Headers.GetValues("x-switchyard-route").Single();
            Assert.Contains("free", route, StringComparison.Ordinal);
        }

        using (var paidOnly = await PostAsync(gateway, key.Key, "backup"))
        {
            Assert.Equal((HttpStatusCode)429, paidOnly.StatusCode);
            var message = (await ErrorOf(paidOnly)).GetProperty("message").GetString()!;
            Assert.Contains("monthly budget of team 'spent'", message, StringComparison.Ordinal);
        }

        using (var blocked = await PostAsync(gateway, strict.Key, "mixed"))
        {
            Assert.Equal((HttpStatusCode)429, blocked.StatusCode);
            Assert.Equal("budget_exceeded", (await ErrorOf(blocked)).GetProperty("code").GetString());
        }

        var rows = await gateway.StopAndReadLedgerAsync();
        Assert.Equal("free", rows[0].ServedModel);
        using var decision = JsonDocument.Parse(rows[0].DecisionJson);
        Assert.Contains("budget", decision.RootElement.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(["free"], _upstream.Requests.Select(r => r.Model).Distinct().Select(m => m!.Replace("-up", "", StringComparison.Ordinal)));
    }

    [Fact]
    public Task Sqlite_Failover_ReleasesTheFailedHoldAndReserves() => Failover_ReleasesTheFailedHoldAndReserves(null);

    [PostgresFact]
    public async Task Postgres_Failover_ReleasesTheFailedHoldAndReserves()
    {
        await using var pg = await PostgresDatabase.CreateAsync();
        await Failover_ReleasesTheFailedHoldAndReserves(pg.ConnectionString);
    }

    private async Task Failover_ReleasesTheFailedHoldAndReserves(string? postgres)
    {
        // Room for one worst case only: the second candidate is admitted only if the first one's hold went back.
        await using var gateway = await StartAsync(postgres);
        var key = await gateway.Runtime.Keys!.CreateKeyAsync(new KeySpec("ci") { Budgets = [new BudgetLimit(BudgetPeriods.Daily, (WorstNanoUsd + 1000) / 1e9m)] });
        _upstream.When("backup-up", FakeBehavior.Status(503, "overloaded"));
        using var response = await PostAsync(gateway, key.Key, "paid-pair");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var row = Assert.Single(await gateway.StopAndReadLedgerAsync());
        Assert.Equal("backup2", row.ServedModel);
        Assert.Equal(2 * WorstNanoUsd, row.ReservedNanoUsd);
        var (spent, reserved, holds) = Usage(gateway);
        Assert.Equal(ActualNanoUsd, spent);
        Assert.Equal(0, reserved);
        Assert.Equal(0, holds);
    }

    [Fact]
    public async Task DailyBudget_RollsOverAtUtcMidnight()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 6, 23, 59, 0, TimeSpan.Zero));
        await using var gateway = await StartAsync(null, time);
        var key = await gateway.Runtime.Keys!.CreateKeyAsync(new KeySpec("ci") { Budgets = [new BudgetLimit(BudgetPeriods.Daily, (WorstNanoUsd + 1000) / 1e9m)] });
        using (var first = await PostAsync(gateway, key.Key, "backup"))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        }

        // Until the first request is settled and after it, the day's room is below one worst case.
        await WaitForSettledAsync(gateway);
        using (var refused = await PostAsync(gateway, key.Key, "backup"))
        {
            Assert.Equal((HttpStatusCode)429, refused.StatusCode);
        }

        time.Advance(TimeSpan.FromMinutes(1));
        using (var nextDay = await PostAsync(gateway, key.Key, "backup"))
        {
            Assert.Equal(HttpStatusCode.OK, nextDay.StatusCode);
        }

        await gateway.StopAsync();
        using var connection = gateway.OpenDatabase();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT period_start_ms, spent_nanousd FROM budget_usage ORDER BY period_start_ms";
        using var r = cmd.ExecuteReader();
        var periods = new List<(long, long)>();
        while (r.Read())
        {
            periods.Add((Convert.ToInt64(r.GetValue(0), CultureInfo.InvariantCulture), Convert.ToInt64(r.GetValue(1), CultureInfo.InvariantCulture)));
        }

        Assert.Equal(
            [(new DateTimeOffset(2026, 12, 6, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), ActualNanoUsd), (new DateTimeOffset(2026, 12, 7, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds(), ActualNanoUsd)],
            periods);
    }

    [Fact]
    public async Task GlobalBudget_AppliesWithoutKeys()
    {
        await using var gateway = await StartAsync(null, configure: o => o.Auth.Mode = AuthModes.Open);
        var keys = KeyStore.Open(gateway.Runtime.Store.Database, new ApiKeyHasher(new byte[32]));
        await keys.SetGlobalBudgetAsync(BudgetPeriods.Total, 0m);
        using var response = await gateway.PostChatAsync("""{"model":"backup","max_tokens":10,"messages":[{"role":"user","content":"hello"}]}""");
        Assert.Equal((HttpStatusCode)429, response.StatusCode);
        Assert.Contains("global", (await ErrorOf(response)).GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(_upstream.Requests);
    }

    private async Task<TestGateway> StartAsync(string? postgres, TimeProvider? time = null, Action<SwitchyardOptions>? configure = null) =>
        await TestGateway.StartAsync(_upstream, o =>
        {
            o.Auth.Mode = AuthModes.Keys;
            o.Models["free"] = new ModelConfig { Provider = "fake-openai", UpstreamModel = "free-up", Price = new ModelPrice() };
            o.Models["backup2"] = new ModelConfig { Provider = "fake-openai", UpstreamModel = "backup2-up", Price = TestGateway.BackupPrice };
            o.Routes["mixed"] = new RouteConfig { Candidates = ["backup", "free"] };
            o.Routes["paid-pair"] = new RouteConfig { Candidates = ["backup", "backup2"] };
            if (postgres is not null)
            {
                o.Storage.Provider = StorageProviders.Postgres;
                o.Storage.ConnectionString = postgres;
            }

            configure?.Invoke(o);
        }, time);

    private static async Task WaitForSettledAsync(TestGateway gateway)
    {
        for (var i = 0; i < 200 && Usage(gateway).Holds > 0; i++)
        {
            await Task.Delay(10);
        }
    }

    private static (long Spent, long Reserved, long Holds) Usage(TestGateway gateway)
    {
        using var connection = gateway.OpenDatabase();
        return (Scalar(connection, "SELECT COALESCE(SUM(spent_nanousd), 0) FROM budget_usage"), Scalar(connection, "SELECT COALESCE(SUM(reserved_nanousd), 0) FROM budget_usage"), Scalar(connection, "SELECT COUNT(*) FROM reservations"));
    }

    private static long Scalar(DbConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private static async Task<HttpResponseMessage> PostAsync(TestGateway gateway, string key, string model)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions")
        {
            Content = new StringContent($$"""{"model":"{{model}}","max_tokens":10,"messages":[{"role":"user","content":"hello"}]}"""),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return await gateway.Http.SendAsync(request);
    }

    private static async Task<JsonElement> ErrorOf(HttpResponseMessage response)
    {
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return doc.RootElement.GetProperty("error").Clone();
    }
}
