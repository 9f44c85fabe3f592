using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Npgsql;
using Switchyard.Access;

namespace Switchyard.Storage.Access;

/// <summary>Commands, parameters and column readers shared by the <see cref="KeyStore"/> queries (SQLite and PostgreSQL alike).</summary>
internal static class AccessSql
{
    /// <summary>The key columns every key query selects, in the order <see cref="ReadKey"/> reads them.</summary>
    public const string KeyColumns = "k.id, k.name, k.team_id, k.allowed_models, k.data_classes, k.rpm_limit, k.tpm_limit, k.budget_blocks_free, k.enabled, k.expires_ms, k.revoked_ms, k.metadata, k.created_ms, k.updated_ms";

    /// <summary>How many columns <see cref="KeyColumns"/> has.</summary>
    public const int KeyColumnCount = 14;

    /// <summary>The team columns every team query selects, in the order <see cref="ReadTeam"/> reads them.</summary>
    public const string TeamColumns = "t.id, t.name, t.allowed_models, t.rpm_limit, t.tpm_limit, t.metadata, t.created_ms, t.updated_ms";

    private const decimal NanoPerUsd = 1_000_000_000m;

    public static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        return command;
    }

    public static DbCommand With(this DbCommand command, string name, DbType type, object? value)
    {
        var p = command.CreateParameter();
        p.ParameterName = name;
        p.DbType = type;
        p.Value = value ?? DBNull.Value;
        command.Parameters.Add(p);
        return command;
    }

    public static DbCommand WithText(this DbCommand command, string name, string? value) => command.With(name, DbType.String, value);

    public static DbCommand WithInt64(this DbCommand command, string name, long? value) => command.With(name, DbType.Int64, value);

    /// <summary>Begins a write transaction: on SQLite <c>BEGIN IMMEDIATE</c>, so the write lock is taken first (no upgrade deadlock).</summary>
    public static async ValueTask<DbTransaction> BeginWriteAsync(DbConnection connection, CancellationToken cancellationToken) => connection is SqliteConnection sqlite
        ? sqlite.BeginTransaction(deferred: false)
        : await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

    /// <summary><paramref name="lockClause"/> on PostgreSQL (e.g. <c>FOR UPDATE</c>); nothing on SQLite, whose write transaction already excludes other writers.</summary>
    public static string Lock(StoreKind kind, string lockClause) => kind == StoreKind.Postgres ? " " + lockClause : "";

    /// <summary>A primary-key or unique constraint refused a row.</summary>
    public static bool IsUniqueViolation(DbException exception) =>
        exception is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation }
        || exception is SqliteException { SqliteExtendedErrorCode: 2067 or 1555 }; // SQLITE_CONSTRAINT_UNIQUE, SQLITE_CONSTRAINT_PRIMARYKEY

    public static string Json(IReadOnlyList<string> list) => JsonSerializer.Serialize(list as List<string> ?? [.. list], AccessJsonContext.Default.ListString);

    public static string? JsonOrNull(IReadOnlyList<string>? list) => list is null ? null : Json(list);

    public static string Json(Dictionary<string, string> metadata) => JsonSerializer.Serialize(metadata, AccessJsonContext.Default.DictionaryStringString);

    public static long UnixMs(DateTimeOffset at) => at.ToUnixTimeMilliseconds();

    public static BudgetLimit Budget(string period, long nanoUsd) => new(period, nanoUsd / NanoPerUsd);

    /// <summary>daily, monthly, total: the order budgets are listed in.</summary>
    public static int PeriodRank(string period) => period switch
    {
        BudgetPeriods.Daily => 0,
        BudgetPeriods.Monthly => 1,
        _ => 2,
    };

    /// <summary>A key (with no budgets yet) from the row's <see cref="KeyColumns"/>, starting at column 0.</summary>
    public static ApiKeyInfo ReadKey(DbDataReader r) => new(
        Id: r.GetString(0),
        Name: r.GetString(1),
        TeamId: r.IsDBNull(2) ? null : r.GetString(2),
        AllowedModels: List(r, 3),
        DataClasses: List(r, 4) ?? [],
        Rpm: r.IsDBNull(5) ? null : (int)Int64(r, 5),
        Tpm: r.IsDBNull(6) ? null : Int64(r, 6),
        BudgetBlocksFree: r.GetBoolean(7),
        Enabled: r.GetBoolean(8),
        ExpiresAt: Time(r, 9),
        RevokedAt: Time(r, 10),
        Budgets: [],
        Metadata: Metadata(r, 11),
        CreatedAt: Time(r, 12)!.Value,
        UpdatedAt: Time(r, 13)!.Value);

    /// <summary>A team (with no budgets yet) from the row's <see cref="TeamColumns"/>, starting at column <paramref name="at"/>.</summary>
    public static TeamInfo ReadTeam(DbDataReader r, int at) => new(
        Id: r.GetString(at),
        Name: r.GetString(at + 1),
        AllowedModels: List(r, at + 2),
        Rpm: r.IsDBNull(at + 3) ? null : (int)Int64(r, at + 3),
        Tpm: r.IsDBNull(at + 4) ? null : Int64(r, at + 4),
        Budgets: [],
        Metadata: Metadata(r, at + 5),
        CreatedAt: Time(r, at + 6)!.Value,
        UpdatedAt: Time(r, at + 7)!.Value);

    /// <summary>Reads rows of (scope id, period, limit_nanousd) into budgets per scope id, each list in period order.</summary>
    public static async Task<Dictionary<string, List<BudgetLimit>>> ReadBudgetsAsync(DbDataReader r, CancellationToken cancellationToken)
    {
        var budgets = new Dictionary<string, List<BudgetLimit>>(StringComparer.Ordinal);
        while (await r.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            var scope = r.GetString(0);
            if (!budgets.TryGetValue(scope, out var list))
            {
                budgets[scope] = list = [];
            }

            list.Add(Budget(r.GetString(1), Int64(r, 2)));
        }

        foreach (var list in budgets.Values)
        {
            list.Sort((a, b) => PeriodRank(a.Period).CompareTo(PeriodRank(b.Period)));
        }

        return budgets;
    }

    public static long Int64(DbDataReader r, int i) => Convert.ToInt64(r.GetValue(i), CultureInfo.InvariantCulture);

    public static DateTimeOffset? Time(DbDataReader r, int i) => r.IsDBNull(i) ? null : DateTimeOffset.FromUnixTimeMilliseconds(Int64(r, i));

    private static List<string>? List(DbDataReader r, int i) =>
        r.IsDBNull(i) ? null : JsonSerializer.Deserialize(r.GetString(i), AccessJsonContext.Default.ListString) ?? [];

    private static Dictionary<string, string> Metadata(DbDataReader r, int i) =>
        r.IsDBNull(i) ? [] : JsonSerializer.Deserialize(r.GetString(i), AccessJsonContext.Default.DictionaryStringString) ?? [];
}
