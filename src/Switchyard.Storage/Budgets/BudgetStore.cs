using System.Data;
using System.Data.Common;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Switchyard.Access;

namespace Switchyard.Storage.Budgets;

/// <summary>
/// Budgets on the shared database: reserve-then-settle, atomic across gateway instances. A reservation is one
/// transaction of conditional updates, one per applicable budget in ascending id order
/// (<c>spent + reserved + amount &lt;= limit</c>, re-checked by PostgreSQL on the newest row version after a lock
/// wait; SQLite takes the write lock first with <c>BEGIN IMMEDIATE</c>). Overspend is therefore bounded by what is in
/// flight, never by a race. Settlement happens in the ledger's batch transaction (see <see cref="Ledger.DatabaseLedger"/>).
/// </summary>
/// <remarks>
/// Holds carry a lease: a crashed instance's holds are freed by <see cref="SweepAsync"/> (run periodically by every
/// instance) once they expire. Spend is never cached: every reservation reads the current row.
/// </remarks>
public sealed class BudgetStore : IBudgetGate
{
    private readonly StoreDatabase _database;
    private readonly TimeProvider _time;
    private readonly TimeSpan _lease;
    private readonly Action<string>? _log;
    private readonly TimeSpan _scopesFor;
    private readonly bool _failOpen;
    private readonly Routing.CircuitBreaker _breaker;
    private Scopes? _scopes;

    /// <summary>Creates the store.</summary>
    /// <param name="database">The (migrated) database.</param>
    /// <param name="lease">How long a hold survives without being settled (longer than any request may take).</param>
    /// <param name="scopesFor">
    /// How long the list of scopes that have budgets is trusted (a request under none skips the database); a budget
    /// set on another instance applies here within this time. Limits and spend are always read from the database.
    /// </param>
    /// <param name="timeProvider">The clock: periods roll over at its UTC midnight and month start.</param>
    /// <param name="log">Receives store errors.</param>
    /// <param name="failOpen">While the store is unreachable, admit paid candidates without a hold (<c>Budgets:WhenStoreDown open</c>) instead of refusing them.</param>
    public BudgetStore(StoreDatabase database, TimeSpan lease, TimeSpan scopesFor, TimeProvider? timeProvider = null, Action<string>? log = null, bool failOpen = false)
    {
        _failOpen = failOpen;
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
        _lease = lease;
        _scopesFor = scopesFor;
        _time = timeProvider ?? TimeProvider.System;
        _log = log;
        // After a failure the store is not tried again for a second: requests do not each wait out a connect timeout.
        _breaker = new Routing.CircuitBreaker(1, TimeSpan.FromSeconds(1), _time);
        InstanceId = Guid.NewGuid().ToString("N")[..12];
    }

    /// <summary>This process's id, recorded on its holds.</summary>
    public string InstanceId { get; }

    /// <inheritdoc />
    public async ValueTask<BudgetAdmission> ReserveAsync(BudgetRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.AmountNanoUsd <= 0 && request.Principal?.Key.BudgetBlocksFree != true)
        {
            // A spend budget never blocks a zero-cost (self-hosted) candidate unless the key says so.
            return BudgetAdmission.Free;
        }

        if (!_breaker.TryAcquire(out _))
        {
            return Unavailable();
        }

        try
        {
            BudgetAdmission admission;
            if (!(await ScopesAsync(cancellationToken).ConfigureAwait(false)).Cover(request.Principal))
            {
                admission = BudgetAdmission.Free;
            }
            else
            {
                await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
                admission = Reserve(connection, request);
            }

            _breaker.RecordSuccess();
            return admission;
        }
        catch (Exception ex) when (ex is DbException or TimeoutException or IOException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
        {
            _breaker.RecordFailure();
            _log?.Invoke($"Budget reservation for request {request.RequestId} failed ({ex.GetType().Name}: {ex.Message}); {(_failOpen ? "serving paid candidates without a hold (Budgets:WhenStoreDown open)" : "paid candidates are refused until the store answers")}.");
            return Unavailable();
        }
    }

    private BudgetAdmission Unavailable() => _failOpen
        ? new BudgetAdmission(true, null, null, StoreUnavailable: true)
        : new BudgetAdmission(false, null, "the budget store is unreachable", StoreUnavailable: true);

    /// <inheritdoc />
    public async ValueTask ReleaseAsync(string reservationId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(reservationId);
        try
        {
            await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
            using var tx = BeginWrite(connection);
            var held = TakeHolds(connection, tx, "id = @id", ("@id", reservationId, DbType.String));
            Apply(connection, tx, held.Select(h => (h.BudgetId, h.PeriodStart, -h.Amount, 0L)));
            tx.Commit();
        }
        catch (Exception ex) when (ex is DbException or TimeoutException or IOException or InvalidOperationException)
        {
            // The hold stays until the ledger settles the request or its lease expires; never lost, only late.
            _log?.Invoke($"Releasing budget hold {reservationId} failed ({ex.GetType().Name}: {ex.Message}); it is settled with the request's ledger row.");
        }
    }

