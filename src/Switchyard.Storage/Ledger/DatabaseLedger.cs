using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Threading.Channels;
using Switchyard.Metering;

namespace Switchyard.Storage.Ledger;

/// <summary>
/// The request ledger on a <see cref="StoreDatabase"/> (a SQLite file or PostgreSQL). <see cref="WriteAsync"/> only
/// queues the record in a bounded channel; one background writer inserts queued records in batches, one transaction
/// per batch, so the request path never touches the database. <see cref="DisposeAsync"/> stops intake and flushes
/// every queued record.
/// </summary>
/// <remarks>
/// Thread-safe. If the database cannot be written, the writer keeps the batch and retries with backoff (reconnecting);
/// a request id already in the ledger is skipped, so a batch whose commit was lost in transit is never counted twice.
/// </remarks>
public sealed class DatabaseLedger : ILedgerSink, IAsyncDisposable
{
    private const int MaxBatch = 512;
    private static readonly TimeSpan Linger = TimeSpan.FromMilliseconds(20);
    private static readonly string[] Columns = ["ts", "ts_unix_ms", "request_id", "caller", "requested", "served_model", "provider", "zone", "decision", "input_tokens", "output_tokens", "cached_input_tokens", "cost", "cost_nanousd", "latency_ms", "ttft_ms", "status", "http_status", "error", "streamed", "key_id", "key_prefix", "team_id", "reserved_nanousd", "cache_write_tokens", "upstream_model"];
    private static readonly string InsertSql = $"""
        INSERT INTO requests ({string.Join(", ", Columns)})
        VALUES ({string.Join(", ", Columns.Select(c => "@" + c))})
        ON CONFLICT (request_id) DO NOTHING
        """;

    private readonly Channel<LedgerRecord> _queue;
    private readonly Task _writer;
    private readonly Action<string>? _log;
    private readonly CancellationTokenSource _closing = new();
    private readonly int _capacity;
    private long _written;
    private int _disposed;
    private volatile bool _failing;

