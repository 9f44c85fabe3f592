using System.Globalization;
using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Switchyard.Metering;

namespace Switchyard.Storage.Ledger;

/// <summary>
/// The request ledger on a SQLite file (WAL mode). <see cref="WriteAsync"/> only queues the record in a bounded
/// channel; one background writer inserts queued records in batches, one transaction per batch, so the request
/// path never touches the database. <see cref="DisposeAsync"/> stops intake and flushes every queued record.
/// </summary>
/// <remarks>Thread-safe. If the database cannot be written, the writer keeps the batch and retries with backoff.</remarks>
public sealed class SqliteLedger : ILedgerSink, IAsyncDisposable
{
    private const int MaxBatch = 512;
    private static readonly TimeSpan Linger = TimeSpan.FromMilliseconds(20);
    private readonly Channel<LedgerRecord> _queue;
    private readonly string _connectionString;
    private readonly Task _writer;
    private readonly Action<string>? _log;
    private readonly CancellationTokenSource _closing = new();
    private long _written;
    private int _disposed;

    private SqliteLedger(string path, int capacity, Action<string>? log)
    {
        Path = System.IO.Path.GetFullPath(path);
        _log = log;
        _connectionString = ConnectionStringFor(Path);
        _queue = Channel.CreateBounded<LedgerRecord>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>The full path of the database file.</summary>
    public string Path { get; }

    /// <summary>Records written to the database so far.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Opens (creating if needed) the ledger at <paramref name="path"/> and starts its writer.</summary>
    /// <param name="path">The SQLite file.</param>
    /// <param name="capacity">Records that may be queued before writers wait.</param>
    /// <param name="log">Receives writer errors (never record content).</param>
    public static SqliteLedger Open(string path, int capacity = 10_000, Action<string>? log = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var dir = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(dir))
        {
            Directory.CreateDirectory(dir);
        }

        using (var connection = new SqliteConnection(ConnectionStringFor(path)))
        {
            connection.Open();
            LedgerSchema.Ensure(connection);
        }

        return new SqliteLedger(path, capacity, log);
    }

    /// <inheritdoc />
    public ValueTask WriteAsync(LedgerRecord record, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(record);
        return _queue.Writer.TryWrite(record) ? default : _queue.Writer.WriteAsync(record, cancellationToken);
    }

    /// <summary>Stops accepting records and waits until every queued record is in the database. Safe to call twice.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            await _writer.ConfigureAwait(false);
            return;
        }

        _queue.Writer.TryComplete();
        await _closing.CancelAsync().ConfigureAwait(false);
        await _writer.ConfigureAwait(false);
        _closing.Dispose();
    }

    internal static string ConnectionStringFor(string path) => new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = false,
        DefaultTimeout = 30,
    }.ToString();

    private async Task WriteLoopAsync()
    {
        await using var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        using (var pragma = connection.CreateCommand())
        {
            pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;";
            await pragma.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        var batch = new List<LedgerRecord>(MaxBatch);
        var reader = _queue.Reader;
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            // Let a batch gather: one commit per burst instead of one per request (a commit costs far more than an
            // insert). Records still reach the file within the linger, and shutdown flushes at once.
            if (reader.Count < MaxBatch && !_closing.IsCancellationRequested)
            {
                try
                {
                    await Task.Delay(Linger, _closing.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // Shutting down: write what is there now.
                }
            }

            while (batch.Count < MaxBatch && reader.TryRead(out var record))
            {
                batch.Add(record);
            }

            var delay = TimeSpan.FromMilliseconds(100);
            while (true)
            {
                try
                {
                    Insert(connection, batch);
                    Interlocked.Add(ref _written, batch.Count);
                    batch.Clear();
                    break;
                }
                catch (SqliteException ex)
                {
                    _log?.Invoke($"Ledger write of {batch.Count} records to {Path} failed ({ex.SqliteErrorCode}: {ex.Message}); retrying in {delay.TotalSeconds:0.#} s.");
                    await Task.Delay(delay).ConfigureAwait(false);
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
                }
            }
        }
    }

    private static void Insert(SqliteConnection connection, List<LedgerRecord> batch)
    {
        using var tx = connection.BeginTransaction();
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = """
            INSERT INTO requests (ts, ts_unix_ms, request_id, caller, requested, served_model, provider, zone, decision,
              input_tokens, output_tokens, cached_input_tokens, cost, cost_nanousd, latency_ms, ttft_ms, status, http_status, error, streamed)
            VALUES ($ts, $ts_unix_ms, $request_id, $caller, $requested, $served_model, $provider, $zone, $decision,
              $input_tokens, $output_tokens, $cached_input_tokens, $cost, $cost_nanousd, $latency_ms, $ttft_ms, $status, $http_status, $error, $streamed)
            """;
        var p = new Dictionary<string, SqliteParameter>();
        foreach (var name in new[] { "ts", "ts_unix_ms", "request_id", "caller", "requested", "served_model", "provider", "zone", "decision", "input_tokens", "output_tokens", "cached_input_tokens", "cost", "cost_nanousd", "latency_ms", "ttft_ms", "status", "http_status", "error", "streamed" })
        {
            p[name] = cmd.Parameters.Add(new SqliteParameter("$" + name, null));
        }

        cmd.Prepare();
        foreach (var r in batch)
        {
            p["ts"].Value = r.Timestamp.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
            p["ts_unix_ms"].Value = r.Timestamp.ToUnixTimeMilliseconds();
            p["request_id"].Value = r.RequestId;
            p["caller"].Value = (object?)r.Caller ?? DBNull.Value;
            p["requested"].Value = r.Requested;
            p["served_model"].Value = (object?)r.ServedModel ?? DBNull.Value;
            p["provider"].Value = (object?)r.Provider ?? DBNull.Value;
            p["zone"].Value = (object?)r.Zone ?? DBNull.Value;
            p["decision"].Value = r.DecisionJson;
            p["input_tokens"].Value = r.InputTokens;
            p["output_tokens"].Value = r.OutputTokens;
            p["cached_input_tokens"].Value = r.CachedInputTokens;
            p["cost"].Value = r.Cost.ToString(CultureInfo.InvariantCulture);
            p["cost_nanousd"].Value = (long)decimal.Round(r.Cost * 1_000_000_000m, MidpointRounding.AwayFromZero);
            p["latency_ms"].Value = r.LatencyMs;
            p["ttft_ms"].Value = (object?)r.TimeToFirstTokenMs ?? DBNull.Value;
            p["status"].Value = r.Status;
            p["http_status"].Value = r.HttpStatus;
            p["error"].Value = (object?)r.Error ?? DBNull.Value;
            p["streamed"].Value = r.Streamed ? 1 : 0;
            cmd.ExecuteNonQuery();
        }

        tx.Commit();
    }
}
