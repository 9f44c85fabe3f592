using System.Globalization;
using Npgsql;

namespace Switchyard.Tests.Infrastructure;

/// <summary>
/// Where the PostgreSQL tests find their server: the <c>SWITCHYARD_TEST_POSTGRES</c> connection string (the server's
/// maintenance database, a user allowed to create databases), as exported by <c>tools/pg-test-cluster.sh start</c>.
/// </summary>
public static class PostgresTestEnvironment
{
    /// <summary>The environment variable holding the admin connection string.</summary>
    public const string ConnectionStringVariable = "SWITCHYARD_TEST_POSTGRES";

    /// <summary>Why the PostgreSQL tests cannot run; the skip reason outside CI, the failure message in CI.</summary>
    public const string MissingMessage = "PostgreSQL tests need SWITCHYARD_TEST_POSTGRES: run eval \"$(tools/pg-test-cluster.sh start)\"";

    /// <summary>The admin connection string, or null when the variable is unset or blank.</summary>
    public static string? ConnectionString => NullIfBlank(Environment.GetEnvironmentVariable(ConnectionStringVariable));

    /// <summary>The <c>CI</c> environment variable, as CI services (and <c>.ci/run</c>) set it.</summary>
    public static string? CiVariable => Environment.GetEnvironmentVariable("CI");

    /// <summary>The admin connection string; throws <see cref="InvalidOperationException"/> with <see cref="MissingMessage"/> when unset.</summary>
    public static string RequireConnectionString() => ConnectionString ?? throw new InvalidOperationException(MissingMessage);

    /// <summary>Whether <paramref name="ci"/> (the <c>CI</c> variable's value) says we run in CI: <c>true</c> or <c>1</c>.</summary>
    public static bool IsCi(string? ci) =>
        string.Equals(ci?.Trim(), "true", StringComparison.OrdinalIgnoreCase) || string.Equals(ci?.Trim(), "1", StringComparison.Ordinal);

    internal static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}

/// <summary>
/// A test that needs a PostgreSQL server (<see cref="PostgresDatabase"/>). Skipped when <c>SWITCHYARD_TEST_POSTGRES</c>
/// is unset, except in CI (<c>CI=true</c>), where it runs and fails, so CI can never skip it silently.
/// </summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        Skip = SkipReason(PostgresTestEnvironment.ConnectionString, PostgresTestEnvironment.CiVariable);
    }

    /// <summary>
    /// The skip reason for a PostgreSQL test given the <c>SWITCHYARD_TEST_POSTGRES</c> and <c>CI</c> values, or null
    /// to run it: it is skipped only when there is no connection string and we are not in CI.
    /// </summary>
    public static string? SkipReason(string? connectionString, string? ci) =>
        PostgresTestEnvironment.NullIfBlank(connectionString) is null && !PostgresTestEnvironment.IsCi(ci)
            ? PostgresTestEnvironment.MissingMessage
            : null;
}

/// <summary>The theory counterpart of <see cref="PostgresFactAttribute"/>, with the same skip rule.</summary>
public sealed class PostgresTheoryAttribute : TheoryAttribute
{
    public PostgresTheoryAttribute()
    {
        Skip = PostgresFactAttribute.SkipReason(PostgresTestEnvironment.ConnectionString, PostgresTestEnvironment.CiVariable);
    }
}

/// <summary>
/// A fresh, empty database <c>sy_&lt;guid&gt;</c> on the <c>SWITCHYARD_TEST_POSTGRES</c> server; disposing drops it,
/// closing whatever connections are still open to it.
/// </summary>
public sealed class PostgresDatabase : IAsyncDisposable
{
    private readonly string _adminConnectionString;
    private bool _disposed;

    private PostgresDatabase(string adminConnectionString, string name, string connectionString)
    {
        _adminConnectionString = adminConnectionString;
        Name = name;
        ConnectionString = connectionString;
    }

    /// <summary>The database's name, <c>sy_</c> and a GUID without dashes.</summary>
    public string Name { get; }

    /// <summary>A connection string to this database: the admin one with the database replaced.</summary>
    public string ConnectionString { get; }

    /// <summary>The admin connection string (<c>SWITCHYARD_TEST_POSTGRES</c>) the database was created from.</summary>
    public string AdminConnectionString => _adminConnectionString;

    /// <summary>Creates the database; throws <see cref="InvalidOperationException"/> when <c>SWITCHYARD_TEST_POSTGRES</c> is unset or the server is unreachable.</summary>
    public static async Task<PostgresDatabase> CreateAsync(CancellationToken cancellationToken = default)
    {
        var admin = PostgresTestEnvironment.RequireConnectionString();
        var name = "sy_" + Guid.NewGuid().ToString("N", CultureInfo.InvariantCulture);
        try
        {
            await using var connection = new NpgsqlConnection(admin);
            await connection.OpenAsync(cancellationToken);
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
        catch (Exception e) when (e is NpgsqlException or System.Net.Sockets.SocketException or TimeoutException)
        {
            throw new InvalidOperationException($"Could not create a test database on the SWITCHYARD_TEST_POSTGRES server ({Describe(admin)}): {e.Message}", e);
        }

        var builder = new NpgsqlConnectionStringBuilder(admin) { Database = name };
        return new PostgresDatabase(admin, name, builder.ConnectionString);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        // Idle pooled connections to the database would otherwise linger; FORCE closes any still in use.
        await using (var pooled = new NpgsqlConnection(ConnectionString))
        {
            NpgsqlConnection.ClearPool(pooled);
        }

        await using var connection = new NpgsqlConnection(_adminConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }

    // Where the server is, without the password.
    private static string Describe(string connectionString)
    {
        try
        {
            var builder = new NpgsqlConnectionStringBuilder(connectionString);
            return string.Create(CultureInfo.InvariantCulture, $"Host={builder.Host};Port={builder.Port};Username={builder.Username};Database={builder.Database}");
        }
        catch (ArgumentException)
        {
            return "unparsable connection string";
        }
    }
}

/// <summary>
/// One <see cref="PostgresDatabase"/> shared by the tests of a class (<c>IClassFixture&lt;PostgresDatabaseFixture&gt;</c>).
/// When the tests are skipped (no <c>SWITCHYARD_TEST_POSTGRES</c>, not CI) it creates nothing and only throws if used;
/// in CI without the variable its initialization throws, failing the class's tests.
/// </summary>
public sealed class PostgresDatabaseFixture : IAsyncLifetime
{
    private PostgresDatabase? _database;

    /// <summary>The class's database; throws <see cref="InvalidOperationException"/> when there is none.</summary>
    public PostgresDatabase Database => _database ?? throw new InvalidOperationException(PostgresTestEnvironment.MissingMessage);

    /// <summary>The connection string of the class's database.</summary>
    public string ConnectionString => Database.ConnectionString;

    public async Task InitializeAsync()
    {
        if (PostgresFactAttribute.SkipReason(PostgresTestEnvironment.ConnectionString, PostgresTestEnvironment.CiVariable) is not null)
        {
            return; // The [PostgresFact] tests are skipped: nothing to create.
        }

        _database = await PostgresDatabase.CreateAsync();
    }

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
