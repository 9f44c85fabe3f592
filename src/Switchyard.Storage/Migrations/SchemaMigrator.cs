using System.Data.Common;
using System.Globalization;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;

namespace Switchyard.Storage.Migrations;

/// <summary>
/// Brings a database to this build's schema: applies the embedded <c>Migrations/&lt;Engine&gt;/NNNN_name.sql</c> files
/// not yet recorded in <c>schema_version</c>, in order, one transaction each. Safe when several instances start at
/// once (PostgreSQL: a session advisory lock; SQLite: <c>BEGIN IMMEDIATE</c>, then a re-check).
/// </summary>
/// <remarks>
/// Refuses (with <see cref="SchemaMigrationException"/>) a database migrated by a newer build, and one whose applied
/// migration text no longer matches the file shipped here, rather than running against a schema it does not know.
/// </remarks>
public static class SchemaMigrator
{
    // Any constant shared by every Switchyard instance: the key of the advisory lock migrations hold on PostgreSQL.
    private const long PostgresLockKey = 0x5359_4D49_4752_4154; // "SYMIGRAT"

    /// <summary>The migrations shipped for <paramref name="kind"/>, in version order.</summary>
    public static IReadOnlyList<Migration> For(StoreKind kind)
    {
        var prefix = $"Migrations/{kind}/";
        var assembly = typeof(SchemaMigrator).Assembly;
        var list = new List<Migration>();
        foreach (var resource in assembly.GetManifestResourceNames().Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal)))
        {
            var name = resource[prefix.Length..^4];
            var digits = name.Split('_', 2)[0];
            var version = int.Parse(digits, NumberStyles.None, CultureInfo.InvariantCulture);
            list.Add(Create(version, name, Read(assembly, resource)));
        }

        list.Sort((a, b) => a.Version.CompareTo(b.Version));
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i].Version != i + 1)
            {
                throw new InvalidOperationException($"Migrations for {kind} are not numbered 1..{list.Count} without gaps ({list[i].Name}).");
            }
        }

        return list;
    }

    /// <summary>A migration from its text (the hash is computed here).</summary>
    public static Migration Create(int version, string name, string sql)
    {
        var text = sql.Replace("\r\n", "\n", StringComparison.Ordinal);
        return new Migration(version, name, text, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))));
    }

    /// <summary>Applies what is missing and returns the migrations applied by this call (none when up to date).</summary>
    /// <param name="connection">An open connection to the database.</param>
    /// <param name="kind">Its engine.</param>
    /// <param name="migrations">The migrations to bring it to (default: <see cref="For"/>).</param>
    /// <param name="time">The clock recording when each migration was applied.</param>
    /// <exception cref="SchemaMigrationException">The database is newer than <paramref name="migrations"/>, or an applied one was edited.</exception>
    public static IReadOnlyList<Migration> Migrate(DbConnection connection, StoreKind kind, IReadOnlyList<Migration>? migrations = null, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        migrations ??= For(kind);
        var at = (time ?? TimeProvider.System).GetUtcNow().ToString("O", CultureInfo.InvariantCulture);
        if (kind == StoreKind.Postgres)
        {
            Execute(connection, null, $"SELECT pg_advisory_lock({PostgresLockKey})");
        }

        try
        {
            Execute(connection, null, "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name TEXT NOT NULL, sha256 TEXT NOT NULL, applied_at TEXT NOT NULL)");
            Check(Applied(connection, null), migrations);
            var done = new List<Migration>();
            foreach (var migration in migrations)
            {
                using var tx = BeginWrite(connection, kind);
                // Another SQLite process may have applied it while this one waited for the write lock.
                if (Applied(connection, tx).ContainsKey(migration.Version))
                {
                    tx.Rollback();
                    continue;
                }

                Execute(connection, tx, migration.Sql);
                using (var record = connection.CreateCommand())
                {
                    record.Transaction = tx;
                    record.CommandText = "INSERT INTO schema_version (version, name, sha256, applied_at) VALUES (@v, @n, @h, @t)";
                    Add(record, "@v", migration.Version);
                    Add(record, "@n", migration.Name);
                    Add(record, "@h", migration.Sha256);
                    Add(record, "@t", at);
                    record.ExecuteNonQuery();
                }

                tx.Commit();
                done.Add(migration);
            }

            return done;
        }
        finally
        {
            if (kind == StoreKind.Postgres)
            {
                Execute(connection, null, $"SELECT pg_advisory_unlock({PostgresLockKey})");
            }
        }
    }

    /// <summary>The highest version recorded in the database (0 when none).</summary>
    public static int CurrentVersion(DbConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var applied = Applied(connection, null);
        return applied.Count == 0 ? 0 : applied.Keys.Max();
    }

    private static void Check(Dictionary<int, (string Name, string Sha)> applied, IReadOnlyList<Migration> migrations)
    {
        var known = migrations.ToDictionary(m => m.Version);
        foreach (var (version, (name, sha)) in applied.OrderBy(a => a.Key))
        {
            if (!known.TryGetValue(version, out var migration))
            {
                throw new SchemaMigrationException($"The database's schema is at version {applied.Keys.Max()} ('{name}'), newer than this build of Switchyard knows (up to {migrations.Count}): upgrade Switchyard, or point it at another database.");
            }

            if (!string.Equals(migration.Sha256, sha, StringComparison.OrdinalIgnoreCase))
            {
                throw new SchemaMigrationException($"Migration {migration.Name} was applied to this database with different text (sha256 {sha[..12]}…, this build has {migration.Sha256[..12]}…): a shipped migration must never change; add a new one instead.");
            }
        }
    }

    private static Dictionary<int, (string Name, string Sha)> Applied(DbConnection connection, DbTransaction? tx)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "SELECT version, name, sha256 FROM schema_version";
        using var r = cmd.ExecuteReader();
        var applied = new Dictionary<int, (string, string)>();
        while (r.Read())
        {
            applied[Convert.ToInt32(r.GetValue(0), CultureInfo.InvariantCulture)] = (r.GetString(1), r.GetString(2));
        }

        return applied;
    }

    private static DbTransaction BeginWrite(DbConnection connection, StoreKind kind) => kind == StoreKind.Sqlite
        ? ((Microsoft.Data.Sqlite.SqliteConnection)connection).BeginTransaction(deferred: false) // BEGIN IMMEDIATE: the write lock first
        : connection.BeginTransaction();

    private static void Execute(DbConnection connection, DbTransaction? tx, string sql)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        cmd.ExecuteNonQuery();
    }

    private static void Add(DbCommand cmd, string name, object value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        cmd.Parameters.Add(p);
    }

    private static string Read(Assembly assembly, string resource)
    {
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
