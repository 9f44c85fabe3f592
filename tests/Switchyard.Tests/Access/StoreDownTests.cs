using System.Data.Common;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Npgsql;
using Switchyard.Access;
using Switchyard.Configuration;
using Switchyard.Storage.Access;
using Switchyard.Storage.Ledger;
using Switchyard.Testing;
using Switchyard.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Switchyard.Tests.Access;

/// <summary>
/// The database goes away mid-load (a proxy in front of PostgreSQL drops every connection): paid candidates fail
/// closed with 503, free ones keep serving, known keys keep working, and once the database is back every request is
/// in the ledger and the budgets' spend equals the ledger's sum.
/// </summary>
public sealed class StoreDownTests(ITestOutputHelper output) : IAsyncLifetime
{
    private FakeUpstream _upstream = null!;

    public async Task InitializeAsync() => _upstream = await FakeUpstream.StartAsync();

    public async Task DisposeAsync() => await _upstream.DisposeAsync();

    [PostgresFact]
    public async Task DatabaseDown_PaidFailsClosed_FreeServes_NothingLost()
    {
        await using var pg = await PostgresDatabase.CreateAsync();
        var target = new NpgsqlConnectionStringBuilder(pg.ConnectionString);
        await using var proxy = TcpDropProxy.Start(target.Host!, target.Port);
        var viaProxy = new NpgsqlConnectionStringBuilder(pg.ConnectionString) { Host = "127.0.0.1", Port = proxy.Port, Timeout = 2 }.ConnectionString;
        await using var gateway = await TestGateway.StartAsync(_upstream, o =>
        {
            o.Auth.Mode = AuthModes.Keys;
            o.Storage.Provider = StorageProviders.Postgres;
            o.Storage.ConnectionString = viaProxy;
            o.Models["free"] = new ModelConfig { Provider = "fake-openai", UpstreamModel = "free-up", Price = new ModelPrice() };
            o.Routes["mixed"] = new RouteConfig { Candidates = ["backup", "free"] };
        });
        var key = await gateway.Runtime.Keys!.CreateKeyAsync(new KeySpec("ci") { Budgets = [new BudgetLimit(BudgetPeriods.Daily, 1m)] });
        var sent = 0;
        using (var warm = await PostAsync(gateway, key.Key, "backup"))
        {
            sent++;
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode);
        }

        proxy.Break();
        var down = new List<(string Model, int Status, string? Code, string? Served)>();
        foreach (var model in new[] { "backup", "mixed", "backup", "mixed", "mixed" })
        {
            using var response = await PostAsync(gateway, key.Key, model);
            sent++;
            var body = await response.Content.ReadAsStringAsync();
            down.Add((model, (int)response.StatusCode, response.IsSuccessStatusCode ? null : CodeOf(body), response.Headers.TryGetValues("x-switchyard-route", out var route) ? route.Single() : null));
            await Task.Delay(300); // past the key cache: the key is re-read (and found unreachable) on later requests
        }

        foreach (var (model, status, code, served) in down)
        {
            output.WriteLine($"database down: {model} -> {status} {code} {served}");
        }

        Assert.All(down.Where(d => d.Model == "backup"), d => Assert.Equal((503, "budget_store_unavailable"), (d.Status, d.Code)));
        Assert.All(down.Where(d => d.Model == "mixed"), d => Assert.Equal(200, d.Status));
        Assert.All(down.Where(d => d.Model == "mixed"), d => Assert.Contains("free", d.Served, StringComparison.Ordinal));

        proxy.Restore();
        // The store's breaker retries after a second; the ledger writer after its backoff.
        var back = HttpStatusCode.ServiceUnavailable;
        for (var i = 0; i < 100 && back != HttpStatusCode.OK; i++)
        {
            await Task.Delay(100);
            using var again = await PostAsync(gateway, key.Key, "backup");
            sent++;
            back = again.StatusCode;
        }

        Assert.Equal(HttpStatusCode.OK, back);
        await gateway.StopAsync();
        var rows = new LedgerReader(Switchyard.Storage.StoreDatabase.Postgres(pg.ConnectionString)).Recent(10_000);
        Assert.Equal(sent, rows.Count);
        Assert.Equal(sent, rows.Select(r => r.RequestId).Distinct().Count());
        await using var database = Switchyard.Storage.StoreDatabase.Postgres(pg.ConnectionString);
        using var connection = database.Open();
        var spent = Scalar(connection, "SELECT COALESCE(SUM(spent_nanousd), 0) FROM budget_usage");
        Assert.Equal(rows.Sum(r => DatabaseLedger.NanoUsd(r.Cost)), spent);
        Assert.Equal(0, Scalar(connection, "SELECT COUNT(*) FROM reservations"));
        output.WriteLine($"{sent} requests, {rows.Count} ledger rows, spent {spent} nano-USD = ledger");
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

    private static string? CodeOf(string body)
    {
        using var doc = JsonDocument.Parse(body);
        return doc.RootElement.GetProperty("error").GetProperty("code").GetString();
    }

    private static long Scalar(DbConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}