    private DatabaseLedger(StoreDatabase database, int capacity, Action<string>? log)
    {
        Database = database;
        _capacity = capacity;
        _log = log;
        _queue = Channel.CreateBounded<LedgerRecord>(new BoundedChannelOptions(capacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>The database written to.</summary>
    public StoreDatabase Database { get; }

    /// <summary>Records written to the database so far.</summary>
    public long Written => Interlocked.Read(ref _written);

    /// <summary>Records queued and not yet written.</summary>
    public int Queued => _queue.Reader.Count;

    /// <summary>Whether the last write to the database failed (records wait in the queue and are retried).</summary>
    public bool Failing => _failing;

    /// <inheritdoc />
    public bool CanAccept => !_failing || _queue.Reader.Count < _capacity;

    /// <summary>Starts a ledger on <paramref name="database"/>, whose schema must be migrated already (see <see cref="SwitchyardStore"/>).</summary>
    /// <param name="database">Where records go.</param>
    /// <param name="capacity">Records that may be queued before writers wait.</param>
    /// <param name="log">Receives writer errors (never record content).</param>
    public static DatabaseLedger Start(StoreDatabase database, int capacity = 10_000, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        return new DatabaseLedger(database, capacity, log);
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

    private async Task WriteLoopAsync()
    {
        DbConnection? connection = null;
        var batch = new List<LedgerRecord>(MaxBatch);
        var reader = _queue.Reader;
        try
        {
            while (await reader.WaitToReadAsync().ConfigureAwait(false))
            {
                // Let a batch gather: one commit per burst instead of one per request (a commit costs far more than an
                // insert). Records still reach the database within the linger, and shutdown flushes at once.
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
                        connection ??= await Database.OpenAsync().ConfigureAwait(false);
                        Insert(connection, Database.Kind, batch);
                        Interlocked.Add(ref _written, batch.Count);
                        batch.Clear();
                        if (_failing)
                        {
                            _failing = false;
                            _log?.Invoke($"Ledger writes to {Database.Display} succeed again.");
                        }

                        break;
                    }
                    catch (Exception ex) when (ex is DbException or InvalidOperationException or IOException or TimeoutException)
                    {
                        _failing = true;
                        _log?.Invoke($"Ledger write of {batch.Count} records to {Database.Display} failed ({ex.GetType().Name}: {ex.Message}); retrying in {delay.TotalSeconds:0.#} s.");
                        if (connection is not null)
                        {
                            await connection.DisposeAsync().ConfigureAwait(false);
                            connection = null;
                        }

                        await Task.Delay(delay).ConfigureAwait(false);
                        delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
                    }
                }
            }
        }
        finally
        {
            if (connection is not null)
            {
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static void Insert(DbConnection connection, StoreKind kind, List<LedgerRecord> batch)
    {
        using var tx = Budgets.BudgetStore.BeginWrite(connection);
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = InsertSql;
        var p = new Dictionary<string, DbParameter>(Columns.Length);
        foreach (var name in Columns)
        {
            var parameter = cmd.CreateParameter();
            parameter.ParameterName = "@" + name;
            parameter.DbType = TypeOf(name, kind);
            cmd.Parameters.Add(parameter);
            p[name] = parameter;
        }

        cmd.Prepare();
        var postgres = kind == StoreKind.Postgres;
        List<(string, long)>? settle = null;
        foreach (var r in batch)
        {
            p["ts"].Value = postgres ? r.Timestamp.ToUniversalTime() : r.Timestamp.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);
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
            p["cost"].Value = postgres ? r.Cost : r.Cost.ToString(CultureInfo.InvariantCulture);
            p["cost_nanousd"].Value = NanoUsd(r.Cost);
            p["latency_ms"].Value = r.LatencyMs;
            p["ttft_ms"].Value = (object?)r.TimeToFirstTokenMs ?? DBNull.Value;
            p["status"].Value = r.Status;
            p["http_status"].Value = r.HttpStatus;
            p["error"].Value = (object?)r.Error ?? DBNull.Value;
            p["streamed"].Value = postgres ? r.Streamed : (r.Streamed ? 1 : 0);
            p["key_id"].Value = (object?)r.KeyId ?? DBNull.Value;
            p["key_prefix"].Value = (object?)r.KeyPrefix ?? DBNull.Value;
            p["team_id"].Value = (object?)r.TeamId ?? DBNull.Value;
            p["reserved_nanousd"].Value = r.ReservedNanoUsd;
            p["cache_write_tokens"].Value = r.CacheWriteTokens;
            p["upstream_model"].Value = (object?)r.UpstreamModel ?? DBNull.Value;
            var inserted = cmd.ExecuteNonQuery() == 1;
            if (inserted && r.ReservedNanoUsd > 0)
            {
                (settle ??= []).Add((r.RequestId, NanoUsd(r.Cost)));
            }
        }

        // Budget holds are settled in the transaction that records their requests: spend equals the ledger's sum,
        // and a batch retried after a lost commit neither records nor charges a request twice.
        if (settle is not null)
        {
            Budgets.BudgetStore.Settle(connection, tx, settle);
        }

        tx.Commit();
    }

    /// <summary>Dollars as integer nano-dollars, rounded half away from zero (the ledger's exact unit).</summary>
    public static long NanoUsd(decimal usd) => (long)decimal.Round(usd * 1_000_000_000m, MidpointRounding.AwayFromZero);

    private static DbType TypeOf(string column, StoreKind kind) => column switch
    {
        "ts" => kind == StoreKind.Postgres ? DbType.DateTimeOffset : DbType.String,
        "ts_unix_ms" or "input_tokens" or "output_tokens" or "cached_input_tokens" or "cost_nanousd" or "reserved_nanousd" or "cache_write_tokens" => DbType.Int64,
        "cost" => kind == StoreKind.Postgres ? DbType.Decimal : DbType.String,
        "latency_ms" or "ttft_ms" => DbType.Double,
        "http_status" => DbType.Int32,
        "streamed" => kind == StoreKind.Postgres ? DbType.Boolean : DbType.Int64,
        _ => DbType.String,
    };
}
