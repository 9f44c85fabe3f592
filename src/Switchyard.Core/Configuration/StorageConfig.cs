namespace Switchyard.Configuration;

/// <summary>
/// Where the ledger (and, with keys and budgets, the access state) lives: a SQLite file for one instance, or a
/// PostgreSQL database that several gateway instances share.
/// </summary>
public sealed class StorageConfig
{
    /// <summary><c>sqlite</c> (default: the file at <c>Ledger:Path</c>, no server) or <c>postgres</c>.</summary>
    public string Provider { get; set; } = StorageProviders.Sqlite;

    /// <summary>
    /// The Npgsql connection string for <c>postgres</c>, e.g. <c>Host=db;Database=switchyard;Username=switchyard</c>.
    /// Keep passwords out of the file: use <see cref="ConnectionStringEnv"/> or the <c>PGPASSWORD</c> variable instead.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>The environment variable holding the connection string (used when <see cref="ConnectionString"/> is empty).</summary>
    public string? ConnectionStringEnv { get; set; }
}

/// <summary>The values of <c>Storage:Provider</c>.</summary>
public static class StorageProviders
{
    /// <summary>A SQLite file (one gateway instance).</summary>
    public const string Sqlite = "sqlite";

    /// <summary>A PostgreSQL database (many gateway instances).</summary>
    public const string Postgres = "postgres";
}
