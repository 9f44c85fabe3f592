using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Switchyard.Access;
using Switchyard.Configuration;
using Switchyard.Storage;
using Switchyard.Storage.Access;
using Switchyard.Storage.Ledger;
using Switchyard.Testing;
using Switchyard.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Switchyard.Tests.Access;

/// <summary>
/// The concurrency proof: real <c>switchyard serve</c> processes sharing one database, a key with a budget, and a
/// thousand concurrent requests spread over them against a priced upstream. Spend never passes the budget, every
/// request has exactly one ledger row, and the budget's spend equals the ledger's sum to the nano-dollar.
/// </summary>
public sealed class MultiInstanceTests(ITestOutputHelper output) : IAsyncLifetime
{
    // 10 $/M input, 30 $/M output; the fake upstream reports 11 input and 7 output tokens: $0.00032 a request.
    private const long ActualNanoUsd = 320_000;

    // {"content":"hello"} with max_tokens 20: (5 + 16) input × 10 + 20 output × 30 per M.
    private const long WorstNanoUsd = 810_000;

    private readonly string _dir = Directory.CreateTempSubdirectory("multi-").FullName;
    private FakeUpstream _upstream = null!;

    public async Task InitializeAsync() => _upstream = await FakeUpstream.StartAsync();

    public async Task DisposeAsync()
    {
        await _upstream.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [PostgresFact]
    public async Task Postgres_ThreeInstances_OneBudget_NeverOverspent()
    {
        await using var pg = await PostgresDatabase.CreateAsync();
        await BudgetHoldsAcrossInstances(instances: 3, pg.ConnectionString);
    }

    [Fact]
    public Task Sqlite_OneInstance_OneBudget_NeverOverspent() => BudgetHoldsAcrossInstances(instances: 1, postgres: null);

    private async Task BudgetHoldsAcrossInstances(int instances, string? postgres)
    {
        const long limit = 50_000_000; // $0.05: about 156 requests' actual cost, 61 worst cases
        const int requests = 1000;
        var config = WriteConfig(postgres);
        var options = Options(postgres);
        string key;
        string keyId;
        await using (var keys = KeyStore.OpenFor(options, TestGateway.Environment))
        {
            var created = await keys.CreateKeyAsync(new KeySpec("load") { Budgets = [new BudgetLimit(BudgetPeriods.Daily, limit / 1e9m)] });
            (key, keyId) = (created.Key, created.Info.Id);
        }

        var servers = new List<(Process Process, Uri Url)>();
        try
        {
            foreach (var _ in Enumerable.Range(0, instances))
            {
                servers.Add(await StartServeAsync(config));
            }

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
            using var gate = new SemaphoreSlim(64);
            var statuses = new ConcurrentBag<(int Status, string? Code)>();
            var clock = Stopwatch.StartNew();
            await Task.WhenAll(Enumerable.Range(0, requests).Select(async i =>
            {
                await gate.WaitAsync();
                try
                {
                    using var response = await PostAsync(http, servers[i % servers.Count].Url, key);
                    statuses.Add(((int)response.StatusCode, response.IsSuccessStatusCode ? null : CodeOf(await response.Content.ReadAsStringAsync())));
                }
                finally
                {
                    gate.Release();
                }
            }));
            clock.Stop();

            var ok = statuses.Count(s => s.Status == 200);
            var refused = statuses.Count(s => s.Status == 429 && s.Code == "budget_exceeded");
            Assert.Equal(requests, ok + refused);

            // Holds of requests in flight refuse some that would have fitted once those settled: one at a time, the
            // remaining room is used up (at most a few requests), then every instance refuses.
            var sent = requests;
            var late = HttpStatusCode.OK;
            for (var i = 0; late == HttpStatusCode.OK; i++)
            {
                Assert.True(i < 10, "the budget still admits requests after the burst and 10 more");
                using var response = await PostAsync(http, servers[i % servers.Count].Url, key);
                sent++;
                late = response.StatusCode;
                ok += late == HttpStatusCode.OK ? 1 : 0;
            }

            Assert.Equal((HttpStatusCode)429, late);
            foreach (var (_, url) in servers)
            {
                using var response = await PostAsync(http, url, key);
                sent++;
                Assert.Equal((HttpStatusCode)429, response.StatusCode);
            }

            Assert.Equal(ok, _upstream.Requests.Count);

            foreach (var server in servers)
            {
                await StopServeAsync(server.Process);
            }

            await using var database = StoreDatabase.From(options, TestGateway.Environment);
            var rows = new LedgerReader(database).Recent(10_000);
            Assert.Equal(sent, rows.Count);
            Assert.Equal(rows.Count, rows.Select(r => r.RequestId).Distinct().Count());
            Assert.All(rows, r => Assert.Equal(keyId, r.KeyId));
            var ledgerNano = rows.Sum(r => DatabaseLedger.NanoUsd(r.Cost));
            Assert.Equal(ok * ActualNanoUsd, ledgerNano);
            using var connection = database.Open();
            var spent = Scalar(connection, "SELECT COALESCE(SUM(spent_nanousd), 0) FROM budget_usage");
            var reserved = Scalar(connection, "SELECT COALESCE(SUM(reserved_nanousd), 0) FROM budget_usage");
            var holds = Scalar(connection, "SELECT COUNT(*) FROM reservations");
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{instances} instance(s), {requests} requests in {clock.Elapsed.TotalSeconds:0.0} s: {ok} served (incl. after the burst), {refused} refused budget_exceeded in the burst; spent ${spent / 1e9m} of ${limit / 1e9m} ({100.0 * spent / limit:0.0}%), ledger ${ledgerNano / 1e9m}, reserved {reserved}, holds {holds}"));
            Assert.Equal(ledgerNano, spent);
            Assert.True(spent <= limit, $"spent {spent} > limit {limit}");
            Assert.True(spent > limit - WorstNanoUsd - ActualNanoUsd, $"spent {spent}: the budget stopped requests that fitted (limit {limit})");
            Assert.Equal(0, reserved);
            Assert.Equal(0, holds);
        }
        finally
        {
            foreach (var (process, _) in servers)
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }

                process.Dispose();
            }
        }
    }

    [PostgresFact]
    public async Task Postgres_ThreeInstances_RpmAndTpm_HoldTogether()
    {
        await using var pg = await PostgresDatabase.CreateAsync();
        var config = WriteConfig(pg.ConnectionString);
        var options = Options(pg.ConnectionString);
        string rpmKey, tpmKey;
        await using (var keys = KeyStore.OpenFor(options, TestGateway.Environment))
        {
            rpmKey = (await keys.CreateKeyAsync(new KeySpec("rpm") { Rpm = 120 })).Key;
            tpmKey = (await keys.CreateKeyAsync(new KeySpec("tpm") { Tpm = 2_000 })).Key;
        }

        var servers = new List<(Process Process, Uri Url)>();
        try
        {
            foreach (var _ in Enumerable.Range(0, 3))
            {
                servers.Add(await StartServeAsync(config));
            }

            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
            using var gate = new SemaphoreSlim(48);
            async Task<int[]> BurstAsync(string key, int count) => await Task.WhenAll(Enumerable.Range(0, count).Select(async i =>
            {
                await gate.WaitAsync();
                try
                {
                    using var response = await PostAsync(http, servers[i % servers.Count].Url, key);
                    return (int)response.StatusCode;
                }
                finally
                {
                    gate.Release();
                }
            }));

            var clock = Stopwatch.StartNew();
            var rpm = await BurstAsync(rpmKey, 600);
            var tpm = await BurstAsync(tpmKey, 600);
            clock.Stop();
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(50), $"the bursts took {clock.Elapsed}: the window may have slid");
            var rpmAdmitted = rpm.Count(s => s == 200);
            Assert.All(rpm.Concat(tpm), s => Assert.True(s is 200 or 429, $"status {s}"));
            var tpmAdmitted = tpm.Count(s => s == 200);
            output.WriteLine($"3 instances: RPM 120 admitted {rpmAdmitted} of 600; TPM 2000 admitted {tpmAdmitted} of 600 ({tpmAdmitted * 18} actual tokens) in {clock.Elapsed.TotalSeconds:0.0} s");
            Assert.InRange(rpmAdmitted, 114, 126);
            // Each request uses 18 tokens (11 in, 7 out) but is charged its bound (21 input + 20 output) until it answers.
            Assert.InRange(tpmAdmitted * 18, 2_000 * 0.5, 2_000 * 1.05);
        }
        finally
        {
            foreach (var (process, _) in servers)
            {
                await StopServeAsync(process);
                process.Dispose();
            }
        }
    }

    [PostgresFact]
    public async Task Postgres_RevokedOnOneInstance_RefusedByEveryInstanceWithinASecond()
    {
        await using var pg = await PostgresDatabase.CreateAsync();
        var config = WriteConfig(pg.ConnectionString);
        var options = Options(pg.ConnectionString);
        await using var keys = KeyStore.OpenFor(options, TestGateway.Environment);
        var created = await keys.CreateKeyAsync(new KeySpec("to-revoke"));
        var servers = new List<(Process Process, Uri Url)>();
        try
        {
            servers.Add(await StartServeAsync(config));
            servers.Add(await StartServeAsync(config));
            using var http = new HttpClient();
            foreach (var (_, url) in servers)
            {
                using var ok = await PostAsync(http, url, created.Key);
                Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            }

            var (code, _, err) = await CliRunner.RunAsync(_dir, ["keys", "revoke", created.Info.Id, "--config", config], PepperEnvironment);
            Assert.True(code == 0, err);
            var clock = Stopwatch.StartNew();
            foreach (var (_, url) in servers)
            {
                while (true)
                {
                    using var response = await PostAsync(http, url, created.Key);
                    if (response.StatusCode == HttpStatusCode.Unauthorized)
                    {
                        break;
                    }

                    Assert.True(clock.Elapsed < TimeSpan.FromSeconds(1), $"{url} still accepts the revoked key after {clock.ElapsedMilliseconds} ms");
                    await Task.Delay(25);
                }
            }

            output.WriteLine($"revocation reached both instances in {clock.ElapsedMilliseconds} ms");
        }
        finally
        {
            foreach (var (process, _) in servers)
            {
                await StopServeAsync(process);
                process.Dispose();
            }
        }
    }

    private static readonly Dictionary<string, string> PepperEnvironment = new() { ["SWITCHYARD_KEY_PEPPER"] = TestGateway.TestPepper };

    private SwitchyardOptions Options(string? postgres)
    {
        var options = new SwitchyardOptions { Ledger = { Path = Path.Combine(_dir, "ledger.db") } };
        if (postgres is not null)
        {
            options.Storage.Provider = StorageProviders.Postgres;
            options.Storage.ConnectionString = postgres;
        }

        return options;
    }

    private string WriteConfig(string? postgres)
    {
        var storage = postgres is null ? "" : $$""" "Storage": { "Provider": "postgres", "ConnectionString": {{JsonSerializer.Serialize(postgres)}} }, """;
        var path = Path.Combine(_dir, "switchyard.json");
        File.WriteAllText(path, $$"""
            { "Switchyard": { {{storage}}
                "Auth": { "Mode": "keys" },
                "Providers": { "fake": { "Kind": "openai-compatible", "BaseUrl": "{{_upstream.OpenAIBaseUri}}", "Zone": "self", "MaxRetries": 0 } },
                "Models": { "paid": { "Provider": "fake", "UpstreamModel": "paid-up", "Price": { "Input": 10, "Output": 30 } } },
                "Ledger": { "Path": {{JsonSerializer.Serialize(Path.Combine(_dir, "ledger.db"))}} } } }
            """);
        return path;
    }

    private async Task<(Process, Uri)> StartServeAsync(string config)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = _dir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "switchyard.dll"), "serve", "--config", config, "--urls", "http://127.0.0.1:0" })
        {
            psi.ArgumentList.Add(arg);
        }

        psi.Environment["DOTNET_NOLOGO"] = "1";
        psi.Environment["SWITCHYARD_KEY_PEPPER"] = TestGateway.TestPepper;
        var process = Process.Start(psi)!;
        var seen = new StringBuilder();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var line = await process.StandardOutput.ReadLineAsync(timeout.Token) ?? throw new InvalidOperationException("serve exited: " + seen + await process.StandardError.ReadToEndAsync());
            seen.AppendLine(line);
            if (line.StartsWith("Listening on ", StringComparison.Ordinal))
            {
                // Keep draining both streams so the server never blocks on a full pipe.
                _ = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
                _errors[process.Id] = process.StandardError.ReadToEndAsync(CancellationToken.None);
                var url = line["Listening on ".Length..].Split(',')[0].Trim();
                return (process, new Uri(url.EndsWith('/') ? url : url + "/"));
            }
        }
    }

    private readonly ConcurrentDictionary<int, Task<string>> _errors = new();

    private async Task StopServeAsync(Process process)
    {
        if (process.HasExited)
        {
            return;
        }

        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(cts.Token);
        Assert.True(process.ExitCode == 0, $"serve exited {process.ExitCode}: {(_errors.TryGetValue(process.Id, out var err) ? await err : "")}");
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient http, Uri server, string key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server, "v1/chat/completions"))
        {
            Content = new StringContent("""{"model":"paid","max_tokens":20,"messages":[{"role":"user","content":"hello"}]}"""),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return await http.SendAsync(request);
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
