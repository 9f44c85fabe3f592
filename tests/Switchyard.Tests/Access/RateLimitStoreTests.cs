using System.Data;
using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using Switchyard.Access;
using Switchyard.Storage;
using Switchyard.Storage.Migrations;
using Switchyard.Storage.RateLimits;
using Switchyard.Tests.Infrastructure;

namespace Switchyard.Tests.Access;

/// <summary>
/// <see cref="RateLimitStore"/> behaves the same on a SQLite file and on PostgreSQL: each scenario is written once
/// against a <see cref="StoreDatabase"/> and run by one test per engine, with the clock from a <see cref="FakeTimeProvider"/>.
/// </summary>
public sealed class RateLimitStoreTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("ratelimit-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public Task Sqlite_Rpm_RefusesTheEleventhUntilTheWindowSlides() => OnSqlite(Rpm_RefusesTheEleventhUntilTheWindowSlides);

    [PostgresFact]
    public Task Postgres_Rpm_RefusesTheEleventhUntilTheWindowSlides() => OnPostgres(Rpm_RefusesTheEleventhUntilTheWindowSlides);

    [Fact]
    public Task Sqlite_Rpm_SpreadRequestsSlideOutSecondBySecond() => OnSqlite(Rpm_SpreadRequestsSlideOutSecondBySecond);

    [PostgresFact]
    public Task Postgres_Rpm_SpreadRequestsSlideOutSecondBySecond() => OnPostgres(Rpm_SpreadRequestsSlideOutSecondBySecond);

    [Fact]
    public Task Sqlite_Tpm_ChargesTheTokenBoundAndRefusesBeyond() => OnSqlite(Tpm_ChargesTheTokenBoundAndRefusesBeyond);

    [PostgresFact]
    public Task Postgres_Tpm_ChargesTheTokenBoundAndRefusesBeyond() => OnPostgres(Tpm_ChargesTheTokenBoundAndRefusesBeyond);

    [Fact]
    public Task Sqlite_TwoScopes_AllOrNothing() => OnSqlite(TwoScopes_AllOrNothing);

    [PostgresFact]
    public Task Postgres_TwoScopes_AllOrNothing() => OnPostgres(TwoScopes_AllOrNothing);

    [Fact]
    public Task Sqlite_CorrectTokens_AdjustsTheAdmissionSecond() => OnSqlite(CorrectTokens_AdjustsTheAdmissionSecond);

    [PostgresFact]
    public Task Postgres_CorrectTokens_AdjustsTheAdmissionSecond() => OnPostgres(CorrectTokens_AdjustsTheAdmissionSecond);

    [Fact]
    public Task Sqlite_Concurrent_ManyInstances_AdmitExactlyTheLimit() => OnSqlite(Concurrent_ManyInstances_AdmitExactlyTheLimit);

    [PostgresFact]
    public Task Postgres_Concurrent_ManyInstances_AdmitExactlyTheLimit() => OnPostgres(Concurrent_ManyInstances_AdmitExactlyTheLimit);

    [Fact]
    public Task Sqlite_Sweep_DeletesBucketsOlderThan120Seconds() => OnSqlite(Sweep_DeletesBucketsOlderThan120Seconds);

    [PostgresFact]
    public Task Postgres_Sweep_DeletesBucketsOlderThan120Seconds() => OnPostgres(Sweep_DeletesBucketsOlderThan120Seconds);

    [Fact]
    public Task Sqlite_Unlimited_NeedsNoDatabase_AndAStoreErrorIsAnAnswer() => OnSqlite(Unlimited_NeedsNoDatabase_AndAStoreErrorIsAnAnswer, migrate: false);

    [PostgresFact]
    public Task Postgres_Unlimited_NeedsNoDatabase_AndAStoreErrorIsAnAnswer() => OnPostgres(Unlimited_NeedsNoDatabase_AndAStoreErrorIsAnAnswer, migrate: false);

    private static async Task Rpm_RefusesTheEleventhUntilTheWindowSlides(StoreDatabase database)
    {
        var time = new FakeTimeProvider(T0);
        var store = new RateLimitStore(database, time);
        RateLimitScope[] key = [new("key:a", 10, null)];

        for (var i = 0; i < 10; i++)
        {
            var ok = await store.AdmitAsync(key, 0);
            Assert.True(ok.Admitted);
            Assert.Equal(new RateLimitState(10, 9 - i, TimeSpan.FromSeconds(60)), ok.Requests);
            Assert.Null(ok.Tokens);
            Assert.Equal(T0, ok.AdmittedAt);
        }

        var refused = await store.AdmitAsync(key, 0);
        Assert.False(refused.Admitted);
        Assert.False(refused.StoreUnavailable);
        Assert.Equal("key:a", refused.LimitedScope);
        Assert.Equal(TimeSpan.FromSeconds(60), refused.RetryAfter);
        Assert.Equal(new RateLimitState(10, 0, TimeSpan.FromSeconds(60)), refused.Requests);
        Assert.Equal("10 of 10 requests per minute used", refused.Reason);

        time.Advance(TimeSpan.FromSeconds(30));
        refused = await store.AdmitAsync(key, 0);
        Assert.False(refused.Admitted);
        Assert.Equal(TimeSpan.FromSeconds(30), refused.RetryAfter);

        // Mid-second: the bucket of second 0 leaves the window exactly at t = 60 s.
        time.Advance(TimeSpan.FromSeconds(29.75));
        refused = await store.AdmitAsync(key, 0);
        Assert.False(refused.Admitted);
        Assert.Equal(TimeSpan.FromSeconds(0.25), refused.Requests!.Reset);
        Assert.Equal(TimeSpan.FromSeconds(1), refused.RetryAfter); // never less than a second

        time.SetUtcNow(T0.AddSeconds(61));
        for (var i = 0; i < 10; i++)
        {
            Assert.True((await store.AdmitAsync(key, 0)).Admitted);
        }

        Assert.False((await store.AdmitAsync(key, 0)).Admitted);
        Assert.Equal(20, await Sum(database, "requests", "key:a")); // refusals charged nothing
    }

    private static async Task Rpm_SpreadRequestsSlideOutSecondBySecond(StoreDatabase database)
    {
        var time = new FakeTimeProvider(T0);
        var store = new RateLimitStore(database, time);
        RateLimitScope[] key = [new("key:a", 10, null)];

        await AdmitMany(store, key, 0, 5);
        time.Advance(TimeSpan.FromSeconds(30));
        await AdmitMany(store, key, 0, 5);
        var refused = await store.AdmitAsync(key, 0);
        Assert.False(refused.Admitted);
        Assert.Equal(TimeSpan.FromSeconds(30), refused.RetryAfter); // when the five of t = 0 leave
        Assert.Equal(TimeSpan.FromSeconds(60), refused.Requests!.Reset); // when the window is empty again

        time.Advance(TimeSpan.FromSeconds(15));
        Assert.Equal(TimeSpan.FromSeconds(15), (await store.AdmitAsync(key, 0)).RetryAfter);

        time.SetUtcNow(T0.AddSeconds(61));
        Assert.Equal(5, await AdmitMany(store, key, 0, 8)); // exactly the five of t = 0 are free
        refused = await store.AdmitAsync(key, 0);
        Assert.Equal(TimeSpan.FromSeconds(30 + 60 - 61), refused.RetryAfter); // then the five of t = 30 must leave
        Assert.Equal(TimeSpan.FromSeconds(60), refused.Requests!.Reset);

        time.SetUtcNow(T0.AddSeconds(90));
        Assert.Equal(5, await AdmitMany(store, key, 0, 8));
    }

    private static async Task Tpm_ChargesTheTokenBoundAndRefusesBeyond(StoreDatabase database)
    {
        var time = new FakeTimeProvider(T0);
        var store = new RateLimitStore(database, time);
        RateLimitScope[] key = [new("key:a", null, 1000)];

        var first = await store.AdmitAsync(key, 400);
        Assert.True(first.Admitted);
        Assert.Null(first.Requests);
        Assert.Equal(new RateLimitState(1000, 600, TimeSpan.FromSeconds(60)), first.Tokens);
        time.Advance(TimeSpan.FromSeconds(10));
        Assert.True((await store.AdmitAsync(key, 400)).Admitted);

        var refused = await store.AdmitAsync(key, 400);
        Assert.False(refused.Admitted);
        Assert.Equal("key:a", refused.LimitedScope);
        Assert.Equal(TimeSpan.FromSeconds(50), refused.RetryAfter); // the first 400 must leave
        Assert.Equal(new RateLimitState(1000, 200, TimeSpan.FromSeconds(60)), refused.Tokens);
        Assert.Equal("800 of 1000 tokens per minute used and the request needs 400", refused.Reason);

        Assert.True((await store.AdmitAsync(key, 200)).Admitted); // exactly up to the limit
        Assert.False((await store.AdmitAsync(key, 1)).Admitted);
        Assert.True((await store.AdmitAsync(key, 0)).Admitted); // no tokens, no request limit: fits

        // A request larger than the whole limit is never admitted, however empty the window.
        time.Advance(TimeSpan.FromMinutes(5));
        var huge = await store.AdmitAsync(key, 1001);
        Assert.False(huge.Admitted);
        Assert.Equal(TimeSpan.FromSeconds(60), huge.RetryAfter);
        Assert.Contains("needs 1001 tokens, more than the 1000 tokens per minute allowed", huge.Reason, StringComparison.Ordinal);
        Assert.Equal(new RateLimitState(1000, 1000, TimeSpan.Zero), huge.Tokens);
        Assert.True((await store.AdmitAsync(key, 1000)).Admitted);
        Assert.Equal(2000, await Sum(database, "tokens", "key:a"));
    }

    private static async Task TwoScopes_AllOrNothing(StoreDatabase database)
    {
        var time = new FakeTimeProvider(T0);
        var store = new RateLimitStore(database, time);
        var team = new RateLimitScope("team:t", 3, 10_000);
        RateLimitScope[] a = [new("key:a", 2, null), team, new("model:free", null, null)];
        RateLimitScope[] b = [team, new("key:b", 5, 10_000)];

        var ok = await store.AdmitAsync(a, 100);
        Assert.True(ok.Admitted);
        Assert.Equal(new RateLimitState(2, 1, TimeSpan.FromSeconds(60)), ok.Requests); // the key is tightest
        Assert.Equal(new RateLimitState(10_000, 9_900, TimeSpan.FromSeconds(60)), ok.Tokens); // only the team limits tokens
        Assert.True((await store.AdmitAsync(a, 100)).Admitted);

        // The key refuses: the team is not charged.
        var byKey = await store.AdmitAsync(a, 100);
        Assert.False(byKey.Admitted);
        Assert.Equal("key:a", byKey.LimitedScope);
        Assert.Equal((2L, 200L), (await Sum(database, "requests", "team:t"), await Sum(database, "tokens", "team:t")));

        // The team's last request goes to key b; then the team refuses key b and key b is not charged.
        Assert.True((await store.AdmitAsync(b, 100)).Admitted);
        var byTeam = await store.AdmitAsync(b, 100);
        Assert.False(byTeam.Admitted);
        Assert.Equal("team:t", byTeam.LimitedScope);
        Assert.Equal(new RateLimitState(3, 0, TimeSpan.FromSeconds(60)), byTeam.Requests);
        Assert.Equal((1L, 100L), (await Sum(database, "requests", "key:b"), await Sum(database, "tokens", "key:b")));
        Assert.Equal((3L, 300L), (await Sum(database, "requests", "team:t"), await Sum(database, "tokens", "team:t")));
        Assert.Equal(2, await Sum(database, "requests", "key:a"));
        Assert.Equal(0, await Count(database, "model:free")); // a scope without limits is never written

        // Both refuse: the one that frees last is named, and its wait is the answer.
        time.Advance(TimeSpan.FromSeconds(20));
        Assert.True((await store.AdmitAsync([new RateLimitScope("key:c", 1, null)], 0)).Admitted);
        var both = await store.AdmitAsync([new RateLimitScope("key:c", 1, null), team], 0);
        Assert.Equal(("key:c", TimeSpan.FromSeconds(60)), (both.LimitedScope, both.RetryAfter));
    }

    private static async Task CorrectTokens_AdjustsTheAdmissionSecond(StoreDatabase database)
    {
        var time = new FakeTimeProvider(T0.AddMilliseconds(500));
        var store = new RateLimitStore(database, time);
        RateLimitScope[] scopes = [new("key:a", 100, 1000), new("team:t", null, 5000)];

        var first = await store.AdmitAsync(scopes, 800);
        Assert.True(first.Admitted);
        Assert.Equal(T0.AddMilliseconds(500), first.AdmittedAt);
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.False((await store.AdmitAsync(scopes, 800)).Admitted);

        // It used 200 of the 800 charged: the bucket of its second drops by 600, in every scope.
        await store.CorrectTokensAsync(scopes, first.AdmittedAt, 200 - 800);
        Assert.Equal(200, await Sum(database, "tokens", "key:a"));
        Assert.Equal(200, await Sum(database, "tokens", "team:t"));
        Assert.Equal(1, await Sum(database, "requests", "key:a"));
        var second = await store.AdmitAsync(scopes, 800);
        Assert.True(second.Admitted);
        Assert.Equal(new RateLimitState(1000, 0, TimeSpan.FromSeconds(59.5)), second.Tokens); // key:a, not the team; its bucket of second 5 leaves at 65 s

        // More than charged (an upstream that overshot) counts too; a bucket never goes below zero.
        await store.CorrectTokensAsync(scopes, second.AdmittedAt, 50);
        Assert.Equal(1050, await Sum(database, "tokens", "key:a"));
        await store.CorrectTokensAsync(scopes, first.AdmittedAt, -10_000);
        Assert.Equal(850, await Sum(database, "tokens", "key:a"));

        // Once the second has left the window the correction is moot and nothing is written.
        time.SetUtcNow(T0.AddSeconds(66));
        await store.CorrectTokensAsync(scopes, second.AdmittedAt, 1000);
        Assert.Equal(850, await Sum(database, "tokens", "key:a"));
    }

    private static async Task Concurrent_ManyInstances_AdmitExactlyTheLimit(StoreDatabase database)
    {
        // Four gateway instances (four connection pools on one database), 32 clients, each with its own store
        // object, fire 200 admissions within one second against RPM 50.
        var time = new FakeTimeProvider(T0);
        var instances = new List<StoreDatabase>();
        for (var i = 0; i < 4; i++)
        {
            instances.Add(database.Kind == StoreKind.Sqlite ? StoreDatabase.Sqlite(database.Display) : StoreDatabase.Postgres(await ConnectionString(database)));
        }

        try
        {
            RateLimitScope[] scopes = [new("key:hot", 50, null), new("team:t", 1000, 1_000_000)];
            var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var admitted = 0;
            var unavailable = 0;
            var tasks = Enumerable.Range(0, 32).Select(c => Task.Run(async () =>
            {
                var store = new RateLimitStore(instances[c % instances.Count], time);
                await start.Task;
                for (var i = c; i < 200; i += 32)
                {
                    var decision = await store.AdmitAsync(scopes, 10);
                    if (decision.Admitted)
                    {
                        Interlocked.Increment(ref admitted);
                    }
                    else if (decision.StoreUnavailable)
                    {
                        Interlocked.Increment(ref unavailable);
                    }
                }
            })).ToList();
            start.SetResult();
            await Task.WhenAll(tasks);

            Assert.Equal(0, unavailable);
            Assert.Equal(50, admitted);
            Assert.Equal(50, await Sum(database, "requests", "key:hot"));
            Assert.Equal(50, await Sum(database, "requests", "team:t"));
            Assert.Equal(500, await Sum(database, "tokens", "team:t"));
        }
        finally
        {
            foreach (var instance in instances)
            {
                await instance.DisposeAsync();
            }
        }
    }

    private static async Task Sweep_DeletesBucketsOlderThan120Seconds(StoreDatabase database)
    {
        var time = new FakeTimeProvider(T0);
        var store = new RateLimitStore(database, time);
        RateLimitScope[] scopes = [new("key:a", 100, null), new("team:t", 100, null)];
        foreach (var at in new[] { 0, 29, 30, 100 })
        {
            time.SetUtcNow(T0.AddSeconds(at));
            Assert.True((await store.AdmitAsync(scopes, 1)).Admitted);
        }

        time.SetUtcNow(T0.AddSeconds(150.5));
        Assert.Equal(4, await store.SweepAsync()); // seconds 0 and 29 of both scopes; 30 is exactly 120 s old and stays
        Assert.Equal(2, await Count(database, "key:a"));
        Assert.Equal(0, await store.SweepAsync());

        time.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(4, await store.SweepAsync());
        Assert.Equal(0, await Count(database, "key:a") + await Count(database, "team:t"));
    }

    private static async Task Unlimited_NeedsNoDatabase_AndAStoreErrorIsAnAnswer(StoreDatabase database)
    {
        // The database has no rate_buckets table: any query would fail.
        var time = new FakeTimeProvider(T0);
        var log = new List<string>();
        var store = new RateLimitStore(database, time, log.Add);

        var free = await store.AdmitAsync([new RateLimitScope("key:a", null, null), new RateLimitScope("team:t", null, null)], 1_000_000);
        Assert.Equal(new RateLimitDecision(true, null, null, null, TimeSpan.Zero) { AdmittedAt = T0 }, free);
        Assert.True((await store.AdmitAsync([], 5)).Admitted);
        await store.CorrectTokensAsync([new RateLimitScope("key:a", null, null)], T0, -5);
        Assert.Empty(log);

        var down = await store.AdmitAsync([new RateLimitScope("key:a", 10, null)], 5);
        Assert.False(down.Admitted);
        Assert.True(down.StoreUnavailable);
        Assert.Null(down.LimitedScope);
        Assert.Equal(TimeSpan.FromSeconds(1), down.RetryAfter);
        Assert.Contains("key:a", Assert.Single(log), StringComparison.Ordinal);

        await store.CorrectTokensAsync([new RateLimitScope("key:a", 10, null)], T0, -5); // logged, not thrown
        Assert.Equal(2, log.Count);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await store.AdmitAsync([new RateLimitScope("key:a", 10, null)], -1));
    }

    private static async Task<int> AdmitMany(RateLimitStore store, RateLimitScope[] scopes, long tokens, int count)
    {
        var admitted = 0;
        for (var i = 0; i < count; i++)
        {
            admitted += (await store.AdmitAsync(scopes, tokens)).Admitted ? 1 : 0;
        }

        return admitted;
    }

    private async Task OnSqlite(Func<StoreDatabase, Task> scenario) => await OnSqlite(scenario, migrate: true);

    private async Task OnSqlite(Func<StoreDatabase, Task> scenario, bool migrate)
    {
        await using var database = StoreDatabase.Sqlite(Path.Combine(_dir.FullName, Guid.NewGuid().ToString("N") + ".db"));
        if (migrate)
        {
            Migrate(database);
        }

        await scenario(database);
    }

    private static Task OnPostgres(Func<StoreDatabase, Task> scenario) => OnPostgres(scenario, migrate: true);

    private static async Task OnPostgres(Func<StoreDatabase, Task> scenario, bool migrate)
    {
        await using var pg = await PostgresDatabase.CreateAsync();
        await using var database = StoreDatabase.Postgres(pg.ConnectionString);
        if (migrate)
        {
            Migrate(database);
        }

        await scenario(database);
    }

    private static void Migrate(StoreDatabase database)
    {
        using var connection = database.Open();
        SchemaMigrator.Migrate(connection, database.Kind);
    }

    // The connection string of a PostgreSQL StoreDatabase (it shows only host, port and database): rebuilt from the admin one.
    private static async Task<string> ConnectionString(StoreDatabase database)
    {
        await using var connection = await database.OpenAsync();
        return new Npgsql.NpgsqlConnectionStringBuilder(PostgresTestEnvironment.RequireConnectionString()) { Database = connection.Database }.ConnectionString;
    }

    private static Task<long> Sum(StoreDatabase database, string column, string scope) =>
        Scalar(database, $"SELECT COALESCE(SUM({column}), 0) FROM rate_buckets WHERE scope = @s", scope);

    private static Task<long> Count(StoreDatabase database, string scope) =>
        Scalar(database, "SELECT COUNT(*) FROM rate_buckets WHERE scope = @s", scope);

    private static async Task<long> Scalar(StoreDatabase database, string sql, string scope)
    {
        await using var connection = await database.OpenAsync();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        var p = cmd.CreateParameter();
        p.ParameterName = "@s";
        p.DbType = DbType.String;
        p.Value = scope;
        cmd.Parameters.Add(p);
        return Convert.ToInt64(await cmd.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
    }
}
