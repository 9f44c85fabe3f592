using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using Switchyard.Configuration;

namespace Switchyard.Storage;

/// <summary>Which database engine a <see cref="StoreDatabase"/> speaks to.</summary>
public enum StoreKind
{
    /// <summary>A SQLite file (one gateway instance).</summary>
    Sqlite,

    /// <summary>A PostgreSQL server (many gateway instances).</summary>
    Postgres,
}

/// <summary>
/// The database behind the ledger: hands out open connections of the right kind (pooled for PostgreSQL) and says,
/// without credentials, what it points at.
/// </summary>
public sealed class StoreDatabase : IAsyncDisposable
{
    private readonly string? _sqliteConnectionString;
    private readonly NpgsqlDataSource? _postgres;

    private StoreDatabase(StoreKind kind, string display, string? sqlite, NpgsqlDataSource? postgres)
    {
        Kind = kind;
        Display = display;
        _sqliteConnectionString = sqlite;
        _postgres = postgres;
    }

    /// <summary>The engine.</summary>
    public StoreKind Kind { get; }

    /// <summary>What it points at, for logs: the SQLite file's full path, or <c>postgres://host:port/database</c> (never a password).</summary>
    public string Display { get; }

    /// <summary>A SQLite file, created (with its folder) when first opened.</summary>
    public static StoreDatabase Sqlite(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        var connection = new SqliteConnectionStringBuilder
        {
            DataSource = full,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = 30,
        }.ToString();
        return new StoreDatabase(StoreKind.Sqlite, full, connection, null);
    }

    /// <summary>A PostgreSQL database, reached through a pooled Npgsql data source.</summary>
    /// <exception cref="ArgumentException">The connection string cannot be parsed.</exception>
    public static StoreDatabase Postgres(string connectionString)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        // Fail fast when the server is away (requests must not each wait out Npgsql's 15 s connect timeout), unless the
        // connection string says otherwise.
        var given = new System.Data.Common.DbConnectionStringBuilder { ConnectionString = connectionString };
        if (!given.ContainsKey("Timeout"))
        {
            builder.Timeout = 3;
        }

        if (!given.ContainsKey("Command Timeout") && !given.ContainsKey("CommandTimeout"))
        {
            builder.CommandTimeout = 15;
        }

        if (!given.ContainsKey("Keepalive"))
        {
            builder.KeepAlive = 10;
        }

        var display = $"postgres://{builder.Host}:{builder.Port}/{builder.Database ?? builder.Username}";
        return new StoreDatabase(StoreKind.Postgres, display, null, NpgsqlDataSource.Create(builder));
    }

    /// <summary>The database <paramref name="options"/> configures (<c>Storage:Provider</c>; the SQLite file is <c>Ledger:Path</c>).</summary>
    /// <exception cref="SwitchyardConfigurationException">The connection string is missing or malformed; the message names the key.</exception>
    public static StoreDatabase From(SwitchyardOptions options, Func<string, string?>? getEnvironmentVariable = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var storage = options.Storage;
        var root = $"{SwitchyardOptions.SectionName}:Storage";
        if (!string.Equals(storage.Provider?.Trim(), StorageProviders.Postgres, StringComparison.OrdinalIgnoreCase))
        {
            return Sqlite(options.Ledger.Path);
        }

        var key = $"{root}:ConnectionString";
        var text = storage.ConnectionString;
        if (string.IsNullOrWhiteSpace(text) && !string.IsNullOrWhiteSpace(storage.ConnectionStringEnv))
        {
            key = $"{root}:ConnectionStringEnv";
            text = (getEnvironmentVariable ?? Environment.GetEnvironmentVariable)(storage.ConnectionStringEnv);
            if (string.IsNullOrWhiteSpace(text))
            {
                throw new SwitchyardConfigurationException($"{key}: the environment variable '{storage.ConnectionStringEnv}' is not set (it should hold the PostgreSQL connection string).");
            }
        }

        try
        {
            return Postgres(text!);
        }
        catch (ArgumentException ex)
        {
            throw new SwitchyardConfigurationException($"{key}: not a PostgreSQL connection string: {ex.Message}");
        }
    }

    /// <summary>Opens a connection (SQLite: a new one on the file, in WAL mode; PostgreSQL: one from the pool).</summary>
    public DbConnection Open()
    {
        if (_postgres is not null)
        {
            return _postgres.OpenConnection();
        }

        var dir = Path.GetDirectoryName(Display);
        if (!string.IsNullOrEmpty(dir))
        {
            Directory.CreateDirectory(dir);
        }

        var connection = new SqliteConnection(_sqliteConnectionString);
        try
        {
            connection.Open();
            using var pragma = connection.CreateCommand();
            pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;";
            pragma.ExecuteNonQuery();
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>Opens a connection asynchronously (see <see cref="Open"/>).</summary>
    public async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken = default)
    {
        if (_postgres is not null)
        {
            return await _postgres.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        }

        return Open();
    }

    /// <summary>Closes the PostgreSQL pool.</summary>
    public ValueTask DisposeAsync() => _postgres?.DisposeAsync() ?? default;
}
