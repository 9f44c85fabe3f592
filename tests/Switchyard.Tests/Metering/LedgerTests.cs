using System.Text.Json;
using Switchyard.Configuration;
using Switchyard.Metering;
using Switchyard.Storage;
using Switchyard.Storage.Ledger;
using Switchyard.Testing;
using Switchyard.Tests.Infrastructure;

namespace Switchyard.Tests.Metering;

public sealed class LedgerTests : IAsyncLifetime
{
    private FakeUpstream _upstream = null!;

    public async Task InitializeAsync() => _upstream = await FakeUpstream.StartAsync();

    public async Task DisposeAsync() => await _upstream.DisposeAsync();

    [Fact]
    public void Cost_IsExactFromPerMillionPrices()
    {
        // 8 uncached × $0.50 + 3 cached × $0.25 + 7 output × $1.50, per million tokens.
        Assert.Equal(0.00001525m, CostCalculator.Cost(TestGateway.LocalPrice, 11, 3, 7));
        // Cached price falls back to the input price.
        Assert.Equal(3m, CostCalculator.Cost(new ModelPrice { Input = 2m, Output = 1m }, 1_000_000, 500_000, 1_000_000));
        Assert.Equal(0m, CostCalculator.Cost(new ModelPrice(), 100, 0, 100));
    }

    [Fact]
    public async Task ConcurrentRequests_ExactlyOneRecordEach_WithTokensAndCost()
    {
        const int n = 60;
        await using var gateway = await TestGateway.StartAsync(_upstream);
        _upstream.When("backup-up", FakeBehavior.Text("fine", new FakeUsage(100, 20, 40)));
        var tasks = Enumerable.Range(0, n).Select(i =>
        {
            var model = i % 3 == 0 ? "backup" : "default";
            var stream = i % 2 == 0 ? "true" : "false";
            return gateway.PostChatAsync($$"""{"model":"{{model}}","stream":{{stream}},"user":"caller-{{i}}","messages":[{"role":"user","content":"request {{i}}"}]}""");
        });
        var responses = await Task.WhenAll(tasks);
        foreach (var r in responses)
        {
            Assert.True(r.IsSuccessStatusCode, await r.Content.ReadAsStringAsync());
            await r.Content.ReadAsStringAsync();
        }

        var records = await gateway.StopAndReadLedgerAsync();

        Assert.Equal(n, records.Count);
        Assert.Equal(n, records.Select(r => r.RequestId).Distinct().Count());
        Assert.All(records, r => Assert.Equal("ok", r.Status));
        Assert.Equal(Enumerable.Range(0, n).Select(i => "caller-" + i).Order(), records.Select(r => r.Caller!).Order());
        var backup = records.Where(r => r.ServedModel == "backup").ToList();
        var local = records.Where(r => r.ServedModel == "local").ToList();
        Assert.Equal(20, backup.Count);
        Assert.Equal(40, local.Count);
        Assert.All(local, r => Assert.Equal((11, 7, 3, 0.00001525m, "self"), (r.InputTokens, r.OutputTokens, r.CachedInputTokens, r.Cost, r.Zone)));
        // backup: 60 uncached × 2.5 + 40 cached × 1.25 + 20 output × 10 = 400 per million.
        Assert.All(backup, r => Assert.Equal((100, 20, 40, 0.0004m, "us"), (r.InputTokens, r.OutputTokens, r.CachedInputTokens, r.Cost, r.Zone)));
        Assert.All(records.Where(r => r.Streamed), r => Assert.NotNull(r.TimeToFirstTokenMs));

        var totals = gateway.OpenLedger().TotalsPerModel();
        Assert.Equal(40 * 0.00001525m, totals.Single(t => t.Group == "local").Cost);
        Assert.Equal(20 * 0.0004m, totals.Single(t => t.Group == "backup").Cost);
    }

    [Fact]
    public async Task CleanShutdown_WithRequestsInFlight_LosesNoRecord()
    {
        await using var gateway = await TestGateway.StartAsync(_upstream);
        _upstream.DefaultBehavior = FakeBehavior.Delay(TimeSpan.FromMilliseconds(300), FakeBehavior.Echo());
        var inFlight = Enumerable.Range(0, 20).Select(i => gateway.PostChatAsync($$"""{"model":"local","messages":[{"role":"user","content":"{{i}}"}]}""")).ToList();
        while (_upstream.Requests.Count < 20)
        {
            await Task.Delay(10);
        }

        var records = await gateway.StopAndReadLedgerAsync(); // graceful stop while all 20 are upstream
        var answered = await Task.WhenAll(inFlight);

        Assert.All(answered, r => Assert.True(r.IsSuccessStatusCode));
        Assert.Equal(20, records.Count);
        Assert.All(records, r => Assert.Equal("ok", r.Status));
    }

    [Fact]
    public async Task Ledger_DisposeFlushesEveryQueuedRecord()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("ledger-").FullName, "l.db");
        var store = SwitchyardStore.Open(new SwitchyardOptions { Ledger = { Path = path, QueueCapacity = 64 } });
        var ledger = store.Ledger;
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 1000; i++)
            {
                await ledger.WriteAsync(Record($"{w}-{i}", 0.000001m * i));
            }
        }));
        await Task.WhenAll(writers);
        await store.DisposeAsync();

        var reader = new LedgerReader(path);
        var all = reader.Recent(10_000);
        Assert.Equal(4000, all.Count);
        Assert.Equal(4000, all.Select(r => r.RequestId).Distinct().Count());
        Assert.Equal(4 * Enumerable.Range(0, 1000).Sum(i => 0.000001m * i), reader.TotalsPerModel().Single().Cost);
        using var decision = JsonDocument.Parse(all[0].DecisionJson);
        Assert.Equal("m", decision.RootElement.GetProperty("chosen").GetString());
    }

    [Fact]
    public async Task Ledger_WritingAfterDisposeFails()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("ledger-").FullName, "l.db");
        var store = SwitchyardStore.Open(new SwitchyardOptions { Ledger = { Path = path } });
        var ledger = store.Ledger;
        await store.DisposeAsync();
        await Assert.ThrowsAnyAsync<InvalidOperationException>(async () => await ledger.WriteAsync(Record("late", 0)));
    }

    private static LedgerRecord Record(string id, decimal cost) =>
        new(DateTimeOffset.UnixEpoch, id, null, "m", "m", "p", "self", """{"chosen":"m"}""", 1, 2, 0, cost, 1.5, null, "ok", 200, null, false);
}