    /// <summary>Frees holds whose lease expired (their instance crashed or lost the database): returns how many.</summary>
    public async ValueTask<int> SweepAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var tx = BeginWrite(connection);
        var held = TakeHolds(connection, tx, "expires_ms < @now", ("@now", _time.GetUtcNow().ToUnixTimeMilliseconds(), DbType.Int64));
        Apply(connection, tx, held.Select(h => (h.BudgetId, h.PeriodStart, -h.Amount, 0L)));
        tx.Commit();
        return held.Select(h => h.Id).Distinct().Count();
    }

    /// <summary>
    /// Settles the holds of requests just recorded in the ledger, inside the ledger's transaction: releases each hold
    /// and adds the request's actual cost to every budget it held against.
    /// </summary>
    /// <param name="connection">The ledger writer's connection.</param>
    /// <param name="transaction">Its open transaction.</param>
    /// <param name="settled">Each request id with its actual cost in nano-dollars.</param>
    public static void Settle(DbConnection connection, DbTransaction transaction, IEnumerable<(string RequestId, long CostNanoUsd)> settled)
    {
        ArgumentNullException.ThrowIfNull(settled);
        var changes = new List<(long, long, long, long)>();
        foreach (var (requestId, cost) in settled)
        {
            var held = TakeHolds(connection, transaction, "request_id = @r", ("@r", requestId, DbType.String));
            foreach (var group in held.GroupBy(h => h.BudgetId))
            {
                // Holds on one budget from two attempts (failover) release both; the cost is charged once, to the newest period.
                var latest = group.MaxBy(h => h.PeriodStart)!;
                foreach (var h in group)
                {
                    changes.Add((h.BudgetId, h.PeriodStart, -h.Amount, h == latest ? cost : 0));
                }
            }
        }

        Apply(connection, transaction, changes);
    }

    private async ValueTask<Scopes> ScopesAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetTimestamp();
        if (Volatile.Read(ref _scopes) is { } cached && _time.GetElapsedTime(cached.At, now) < _scopesFor)
        {
            return cached;
        }

        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var cmd = connection.CreateCommand();
        cmd.CommandText = "SELECT DISTINCT scope_kind, scope_id FROM budgets";
        var set = new HashSet<string>(StringComparer.Ordinal);
        using (var r = cmd.ExecuteReader())
        {
            while (r.Read())
            {
                set.Add(r.GetString(0) + ":" + r.GetString(1));
            }
        }

        var scopes = new Scopes(set, now);
        Volatile.Write(ref _scopes, scopes);
        return scopes;
    }

    private BudgetAdmission Reserve(DbConnection connection, BudgetRequest request)
    {
        var now = _time.GetUtcNow();
        using var tx = BeginWrite(connection);
        var budgets = Applicable(connection, tx, request.Principal);
        if (budgets.Count == 0)
        {
            tx.Commit();
            return BudgetAdmission.Free;
        }

        var reservation = Guid.NewGuid().ToString("N");
        var expires = now.Add(_lease).ToUnixTimeMilliseconds();
        foreach (var budget in budgets)
        {
            var start = BudgetPeriods.StartOf(budget.Period, now).ToUnixTimeMilliseconds();
            Execute(connection, tx, "INSERT INTO budget_usage (budget_id, period_start_ms) VALUES (@b, @p) ON CONFLICT DO NOTHING",
                ("@b", budget.Id, DbType.Int64), ("@p", start, DbType.Int64));
            var updated = Execute(connection, tx, """
                UPDATE budget_usage SET reserved_nanousd = reserved_nanousd + @a
                WHERE budget_id = @b AND period_start_ms = @p
                  AND spent_nanousd + reserved_nanousd + @a <= (SELECT limit_nanousd FROM budgets WHERE id = @b)
                  AND (@a > 0 OR spent_nanousd + reserved_nanousd < (SELECT limit_nanousd FROM budgets WHERE id = @b))
                """, ("@a", request.AmountNanoUsd, DbType.Int64), ("@b", budget.Id, DbType.Int64), ("@p", start, DbType.Int64));
            if (updated == 0)
            {
                tx.Rollback();
                return new BudgetAdmission(false, null, $"the {budget.Period} budget of {Owner(budget, request.Principal)} (${budget.LimitNanoUsd / 1e9m:0.00####}) cannot cover {request.Candidate}'s worst case (${request.AmountNanoUsd / 1e9m:0.00####})");
            }

            if (request.AmountNanoUsd > 0)
            {
                Execute(connection, tx, """
                    INSERT INTO reservations (id, budget_id, period_start_ms, amount_nanousd, request_id, instance_id, expires_ms)
                    VALUES (@id, @b, @p, @a, @r, @i, @e)
                    """, ("@id", reservation, DbType.String), ("@b", budget.Id, DbType.Int64), ("@p", start, DbType.Int64), ("@a", request.AmountNanoUsd, DbType.Int64),
                    ("@r", request.RequestId, DbType.String), ("@i", InstanceId, DbType.String), ("@e", expires, DbType.Int64));
            }
        }

        tx.Commit();
        return request.AmountNanoUsd > 0 ? new BudgetAdmission(true, reservation, null) : BudgetAdmission.Free;
    }

    private static string Owner(Budget budget, RequestPrincipal? principal) => budget.ScopeKind switch
    {
        "key" => $"key {principal?.KeyPrefix}",
        "team" => $"team '{principal?.Team?.Name ?? budget.ScopeId}'",
        _ => "the gateway (global)",
    };

    private static List<Budget> Applicable(DbConnection connection, DbTransaction tx, RequestPrincipal? principal)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = """
            SELECT id, scope_kind, scope_id, period, limit_nanousd FROM budgets
            WHERE (scope_kind = 'key' AND scope_id = @k) OR (scope_kind = 'team' AND scope_id = @t) OR scope_kind = 'global'
            ORDER BY id
            """;
        Add(cmd, "@k", (object?)principal?.KeyId ?? DBNull.Value, DbType.String);
        Add(cmd, "@t", (object?)principal?.TeamId ?? DBNull.Value, DbType.String);
        using var r = cmd.ExecuteReader();
        var list = new List<Budget>();
        while (r.Read())
        {
            list.Add(new Budget(Convert.ToInt64(r.GetValue(0), CultureInfo.InvariantCulture), r.GetString(1), r.GetString(2), r.GetString(3), Convert.ToInt64(r.GetValue(4), CultureInfo.InvariantCulture)));
        }

        return list;
    }

    private static List<Hold> TakeHolds(DbConnection connection, DbTransaction tx, string where, (string Name, object Value, DbType Type) parameter)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = $"DELETE FROM reservations WHERE {where} RETURNING id, budget_id, period_start_ms, amount_nanousd";
        Add(cmd, parameter.Name, parameter.Value, parameter.Type);
        using var r = cmd.ExecuteReader();
        var list = new List<Hold>();
        while (r.Read())
        {
            list.Add(new Hold(r.GetString(0), Convert.ToInt64(r.GetValue(1), CultureInfo.InvariantCulture), Convert.ToInt64(r.GetValue(2), CultureInfo.InvariantCulture), Convert.ToInt64(r.GetValue(3), CultureInfo.InvariantCulture)));
        }

        return list;
    }

    // Changes to budget rows, applied in ascending (budget, period) order, the order reservations lock them in: no deadlock.
    private static void Apply(DbConnection connection, DbTransaction tx, IEnumerable<(long BudgetId, long PeriodStart, long Reserved, long Spent)> changes)
    {
        foreach (var c in changes.GroupBy(c => (c.BudgetId, c.PeriodStart)).OrderBy(g => g.Key.BudgetId).ThenBy(g => g.Key.PeriodStart))
        {
            Execute(connection, tx, """
                UPDATE budget_usage SET reserved_nanousd = reserved_nanousd + @dr, spent_nanousd = spent_nanousd + @ds
                WHERE budget_id = @b AND period_start_ms = @p
                """, ("@dr", c.Sum(x => x.Reserved), DbType.Int64), ("@ds", c.Sum(x => x.Spent), DbType.Int64), ("@b", c.Key.BudgetId, DbType.Int64), ("@p", c.Key.PeriodStart, DbType.Int64));
        }
    }

    /// <summary>A write transaction: <c>BEGIN IMMEDIATE</c> on SQLite (the write lock first, across processes), READ COMMITTED on PostgreSQL.</summary>
    internal static DbTransaction BeginWrite(DbConnection connection) =>
        connection is SqliteConnection sqlite ? sqlite.BeginTransaction(deferred: false) : connection.BeginTransaction(IsolationLevel.ReadCommitted);

    private static int Execute(DbConnection connection, DbTransaction tx, string sql, params (string Name, object Value, DbType Type)[] parameters)
    {
        using var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        foreach (var (name, value, type) in parameters)
        {
            Add(cmd, name, value, type);
        }

        return cmd.ExecuteNonQuery();
    }

    private static void Add(DbCommand cmd, string name, object value, DbType type)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.DbType = type;
        p.Value = value;
        cmd.Parameters.Add(p);
    }

    private sealed record Scopes(HashSet<string> Keys, long At)
    {
        public bool Cover(RequestPrincipal? principal) =>
            Keys.Count > 0 && (Keys.Contains("global:*") || (principal is not null && (Keys.Contains("key:" + principal.KeyId) || (principal.TeamId is { } team && Keys.Contains("team:" + team)))));
    }

    private sealed record Budget(long Id, string ScopeKind, string ScopeId, string Period, long LimitNanoUsd);

    private sealed record Hold(string Id, long BudgetId, long PeriodStart, long Amount);
}
