using Npgsql;

namespace Switchyard.Tests.Infrastructure;

/// <summary>The PostgreSQL test infrastructure: a throwaway database per test, and the rule that CI never skips.</summary>
public sealed class PostgresInfrastructureTests
{
    [PostgresFact]
    public async Task Database_IsFreshUsable_AndDroppedOnDispose()
    {
        string name;
        await using (var database = await PostgresDatabase.CreateAsync())
        {
            name = database.Name;
            Assert.Matches("^sy_[0-9a-f]{32}$", name);

            await using var connection = new NpgsqlConnection(database.ConnectionString);
            await connection.OpenAsync();
            Assert.Equal(name, connection.Database);

            await using (var version = new NpgsqlCommand("SELECT version()", connection))
            {
                Assert.StartsWith("PostgreSQL ", (string?)await version.ExecuteScalarAsync(), StringComparison.Ordinal);
            }

            await using (var current = new NpgsqlCommand("SELECT current_database()", connection))
            {
                Assert.Equal(name, (string?)await current.ExecuteScalarAsync());
            }

            await using (var create = new NpgsqlCommand("CREATE TABLE items (id integer PRIMARY KEY, label text NOT NULL)", connection))
            {
                await create.ExecuteNonQueryAsync();
            }

            await using (var insert = new NpgsqlCommand("INSERT INTO items (id, label) VALUES (@id, @label), (2, 'deux')", connection))
            {
                insert.Parameters.AddWithValue("id", 1);
                insert.Parameters.AddWithValue("label", "un");
                Assert.Equal(2, await insert.ExecuteNonQueryAsync());
            }

            var rows = new List<(int Id, string Label)>();
            await using (var select = new NpgsqlCommand("SELECT id, label FROM items ORDER BY id", connection))
            await using (var reader = await select.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    rows.Add((reader.GetInt32(0), reader.GetString(1)));
                }
            }

            Assert.Equal([(1, "un"), (2, "deux")], rows);
            // The connection stays open: dispose must drop the database anyway (WITH (FORCE)).
        }

        await using var admin = new NpgsqlConnection(PostgresTestEnvironment.RequireConnectionString());
        await admin.OpenAsync();
        await using var exists = new NpgsqlCommand("SELECT count(*) FROM pg_database WHERE datname = @name", admin);
        exists.Parameters.AddWithValue("name", name);
        Assert.Equal(0L, (long?)await exists.ExecuteScalarAsync());
    }

    [PostgresTheory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task Databases_AreIsolated(int value)
    {
        await using var database = await PostgresDatabase.CreateAsync();
        await using var connection = new NpgsqlConnection(database.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", connection);
        Assert.Equal(0L, (long?)await command.ExecuteScalarAsync());
        await using var echo = new NpgsqlCommand("SELECT @v", connection);
        echo.Parameters.AddWithValue("v", value);
        Assert.Equal(value, (int?)await echo.ExecuteScalarAsync());
    }

    [Fact]
    public void SkipReason_SkipsOnlyWithoutServerOutsideCi()
    {
        const string server = "Host=127.0.0.1;Port=55432;Username=switchyard;Database=postgres";

        // In CI the tests always run: without a server they fail rather than skip.
        Assert.Null(PostgresFactAttribute.SkipReason(null, "true"));
        Assert.Null(PostgresFactAttribute.SkipReason("", "true"));
        Assert.Null(PostgresFactAttribute.SkipReason(null, "TRUE"));
        Assert.Null(PostgresFactAttribute.SkipReason(null, "1"));
        Assert.Null(PostgresFactAttribute.SkipReason(server, "true"));

        // With a server they run, in CI or not.
        Assert.Null(PostgresFactAttribute.SkipReason(server, null));
        Assert.Null(PostgresFactAttribute.SkipReason(server, "false"));

        // Neither: skipped, saying how to start a server.
        Assert.Equal(PostgresTestEnvironment.MissingMessage, PostgresFactAttribute.SkipReason(null, null));
        Assert.NotNull(PostgresFactAttribute.SkipReason("  ", ""));
        Assert.NotNull(PostgresFactAttribute.SkipReason(null, "false"));
        Assert.Contains("tools/pg-test-cluster.sh start", PostgresTestEnvironment.MissingMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Attributes_FollowTheEnvironment()
    {
        var expected = PostgresFactAttribute.SkipReason(
            Environment.GetEnvironmentVariable("SWITCHYARD_TEST_POSTGRES"), Environment.GetEnvironmentVariable("CI"));
        Assert.Equal(expected, new PostgresFactAttribute().Skip);
        Assert.Equal(expected, new PostgresTheoryAttribute().Skip);
    }
}

/// <summary>The per-class fixture: one database shared by the class's tests.</summary>
public sealed class PostgresFixtureTests(PostgresDatabaseFixture fixture) : IClassFixture<PostgresDatabaseFixture>
{
    [PostgresFact]
    public async Task Fixture_ProvidesAnOpenableDatabase()
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        Assert.Equal(fixture.Database.Name, connection.Database);
        await using var command = new NpgsqlCommand("SELECT current_database()", connection);
        Assert.Equal(fixture.Database.Name, (string?)await command.ExecuteScalarAsync());
    }
}
