using System.Globalization;
using Microsoft.Data.Sqlite;
using Switchyard.Metering;

namespace Switchyard.Storage.Ledger;

/// <summary>Reads the ledger file: recent records and totals per model.</summary>
public sealed class LedgerReader
{
    private readonly string _connectionString;

    /// <summary>Opens the ledger at <paramref name="path"/> for reading.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    public LedgerReader(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"No ledger at '{Path.GetFullPath(path)}'. Start 'switchyard serve' (which creates it) or pass --ledger PATH.", path);
        }

        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString();
    }

    /// <summary>The newest <paramref name="count"/> records, newest first.</summary>
    public IReadOnlyList<LedgerRecord> Recent(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = """
            SELECT ts, request_id, caller, requested, served_model, provider, zone, decision, input_tokens, output_tokens,
                   cached_input_tokens, cost, latency_ms, ttft_ms, status, http_status, error, streamed
            FROM requests ORDER BY id DESC LIMIT $n
            """;
        cmd.Parameters.AddWithValue("$n", count);
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
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = """
            SELECT ts, request_id, caller, requested, served_model, provider, zone, decision, input_tokens, output_tokens,
                   cached_input_tokens, cost, latency_ms, ttft_ms, status, http_status, error, streamed
            FROM requests WHERE ts_unix_ms >= $from AND ts_unix_ms < $to ORDER BY ts_unix_ms, id
            """;
        cmd.Parameters.AddWithValue("$from", from.ToUnixTimeMilliseconds());
        cmd.Parameters.AddWithValue("$to", to.ToUnixTimeMilliseconds());
        using var r = cmd.ExecuteReader();
        while (r.Read())
        {
            yield return Map(r);
        }
    }

    private static LedgerRecord Map(SqliteDataReader r) => new(
        DateTimeOffset.Parse(r.GetString(0), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
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
        decimal.Parse(r.GetString(11), CultureInfo.InvariantCulture),
        r.GetDouble(12),
        r.IsDBNull(13) ? null : r.GetDouble(13),
        r.GetString(14),
        r.GetInt32(15),
        r.IsDBNull(16) ? null : r.GetString(16),
        r.GetInt64(17) != 0);

    /// <summary>Totals per served model (requests that no model served are grouped under <c>(none)</c>).</summary>
    public IReadOnlyList<LedgerModelTotals> TotalsPerModel()
    {
        using var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var cmd = connection.CreateCommand();
        cmd.CommandText = """
            SELECT COALESCE(served_model, '(none)'), COUNT(*), SUM(status = 'ok'), SUM(status = 'error'),
                   SUM(input_tokens), SUM(output_tokens), SUM(cached_input_tokens), SUM(cost_nanousd), AVG(latency_ms)
            FROM requests GROUP BY 1 ORDER BY 1
            """;
        using var r = cmd.ExecuteReader();
        var list = new List<LedgerModelTotals>();
        while (r.Read())
        {
            list.Add(new LedgerModelTotals(r.GetString(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4), r.GetInt64(5), r.GetInt64(6), r.GetInt64(7) / 1_000_000_000m, r.GetDouble(8)));
        }

        return list;
    }
}
