using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Switchyard.Configuration;
using Switchyard.Metering;

namespace Switchyard.Storage.Ledger;

/// <summary>Reads the ledger (a SQLite file or a PostgreSQL database): recent records and totals per model.</summary>
public sealed class LedgerReader : IAsyncDisposable
{
    private readonly Func<DbConnection> _open;
    private readonly StoreDatabase? _owned;

    /// <summary>Opens the ledger at <paramref name="path"/> for reading.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public LedgerReader(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No ledger at '{Path.GetFullPath(path)}'. Start 'switchyard serve' (which creates it) or pass --ledger PATH.", path);
        }

        var connectionString = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
        _open = () =>
        {
            var connection = new SqliteConnection(connectionString);
            connection.Open();
            return connection;
        };
    }

    /// <summary>Reads the ledger in <paramref name="database"/> (whose schema is migrated: see <see cref="SwitchyardStore"/>).</summary>
    public LedgerReader(StoreDatabase database)
        : this(database, owns: false)
    {
    }

    private LedgerReader(StoreDatabase database, bool owns)
    {
        ArgumentNullException.ThrowIfNull(database);
        _open = database.Open;
        _owned = owns ? database : null;
    }

    /// <summary>
    /// Opens the ledger <paramref name="options"/> configures (a SQLite file, or PostgreSQL with <c>Storage:Provider</c>),
    /// or the SQLite file <paramref name="path"/> when given, bringing its schema up to date first (a file written by an
    /// older release gains the key and team columns). Dispose the reader to close the database.
    /// </summary>
    /// <exception cref="FileNotFoundException">The SQLite file does not exist.</exception>
    /// <exception cref="SwitchyardConfigurationException">The database cannot be reached or migrated; the message names the key.</exception>
    public static LedgerReader Open(SwitchyardOptions options, string? path = null, Func<string, string?>? getEnvironmentVariable = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var sqlite = path ?? (string.Equals(options.Storage.Provider?.Trim(), StorageProviders.Postgres, StringComparison.OrdinalIgnoreCase) ? null : options.Ledger.Path);
        if (sqlite is not null && !File.Exists(sqlite))
        {
            throw new FileNotFoundException($"No ledger at '{Path.GetFullPath(sqlite)}'. Start 'switchyard serve' (which creates it) or pass --ledger PATH.", sqlite);
        }

        var database = sqlite is not null ? StoreDatabase.Sqlite(sqlite) : StoreDatabase.From(options, getEnvironmentVariable);
        try
        {
            using (var connection = database.Open())
            {
                Migrations.SchemaMigrator.Migrate(connection, database.Kind);
            }

            return new LedgerReader(database, owns: true);
        }
        catch (Exception ex) when (ex is DbException or IOException or UnauthorizedAccessException or Migrations.SchemaMigrationException or InvalidOperationException or TimeoutException)
        {
            database.DisposeAsync().AsTask().GetAwaiter().GetResult();
            var key = sqlite is not null ? (path is not null ? "--ledger" : $"{SwitchyardOptions.SectionName}:Ledger:Path") : $"{SwitchyardOptions.SectionName}:Storage:ConnectionString";
            throw new SwitchyardConfigurationException($"{key}: '{database.Display}' is not a readable Switchyard ledger: {ex.Message}");
        }
    }

    /// <summary>Closes the database when <see cref="Open"/> opened it.</summary>
    public ValueTask DisposeAsync() => _owned?.DisposeAsync() ?? default;

    /// <summary>The newest <paramref name="count"/> records, newest first.</summary>
    public IReadOnlyList<LedgerRecord> Recent(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        using var connection = _open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = """
            SELECT ts, request_id, caller, requested, served_model, provider, zone, decision, input_tokens, output_tokens,
                   cached_input_tokens, cost, latency_ms, ttft_ms, status, http_status, error, streamed, key_id, key_prefix, team_id, reserved_nanousd, cache_write_tokens, upstream_model
            FROM requests ORDER BY id DESC LIMIT @n
            """;
        Add(cmd, "@n", (long)count);
        using var r = cmd.ExecuteReader();
        var list = new List<LedgerRecord>();
        while (r.Read())
        {
            list.Add(Map(r));
        }

        return list;
    }

    /// <summary>
    /// Every record from <paramref name="from"/> (inclusive) to <paramref name="to"/> (exclusive), oldest first, read as
    /// the caller enumerates (a month of traffic is never held in memory at once).
    /// </summary>
    public IEnumerable<LedgerRecord> Between(DateTimeOffset from, DateTimeOffset to)
    {
        using var connection = _open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = """
            SELECT ts, request_id, caller, requested, served_model, provider, zone, decision, input_tokens, output_tokens,
                   cached_input_tokens, cost, latency_ms, ttft_ms, status, http_status, error, streamed, key_id, key_prefix, team_id, reserved_nanousd, cache_write_tokens, upstream_model
            FROM requests WHERE ts_unix_ms >= @from AND ts_unix_ms < @to ORDER BY ts_unix_ms, id
            """;
        Add(cmd, "@from", from.ToUnixTimeMilliseconds());
        Add(cmd, "@to", to.ToUnixTimeMilliseconds());
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            yield return Map(r);
        }
    }

    // SQLite keeps the time and the exact cost as text and flags as integers; PostgreSQL as timestamptz, numeric, boolean.
    private static LedgerRecord Map(DbDataReader r) => new(
        r.GetValue(0) switch
        {
            string text => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
            DateTime time => new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc)),
            var other => (DateTimeOffset)other,
        },
        r.GetString(1),
        r.IsDBNull(2) ? null : r.GetString(2),
        r.GetString(3),
        r.IsDBNull(4) ? null : r.GetString(4),
        r.IsDBNull(5) ? null : r.GetString(5),
        r.IsDBNull(6) ? null : r.GetString(6),
        r.GetString(7),
        r.GetInt64(8),
        r.GetInt64(9),
        r.GetInt64(10),
        r.GetValue(11) is string cost ? decimal.Parse(cost, CultureInfo.InvariantCulture) : Convert.ToDecimal(r.GetValue(11), CultureInfo.InvariantCulture),
        r.GetDouble(12),
        r.IsDBNull(13) ? null : r.GetDouble(13),
        r.GetString(14),
        r.GetInt32(15),
        r.IsDBNull(16) ? null : r.GetString(16),
        Convert.ToBoolean(r.GetValue(17), CultureInfo.InvariantCulture),
        r.IsDBNull(18) ? null : r.GetString(18),
        r.IsDBNull(19) ? null : r.GetString(19),
        r.IsDBNull(20) ? null : r.GetString(20),
        Convert.ToInt64(r.GetValue(21), CultureInfo.InvariantCulture),
        Convert.ToInt64(r.GetValue(22), CultureInfo.InvariantCulture),
        r.IsDBNull(23) ? null : r.GetString(23));

    private static void Add(DbCommand cmd, string name, long value)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.Value = value;
        cmd.Parameters.Add(p);
    }

    /// <summary>Totals per served model (requests that no model served are grouped under <c>(none)</c>).</summary>
    public IReadOnlyList<LedgerTotals> TotalsPerModel() => TotalsBy(LedgerGrouping.Model);

    /// <summary>Totals per served model, API key or team, in group order (requests without one under <c>(none)</c>).</summary>
    public IReadOnlyList<LedgerTotals> TotalsBy(LedgerGrouping by)
    {
        var column = by switch
        {
            LedgerGrouping.Model => "served_model",
            LedgerGrouping.Key => "key_prefix",
            LedgerGrouping.Team => "team_id",
            _ => throw new ArgumentOutOfRangeException(nameof(by), by, null),
        };
        using var connection = _open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = $"""
            SELECT COALESCE({column}, '(none)'), COUNT(*), SUM(CASE WHEN status = 'ok' THEN 1 ELSE 0 END), SUM(CASE WHEN status = 'error' THEN 1 ELSE 0 END),
                   SUM(input_tokens), SUM(output_tokens), SUM(cached_input_tokens), SUM(cost_nanousd), AVG(latency_ms)
            FROM requests GROUP BY 1 ORDER BY 1
            """;
        using var r = cmd.ExecuteReader();
        var list = new List<LedgerTotals>();
        while (r.Read())
        {
            list.Add(new LedgerTotals(r.GetString(0), Long(r, 1), Long(r, 2), Long(r, 3), Long(r, 4), Long(r, 5), Long(r, 6), Long(r, 7) / 1_000_000_000m, r.GetDouble(8)));
        }

        return list;
    }

    // PostgreSQL sums bigints as numeric.
    private static long Long(DbDataReader r, int i) => Convert.ToInt64(r.GetValue(i), CultureInfo.InvariantCulture);
}
