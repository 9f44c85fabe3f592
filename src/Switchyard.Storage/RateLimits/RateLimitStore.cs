using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Text;
using Switchyard.Access;
using Switchyard.Storage.Budgets;

namespace Switchyard.Storage.RateLimits;

/// <summary>
/// Requests and tokens per minute on the shared database, exact across gateway instances: each scope's window is the
/// sum of its 1-second buckets (<c>rate_buckets</c>) from the last 60 seconds. Admission is one transaction that
/// serializes on every limited scope (PostgreSQL: <c>pg_advisory_xact_lock</c> per scope in sorted order under READ
/// COMMITTED; SQLite: <c>BEGIN IMMEDIATE</c>), reads the windows, and either charges the current second's bucket of
/// every scope or charges none.
/// </summary>
/// <remarks>
/// The window is exact to one second: a request counted at 12:00:00.900 leaves it at 12:01:00.000. Every instance
/// should call <see cref="SweepAsync"/> now and then (rows older than 120 s are no longer read).
/// </remarks>
public sealed class RateLimitStore : IRateLimiter
{
    /// <summary>The window's length in seconds (one bucket per second).</summary>
    public const int WindowSeconds = 60;

    /// <summary>How old a bucket gets, in seconds, before <see cref="SweepAsync"/> deletes it.</summary>
    public const int KeepSeconds = 120;

    private static readonly TimeSpan MinimumRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Never = TimeSpan.FromSeconds(WindowSeconds);

    private readonly StoreDatabase _database;
    private readonly TimeProvider _time;
    private readonly Action<string>? _log;

    /// <summary>Creates the store.</summary>
    /// <param name="database">The (migrated) database every instance shares.</param>
    /// <param name="timeProvider">The clock that picks the current second (tests drive it with a fake one).</param>
    /// <param name="log">Receives store errors (admission then answers <see cref="RateLimitDecision.StoreUnavailable"/>).</param>
    public RateLimitStore(StoreDatabase database, TimeProvider? timeProvider = null, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        _database = database;
        _time = timeProvider ?? TimeProvider.System;
        _log = log;
    }

