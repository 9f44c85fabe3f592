using System.Data.Common;
using Microsoft.Data.Sqlite;
using Switchyard.Configuration;
using Switchyard.Storage;
using Switchyard.Storage.Ledger;
using Switchyard.Storage.Migrations;
using Switchyard.Tests.Infrastructure;

namespace Switchyard.Tests.Storage;

public sealed class SchemaMigratorTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("migrate-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public void Shipped_MigrationsAreNumberedWithoutGapsForBothEngines()
    {
        var sqlite = SchemaMigrator.For(StoreKind.Sqlite);
        var postgres = SchemaMigrator.For(StoreKind.Postgres);
        Assert.True(sqlite.Count >= 2);
        Assert.Equal(sqlite.Select(m => m.Name), postgres.Select(m => m.Name));
        Assert.Equal(Enumerable.Range(1, sqlite.Count), sqlite.Select(m => m.Version));
    }

    [Fact]
    public void Sqlite_FreshFile_AppliesEveryMigrationOnce() => FreshDatabase_AppliesEveryMigrationOnce(StoreDatabase.Sqlite(Path.Combine(_dir.FullName, "fresh.db")));

    [PostgresFact]
    public async Task Postgres_FreshDatabase_AppliesEveryMigrationOnce()
    {
        await using var pg = await PostgresDatabase.CreateAsync();
        await using var database = StoreDatabase.Postgres(pg.ConnectionString);
        FreshDatabase_AppliesEveryMigrationOnce(database);
    }

    private static void FreshDatabase_AppliesEveryMigrationOnce(StoreDatabase database)
    {
        var shipped = SchemaMigrator.For(database.Kind);
        using var connection = database.Open();
        Assert.Equal(shipped.Count, SchemaMigrator.Migrate(connection, database.Kind).Count);
        Assert.Empty(SchemaMigrator.Migrate(connection, database.Kind));
        Assert.Equal(shipped.Count, SchemaMigrator.CurrentVersion(connection));
        Assert.Equal(shipped.Count, Scalar(connection, "SELECT COUNT(*) FROM schema_version"));
    }

    [Fact]
    public void Sqlite_LedgerFromBeforeMigrations_IsAdoptedWithItsRows()
    {
        var path = Path.Combine(_dir.FullName, "old.db");
        using (var old = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            old.Open();
            using var cmd = old.CreateCommand();
            // The table exactly as releases before schema_version created it, with one request in it.
            cmd.CommandText = SchemaMigrator.For(StoreKind.Sqlite)[0].Sql + """
                INSERT INTO requests (ts, ts_unix_ms, request_id, requested, decision, input_tokens, output_tokens, cached_input_tokens,
                  cost, cost_nanousd, latency_ms, status, http_status, streamed)
                VALUES ('2026-01-01T00:00:00.0000000Z', 1767225600000, 'old-1', 'm', '{}', 1, 2, 0, '0.5', 500000000, 3, 'ok', 200, 0);
                """;
            cmd.ExecuteNonQuery();
        }

        var database = StoreDatabase.Sqlite(path);
        using (var connection = database.Open())
        {
            Assert.Equal(SchemaMigrator.For(StoreKind.Sqlite).Count, SchemaMigrator.Migrate(connection, StoreKind.Sqlite).Count);
        }

        var row = Assert.Single(new LedgerReader(database).Recent(10));
        Assert.Equal("old-1", row.RequestId);
        Assert.Equal(0.5m, row.Cost);
    }

    [Fact]
    public void Sqlite_SchemaNewerThanTheBuild_IsRefused()
    {
        using var connection = StoreDatabase.Sqlite(Path.Combine(_dir.FullName, "newer.db")).Open();
        SchemaMigrator.Migrate(connection, StoreKind.Sqlite);
        Execute(connection, "INSERT INTO schema_version VALUES (99, '0099_future', 'abc', '2030-01-01')");
        var ex = Assert.Throws<SchemaMigrationException>(() => SchemaMigrator.Migrate(connection, StoreKind.Sqlite));
        Assert.Contains("newer than this build", ex.Message, StringComparison.Ordinal);
        Assert.Contains("upgrade Switchyard", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sqlite_AppliedMigrationEdited_IsRefused()
    {
        using var connection = StoreDatabase.Sqlite(Path.Combine(_dir.FullName, "edited.db")).Open();
        SchemaMigrator.Migrate(connection, StoreKind.Sqlite);
        var edited = SchemaMigrator.For(StoreKind.Sqlite).ToList();
        edited[0] = SchemaMigrator.Create(1, edited[0].Name, edited[0].Sql + "\n-- a change");
        var ex = Assert.Throws<SchemaMigrationException>(() => SchemaMigrator.Migrate(connection, StoreKind.Sqlite, edited));
        Assert.Contains(edited[0].Name, ex.Message, StringComparison.Ordinal);
        Assert.Contains("must never change", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Sqlite_FailingMigration_LeavesNothingHalfApplied()
    {
        using var connection = StoreDatabase.Sqlite(Path.Combine(_dir.FullName, "failing.db")).Open();
        var shipped = SchemaMigrator.For(StoreKind.Sqlite);
        var broken = shipped.Append(SchemaMigrator.Create(shipped.Count + 1, "9999_broken", "CREATE TABLE half (x INTEGER); SELECT * FROM no_such_table;")).ToList();
        Assert.ThrowsAny<DbException>(() => SchemaMigrator.Migrate(connection, StoreKind.Sqlite, broken));
        Assert.Equal(shipped.Count, SchemaMigrator.CurrentVersion(connection));
        Assert.Equal(0, Scalar(connection, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'half'"));
    }

    [Fact]
    public async Task Sqlite_InstancesStartingTogether_MigrateOnce()
    {
        var database = StoreDatabase.Sqlite(Path.Combine(_dir.FullName, "race.db"));
        await InstancesStartingTogether_MigrateOnce(database);
    }

    [PostgresFact]
    public async Task Postgres_InstancesStartingTogether_MigrateOnce()
    {
        await using var pg = await PostgresDatabase.CreateAsync();
        await using var database = StoreDatabase.Postgres(pg.ConnectionString);
        await InstancesStartingTogether_MigrateOnce(database);
    }

    private static async Task InstancesStartingTogether_MigrateOnce(StoreDatabase database)
    {
        using var start = new Barrier(6);
        var applied = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() =>
        {
            using var connection = database.Open();
            start.SignalAndWait();
            return SchemaMigrator.Migrate(connection, database.Kind).Count;
        })));
        var shipped = SchemaMigrator.For(database.Kind).Count;
        Assert.Equal(shipped, applied.Sum());
        using var check = database.Open();
        Assert.Equal(shipped, Scalar(check, "SELECT COUNT(*) FROM schema_version"));
    }

    [Fact]
    public void Runtime_OnNewerSchema_FailsNamingTheKey()
    {
        var path = Path.Combine(_dir.FullName, "runtime.db");
        using (var connection = StoreDatabase.Sqlite(path).Open())
        {
            SchemaMigrator.Migrate(connection, StoreKind.Sqlite);
            Execute(connection, "INSERT INTO schema_version VALUES (99, '0099_future', 'abc', '2030-01-01')");
        }

        var ex = Assert.Throws<SwitchyardConfigurationException>(() => SwitchyardStore.Open(new SwitchyardOptions { Ledger = { Path = path } }));
        Assert.Contains("- Switchyard:Ledger:Path: cannot open the database", ex.Message, StringComparison.Ordinal);
        Assert.Contains("newer than this build", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Postgres_MissingConnectionStringVariable_NamesTheKey()
    {
        var options = new SwitchyardOptions { Storage = { Provider = "postgres", ConnectionStringEnv = "SY_TEST_NO_SUCH_VARIABLE" } };
        var ex = Assert.Throws<SwitchyardConfigurationException>(() => StoreDatabase.From(options, _ => null));
        Assert.Contains("- Switchyard:Storage:ConnectionStringEnv:", ex.Message, StringComparison.Ordinal);
        Assert.Contains("SY_TEST_NO_SUCH_VARIABLE", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Postgres_UnreachableServer_FailsNamingTheKeyWithoutThePassword()
    {
        // Port 9 on loopback: nothing listens, so the connection is refused at once.
        var options = new SwitchyardOptions { Storage = { Provider = "postgres", ConnectionString = "Host=127.0.0.1;Port=9;Username=u;Password=hunter2;Database=d;Timeout=2" } };
        var ex = Assert.Throws<SwitchyardConfigurationException>(() => SwitchyardStore.Open(options));
        Assert.Contains("- Switchyard:Storage:ConnectionString: cannot open the database 'postgres://127.0.0.1:9/d'", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validator_UnknownProvider_NamesTheKey()
    {
        var options = new SwitchyardOptions { Storage = { Provider = "mysql" } };
        var errors = SwitchyardOptionsValidator.Validate(options);
        Assert.Contains(errors, e => e.StartsWith("Switchyard:Storage:Provider: 'mysql'", StringComparison.Ordinal));
        options = new SwitchyardOptions { Storage = { Provider = "postgres" } };
        Assert.Contains(SwitchyardOptionsValidator.Validate(options), e => e.StartsWith("Switchyard:Storage:ConnectionString: required", StringComparison.Ordinal));
    }

    private static long Scalar(DbConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        return Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static void Execute(DbConnection connection, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }
}
