using Switchyard.Configuration;
using Switchyard.Metering;
using Switchyard.Storage;
using Switchyard.Storage.Ledger;
using Switchyard.Tests.Infrastructure;

namespace Switchyard.Tests.Storage;

/// <summary>The ledger behaves the same on a SQLite file and on PostgreSQL.</summary>
public sealed class LedgerStoreTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("ledger-store-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public Task Sqlite_ConcurrentWriters_EveryRecordOnceWithExactSums() => ConcurrentWriters_EveryRecordOnceWithExactSums(SqliteOptions());

    [PostgresFact]
    public async Task Postgres_ConcurrentWriters_EveryRecordOnceWithExactSums()
    {
        await using var pg = await PostgresDatabase.CreateAsync();
        await ConcurrentWriters_EveryRecordOnceWithExactSums(PostgresOptions(pg));
    }

    private static async Task ConcurrentWriters_EveryRecordOnceWithExactSums(SwitchyardOptions options)
    {
        var store = SwitchyardStore.Open(options);
        await Task.WhenAll(Enumerable.Range(0, 4).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 500; i++)
            {
                await store.Ledger.WriteAsync(Record($"{w}-{i}", T0.AddSeconds(i), w % 2 == 0 ? "a" : "b", 0.000000123m * (i + 1)));
            }
        })));
        // A retried id (e.g. a batch re-sent after its commit was lost in transit) is not counted twice.
        await store.Ledger.WriteAsync(Record("0-0", T0, "a", 99m));
        await store.DisposeAsync();

        await using var database = StoreDatabase.From(options);
        var reader = new LedgerReader(database);
        var all = reader.Recent(10_000);
        Assert.Equal(2000, all.Count);
        Assert.Equal(2000, all.Select(r => r.RequestId).Distinct().Count());
        var expected = 2 * Enumerable.Range(1, 500).Sum(i => 0.000000123m * i);
        var totals = reader.TotalsPerModel();
        Assert.Equal(["a", "b"], totals.Select(t => t.Group));
        Assert.All(totals, t => Assert.Equal(expected, t.Cost));
        Assert.All(totals, t => Assert.Equal(1000, t.Requests));
        Assert.All(totals, t => Assert.Equal(1000, t.Succeeded));
        Assert.Equal(2 * expected, all.Sum(r => r.Cost));
    }

    [Fact]
    public Task Sqlite_RecordsRoundTripEveryField() => RecordsRoundTripEveryField(SqliteOptions());

    [PostgresFact]
    public async Task Postgres_RecordsRoundTripEveryField()
    {
        await using var pg = await PostgresDatabase.CreateAsync();
        await RecordsRoundTripEveryField(PostgresOptions(pg));
    }

    private static async Task RecordsRoundTripEveryField(SwitchyardOptions options)
    {
        var full = new LedgerRecord(T0.AddMilliseconds(123), "full", "alice", "route", "m", "p", "eu", """{"chosen":"m","steps":[]}""", 1234, 56, 7, 0.000123456789m, 12.5, 3.25, "error", 502, "upstream said no", true);
        var sparse = new LedgerRecord(T0.AddMinutes(1), "sparse", null, "route", null, null, null, "{}", 0, 0, 0, 0m, 0.5, null, "ok", 200, null, false);
        var store = SwitchyardStore.Open(options);
        await store.Ledger.WriteAsync(full);
        await store.Ledger.WriteAsync(sparse);
        await store.DisposeAsync();

        await using var database = StoreDatabase.From(options);
        var reader = new LedgerReader(database);
        Assert.Equal([sparse, full], reader.Recent(10));
        Assert.Equal([full], reader.Between(T0, T0.AddMinutes(1)).ToList());
        Assert.Equal([sparse], reader.Recent(1));
    }

    private SwitchyardOptions SqliteOptions() => new() { Ledger = { Path = Path.Combine(_dir.FullName, "ledger.db") } };

    private static SwitchyardOptions PostgresOptions(PostgresDatabase pg) => new() { Storage = { Provider = "postgres", ConnectionString = pg.ConnectionString } };

    private static LedgerRecord Record(string id, DateTimeOffset at, string model, decimal cost) =>
        new(at, id, null, "route", model, "p", "self", """{"chosen":"x"}""", 10, 20, 0, cost, 1.5, null, "ok", 200, null, false);
}