    /// <inheritdoc />
    public async ValueTask<RateLimitDecision> AdmitAsync(IReadOnlyList<RateLimitScope> scopes, long tokens, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        ArgumentOutOfRangeException.ThrowIfNegative(tokens);
        var limited = Limited(scopes);
        if (limited.Count == 0)
        {
            return new RateLimitDecision(true, null, null, null, TimeSpan.Zero) { AdmittedAt = _time.GetUtcNow() };
        }

        try
        {
            await using var connection = await _database.OpenAsync(ct).ConfigureAwait(false);
            return await AdmitAsync(connection, limited, tokens, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is DbException or TimeoutException or IOException or InvalidOperationException && !ct.IsCancellationRequested)
        {
            _log?.Invoke($"Rate-limit admission for {string.Join(", ", limited.Select(s => s.Scope))} failed ({ex.GetType().Name}: {ex.Message}).");
            return new RateLimitDecision(false, null, null, null, MinimumRetry, StoreUnavailable: true)
            {
                Reason = "the rate-limit store is unreachable",
                AdmittedAt = _time.GetUtcNow(),
            };
        }
    }

    /// <inheritdoc />
    public async ValueTask CorrectTokensAsync(IReadOnlyList<RateLimitScope> scopes, DateTimeOffset admittedAt, long delta, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(scopes);
        var limited = Limited(scopes);
        var second = Second(admittedAt.ToUnixTimeMilliseconds());
        if (delta == 0 || limited.Count == 0 || second <= Second(_time.GetUtcNow().ToUnixTimeMilliseconds()) - WindowSeconds)
        {
            return; // Nothing to change, or the bucket no longer counts.
        }

        try
        {
            await using var connection = await _database.OpenAsync(ct).ConfigureAwait(false);
            await using var tx = BudgetStore.BeginWrite(connection);
            using var cmd = Command(connection, tx);
            var sql = new StringBuilder();
            for (var i = 0; i < limited.Count; i++)
            {
                // Never below zero: a bucket holds other requests' tokens too.
                sql.Append(CultureInfo.InvariantCulture, $"UPDATE rate_buckets SET tokens = CASE WHEN tokens + @d < 0 THEN 0 ELSE tokens + @d END WHERE scope = @s{i} AND second = @sec;\n");
                Add(cmd, $"@s{i}", limited[i].Scope, DbType.String);
            }

            cmd.CommandText = sql.ToString();
            Add(cmd, "@d", delta, DbType.Int64);
            Add(cmd, "@sec", second, DbType.Int64);
            await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            await tx.CommitAsync(ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is DbException or TimeoutException or IOException or InvalidOperationException && !ct.IsCancellationRequested)
        {
            _log?.Invoke($"Correcting the token charge of {string.Join(", ", limited.Select(s => s.Scope))} by {delta} failed ({ex.GetType().Name}: {ex.Message}); the admission charge stands.");
        }
    }

    /// <summary>Deletes buckets older than <see cref="KeepSeconds"/> seconds and returns how many; store errors are thrown.</summary>
    public async ValueTask<int> SweepAsync(CancellationToken cancellationToken = default)
    {
        var cut = Second(_time.GetUtcNow().ToUnixTimeMilliseconds()) - KeepSeconds;
        await using var connection = await _database.OpenAsync(cancellationToken).ConfigureAwait(false);
        using var cmd = Command(connection, null);
        cmd.CommandText = "DELETE FROM rate_buckets WHERE second < @cut";
        Add(cmd, "@cut", cut, DbType.Int64);
        return await cmd.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask<RateLimitDecision> AdmitAsync(DbConnection connection, List<RateLimitScope> limited, long tokens, CancellationToken ct)
    {
        var before = _time.GetUtcNow();
        await using var tx = BudgetStore.BeginWrite(connection);
        var windows = limited.Select(s => new Window(s)).ToList();
        var byScope = windows.ToDictionary(w => w.Limits.Scope, StringComparer.Ordinal);
        using (var read = Command(connection, tx))
        {
            var sql = new StringBuilder();
            var scopes = new StringBuilder();
            for (var i = 0; i < windows.Count; i++)
            {
                if (_database.Kind == StoreKind.Postgres)
                {
                    // One lock per scope, in sorted order (no deadlock); held until commit or rollback. Each statement
                    // runs after the previous one returned, so the read below sees every admission that held a lock first.
                    sql.Append(CultureInfo.InvariantCulture, $"SELECT pg_advisory_xact_lock(hashtextextended(@s{i}, 0));\n");
                }

                scopes.Append(CultureInfo.InvariantCulture, $"{(i == 0 ? "" : ", ")}@s{i}");
                Add(read, $"@s{i}", windows[i].Limits.Scope, DbType.String);
            }

            sql.Append(CultureInfo.InvariantCulture, $"SELECT scope, second, requests, tokens FROM rate_buckets WHERE scope IN ({scopes}) AND second > @from ORDER BY scope, second");
            read.CommandText = sql.ToString();
            Add(read, "@from", Second(before.ToUnixTimeMilliseconds()) - WindowSeconds, DbType.Int64);
            await using var r = await read.ExecuteReaderAsync(ct).ConfigureAwait(false);
            do
            {
                if (r.FieldCount != 4)
                {
                    continue; // a lock's result
                }

                while (await r.ReadAsync(ct).ConfigureAwait(false))
                {
                    byScope[r.GetString(0)].Buckets.Add(new Bucket(Long(r.GetValue(1)), Long(r.GetValue(2)), Long(r.GetValue(3))));
                }
            }
            while (await r.NextResultAsync(ct).ConfigureAwait(false));
        }

        // The time once the scopes are ours (a lock wait may have taken a while); the read above covers a superset.
        var at = _time.GetUtcNow();
        if (at < before)
        {
            at = before;
        }

        var nowMs = at.ToUnixTimeMilliseconds();
        var now = Second(nowMs);
        foreach (var w in windows)
        {
            w.Buckets.RemoveAll(b => b.Second <= now - WindowSeconds);
        }

        var refusals = windows.Select(w => w.Check(tokens, nowMs)).OfType<Refusal>().ToList();
        if (refusals.Count > 0)
        {
            await tx.RollbackAsync(ct).ConfigureAwait(false);
            var worst = refusals.MaxBy(f => f.RetryAfter)!;
            return new RateLimitDecision(false, worst.Scope, Tightest(windows, w => w.Requests(0, nowMs)), Tightest(windows, w => w.Tokens(0, nowMs)), worst.RetryAfter)
            {
                Reason = worst.Reason,
                AdmittedAt = at,
            };
        }

        using (var write = Command(connection, tx))
        {
            var sql = new StringBuilder();
            for (var i = 0; i < windows.Count; i++)
            {
                sql.Append(CultureInfo.InvariantCulture, $"""
                    INSERT INTO rate_buckets (scope, second, requests, tokens) VALUES (@s{i}, @now, 1, @t)
                    ON CONFLICT (scope, second) DO UPDATE SET requests = rate_buckets.requests + 1, tokens = rate_buckets.tokens + @t;

                    """);
                Add(write, $"@s{i}", windows[i].Limits.Scope, DbType.String);
            }

            write.CommandText = sql.ToString();
            Add(write, "@now", now, DbType.Int64);
            Add(write, "@t", tokens, DbType.Int64);
            await write.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        await tx.CommitAsync(ct).ConfigureAwait(false);
        foreach (var w in windows)
        {
            w.Buckets.Add(new Bucket(now, 1, tokens));
        }

        return new RateLimitDecision(true, null, Tightest(windows, w => w.Requests(0, nowMs)), Tightest(windows, w => w.Tokens(0, nowMs)), TimeSpan.Zero) { AdmittedAt = at };
    }

    // The scopes that have a limit, once each (the tighter limits when one is named twice), in ordinal order: the lock order.
    private static List<RateLimitScope> Limited(IReadOnlyList<RateLimitScope> scopes)
    {
        foreach (var s in scopes)
        {
            ArgumentNullException.ThrowIfNull(s, nameof(scopes));
            ArgumentException.ThrowIfNullOrEmpty(s.Scope, nameof(scopes));
        }

        return scopes.Where(s => s.IsLimited)
            .GroupBy(s => s.Scope, StringComparer.Ordinal)
            .Select(g => new RateLimitScope(g.Key, g.Min(s => s.Rpm), g.Min(s => s.Tpm)))
            .OrderBy(s => s.Scope, StringComparer.Ordinal)
            .ToList();
    }

    // The least remaining (then the smallest limit) among the scopes that have this limit.
    private static RateLimitState? Tightest(List<Window> windows, Func<Window, RateLimitState?> state) =>
        windows.Select(state).OfType<RateLimitState>().OrderBy(s => s.Remaining).ThenBy(s => s.Limit).FirstOrDefault();

    private static long Second(long unixMs) => (unixMs - (((unixMs % 1000) + 1000) % 1000)) / 1000;

    private static long Long(object value) => Convert.ToInt64(value, CultureInfo.InvariantCulture);

    private static DbCommand Command(DbConnection connection, DbTransaction? tx)
    {
        var cmd = connection.CreateCommand();
        cmd.Transaction = tx;
        return cmd;
    }

    private static void Add(DbCommand cmd, string name, object value, DbType type)
    {
        var p = cmd.CreateParameter();
        p.ParameterName = name;
        p.DbType = type;
        p.Value = value;
        cmd.Parameters.Add(p);
    }

    private sealed record Bucket(long Second, long Requests, long Tokens);

    private sealed record Refusal(string Scope, TimeSpan RetryAfter, string Reason);

    // One scope's limits and its buckets in the window, oldest first.
    private sealed class Window(RateLimitScope limits)
    {
        public RateLimitScope Limits { get; } = limits;

        public List<Bucket> Buckets { get; } = [];

        public RateLimitState? Requests(long charge, long nowMs) => Limits.Rpm is { } rpm
            ? new RateLimitState(rpm, Math.Max(0, rpm - Buckets.Sum(b => b.Requests) - charge), Reset(b => b.Requests > 0, nowMs))
            : null;

        public RateLimitState? Tokens(long charge, long nowMs) => Limits.Tpm is { } tpm
            ? new RateLimitState(tpm, Math.Max(0, tpm - Buckets.Sum(b => b.Tokens) - charge), Reset(b => b.Tokens > 0, nowMs))
            : null;

        // Null when one more request of this many tokens fits; else how long until it would, and why not.
        public Refusal? Check(long tokens, long nowMs)
        {
            TimeSpan? retry = null;
            var reasons = new List<string>();
            if (Limits.Rpm is { } rpm)
            {
                var used = Buckets.Sum(b => b.Requests);
                if (used + 1 > rpm)
                {
                    retry = Max(retry, rpm <= 0 ? Never : Frees(used + 1 - rpm, b => b.Requests, nowMs));
                    reasons.Add(rpm <= 0
                        ? "no requests are allowed"
                        : string.Create(CultureInfo.InvariantCulture, $"{used} of {rpm} requests per minute used"));
                }
            }

            if (Limits.Tpm is { } tpm)
            {
                var used = Buckets.Sum(b => b.Tokens);
                if (tokens > tpm)
                {
                    retry = Max(retry, Never);
                    reasons.Add(string.Create(CultureInfo.InvariantCulture, $"the request needs {tokens} tokens, more than the {tpm} tokens per minute allowed, so it can never be admitted (lower max_tokens or shorten the input)"));
                }
                else if (used + tokens > tpm)
                {
                    retry = Max(retry, Frees(used + tokens - tpm, b => b.Tokens, nowMs));
                    reasons.Add(string.Create(CultureInfo.InvariantCulture, $"{used} of {tpm} tokens per minute used and the request needs {tokens}"));
                }
            }

            return retry is { } r ? new Refusal(Limits.Scope, r, string.Join("; ", reasons)) : null;
        }

        // How long until the oldest buckets that hold at least `needed` have left the window.
        private TimeSpan Frees(long needed, Func<Bucket, long> amount, long nowMs)
        {
            long freed = 0;
            foreach (var b in Buckets)
            {
                freed += amount(b);
                if (freed >= needed)
                {
                    return Max(MinimumRetry, TimeSpan.FromMilliseconds(((b.Second + WindowSeconds) * 1000) - nowMs));
                }
            }

            return Never; // Cannot happen while buckets are non-negative; wait a whole window.
        }

        // How long until the newest bucket that counts leaves the window (zero when none does).
        private TimeSpan Reset(Func<Bucket, bool> counts, long nowMs) => Buckets.LastOrDefault(counts) is { } newest
            ? TimeSpan.FromMilliseconds(Math.Max(0, ((newest.Second + WindowSeconds) * 1000) - nowMs))
            : TimeSpan.Zero;

        private static TimeSpan Max(TimeSpan? a, TimeSpan b) => a is { } x && x > b ? x : b;
    }
}
