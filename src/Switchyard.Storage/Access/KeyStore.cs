using System.Data;
using System.Data.Common;
using System.Security.Cryptography;
using Switchyard.Access;
using Switchyard.Configuration;
using Switchyard.Storage.Migrations;
using static Switchyard.Storage.Access.AccessSql;

namespace Switchyard.Storage.Access;

/// <summary>
/// Teams, virtual API keys and their budgets in the Switchyard database (SQLite or PostgreSQL, table by table as in
/// migration <c>0003_keys</c>). Keys are stored only as <see cref="ApiKeyHasher.Hash"/> of their text; writes run in one
/// transaction each (<c>BEGIN IMMEDIATE</c> on SQLite, row locks on PostgreSQL), so concurrent CLI, admin and gateway
/// instances stay consistent. Thread-safe: every call opens its own connection.
/// </summary>
public sealed partial class KeyStore : IApiKeyLookup, IAsyncDisposable
{
    /// <summary>The environment variable holding the key pepper unless configured otherwise.</summary>
    public const string DefaultPepperEnv = "SWITCHYARD_KEY_PEPPER";

    /// <summary>The <c>scope_id</c> of global budgets.</summary>
    public const string GlobalScopeId = "*";

    private const string PepperCheckName = "pepper_check";
    private const int WriteAttempts = 3;

    private readonly ApiKeyHasher _hasher;
    private readonly TimeProvider _time;
    private readonly bool _ownsDatabase;

    private KeyStore(StoreDatabase database, ApiKeyHasher hasher, TimeProvider time, bool ownsDatabase)
    {
        Database = database;
        _hasher = hasher;
        _time = time;
        _ownsDatabase = ownsDatabase;
    }

    /// <summary>The database.</summary>
    public StoreDatabase Database { get; }

    /// <summary>The hasher keys are stored with (for verifying a presented key against <see cref="ApiKeyCredential.Hash"/>).</summary>
    public ApiKeyHasher Hasher => _hasher;

    /// <summary>
    /// A store over an already migrated <paramref name="database"/> (not disposed with the store). Checks that
    /// <paramref name="hasher"/>'s pepper is the one the database's keys were hashed with, recording it on first use.
    /// </summary>
    /// <param name="database">The database, migrated to at least <c>0003_keys</c>.</param>
    /// <param name="hasher">The hasher over the deployment's pepper.</param>
    /// <param name="time">The clock (default: the system's).</param>
    /// <param name="pepperSource">Where the pepper came from, for the mismatch message (e.g. the variable's name).</param>
    /// <exception cref="InvalidOperationException">The pepper differs from the one recorded in the database.</exception>
    public static KeyStore Open(StoreDatabase database, ApiKeyHasher hasher, TimeProvider? time = null, string? pepperSource = null) =>
        OpenCore(database, hasher, time, pepperSource, ownsDatabase: false);

    /// <summary>
    /// Opens the database <paramref name="options"/> configures (as the gateway does), migrates it, loads the pepper
    /// (see <see cref="LoadHasher"/>) and checks it. The store owns the database: dispose the store to close it.
    /// </summary>
    /// <param name="options">The configuration (<c>Storage:Provider</c>, <c>Ledger:Path</c>, <c>Storage:ConnectionString[Env]</c>).</param>
    /// <param name="getEnvironmentVariable">Reads environment variables (default: the process's).</param>
    /// <param name="time">The clock (default: the system's).</param>
    /// <param name="pepperEnv">The pepper's environment variable (default <c>Auth:PepperEnv</c>, else <see cref="DefaultPepperEnv"/>).</param>
    /// <exception cref="SwitchyardConfigurationException">The database cannot be reached, opened or migrated; the message names the key to fix.</exception>
    /// <exception cref="InvalidOperationException">No pepper is available (PostgreSQL without the variable), or it differs from the database's.</exception>
    /// <exception cref="ArgumentException">The pepper variable or file does not hold base64 of at least 32 bytes.</exception>
    public static KeyStore OpenFor(SwitchyardOptions options, Func<string, string?>? getEnvironmentVariable = null, TimeProvider? time = null, string? pepperEnv = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var env = getEnvironmentVariable ?? Environment.GetEnvironmentVariable;
        var database = StoreDatabase.From(options, env);
        try
        {
            Migrate(database, time);
            var envName = !string.IsNullOrWhiteSpace(pepperEnv) ? pepperEnv
                : !string.IsNullOrWhiteSpace(options.Auth.PepperEnv) ? options.Auth.PepperEnv
                : DefaultPepperEnv;
            return OpenCore(database, LoadHasher(database, env, envName), time, DescribePepperSource(database, envName, env), ownsDatabase: true);
        }
        catch
        {
            database.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
    }

    /// <summary>
    /// The hasher over the deployment's pepper: the environment variable <paramref name="pepperEnv"/> when set; else,
    /// for SQLite only, the mode-0600 file <see cref="PepperFileFor"/> (created on first use). PostgreSQL requires the
    /// variable, because every instance must agree and the database must not hold the pepper.
    /// </summary>
    /// <param name="database">The database the keys live in.</param>
    /// <param name="getEnvironmentVariable">Reads environment variables (default: the process's).</param>
    /// <param name="pepperEnv">The variable's name (default <see cref="DefaultPepperEnv"/>).</param>
    /// <exception cref="InvalidOperationException">PostgreSQL and the variable is unset.</exception>
    /// <exception cref="ArgumentException">The variable or file does not hold base64 of at least 32 bytes.</exception>
    public static ApiKeyHasher LoadHasher(StoreDatabase database, Func<string, string?>? getEnvironmentVariable = null, string? pepperEnv = null)
    {
        ArgumentNullException.ThrowIfNull(database);
        var name = string.IsNullOrWhiteSpace(pepperEnv) ? DefaultPepperEnv : pepperEnv;
        var pepper = PepperSource.Load(name, (getEnvironmentVariable ?? Environment.GetEnvironmentVariable)(name), PepperFileFor(database));
        try
        {
            return new ApiKeyHasher(pepper);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(pepper);
        }
    }

    /// <summary>Where the pepper is kept when its variable is unset: beside a SQLite file, with the extension <c>.pepper</c>; null for PostgreSQL.</summary>
    public static string? PepperFileFor(StoreDatabase database)
    {
        ArgumentNullException.ThrowIfNull(database);
        return database.Kind == StoreKind.Sqlite ? Path.ChangeExtension(database.Display, ".pepper") : null;
    }

    /// <summary>The key with this id, its hash and its live team, with the key's and the team's budgets, in one round trip.</summary>
    /// <param name="keyId">The id inside <c>sk-sy-&lt;id&gt;_&lt;secret&gt;</c>.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    public async ValueTask<ApiKeyCredential?> FindAsync(string keyId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        const string Sql =
            $"SELECT {KeyColumns}, k.hash, {TeamColumns} FROM api_keys k LEFT JOIN teams t ON t.id = k.team_id AND t.deleted_ms IS NULL WHERE k.id = @id;"
            + " SELECT b.scope_kind, b.scope_id, b.period, b.limit_nanousd FROM budgets b WHERE (b.scope_kind = 'key' AND b.scope_id = @id)"
            + " OR (b.scope_kind = 'team' AND b.scope_id IN (SELECT t.id FROM api_keys k JOIN teams t ON t.id = k.team_id WHERE k.id = @id AND t.deleted_ms IS NULL))";
        var connection = await Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = Command(connection, null, Sql).WithText("@id", keyId);
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                if (!await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    return null;
                }

                var key = ReadKey(reader);
                var hash = (byte[])reader.GetValue(KeyColumnCount);
                var team = reader.IsDBNull(KeyColumnCount + 1) ? null : ReadTeam(reader, KeyColumnCount + 1);
                await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
                List<BudgetLimit> keyBudgets = [], teamBudgets = [];
                while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
                {
                    (reader.GetString(0) == "key" ? keyBudgets : teamBudgets).Add(Budget(reader.GetString(2), Int64(reader, 3)));
                }

                keyBudgets.Sort((a, b) => PeriodRank(a.Period).CompareTo(PeriodRank(b.Period)));
                teamBudgets.Sort((a, b) => PeriodRank(a.Period).CompareTo(PeriodRank(b.Period)));
                return new ApiKeyCredential(key with { Budgets = keyBudgets }, hash, team is null ? null : team with { Budgets = teamBudgets });
            }
        }
    }

    /// <summary>The budgets that apply to every request, in period order.</summary>
    /// <param name="cancellationToken">Cancels the query.</param>
    public async Task<IReadOnlyList<BudgetLimit>> GetGlobalBudgetsAsync(CancellationToken cancellationToken = default)
    {
        var connection = await Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            using var command = Command(connection, null, "SELECT b.scope_id, b.period, b.limit_nanousd FROM budgets b WHERE b.scope_kind = 'global'");
            var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            await using (reader.ConfigureAwait(false))
            {
                var budgets = await ReadBudgetsAsync(reader, cancellationToken).ConfigureAwait(false);
                return budgets.TryGetValue(GlobalScopeId, out var list) ? list : [];
            }
        }
    }

    /// <summary>Sets (or, with a null limit, removes) the global budget for <paramref name="period"/>. A changed limit keeps the period's spend.</summary>
    /// <param name="period"><c>daily</c>, <c>monthly</c> or <c>total</c>.</param>
    /// <param name="limitUsd">The limit in dollars (0 or more), or null to remove it.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <exception cref="ArgumentException">An unknown period or a negative limit.</exception>
    public Task SetGlobalBudgetAsync(string period, decimal? limitUsd, CancellationToken cancellationToken = default)
    {
        var checkedPeriod = AccessValidation.Period(period);
        long? nano = limitUsd is { } l ? AccessValidation.LimitNanoUsd(l) : null;
        return WriteAsync(async (connection, tx, ct) =>
        {
            if (nano is { } n)
            {
                await UpsertBudgetAsync(connection, tx, "global", GlobalScopeId, checkedPeriod, n, ct).ConfigureAwait(false);
            }
            else
            {
                using var delete = Command(connection, tx, "DELETE FROM budgets WHERE scope_kind = 'global' AND scope_id = @scope AND period = @period")
                    .WithText("@scope", GlobalScopeId).WithText("@period", checkedPeriod);
                await delete.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }

            return true;
        }, cancellationToken);
    }

    /// <summary>Closes the database when this store opened it (<see cref="OpenFor"/>).</summary>
    public ValueTask DisposeAsync() => _ownsDatabase ? Database.DisposeAsync() : default;

    private static KeyStore OpenCore(StoreDatabase database, ApiKeyHasher hasher, TimeProvider? time, string? pepperSource, bool ownsDatabase)
    {
        ArgumentNullException.ThrowIfNull(database);
        ArgumentNullException.ThrowIfNull(hasher);
        var expected = hasher.PepperCheck();
        using (var connection = database.Open())
        {
            // Race-safe first use: whoever inserts first wins, and everyone compares with what is stored.
            using (var insert = Command(connection, null, "INSERT INTO auth_meta (name, value) VALUES (@name, @value) ON CONFLICT (name) DO NOTHING"))
            {
                insert.WithText("@name", PepperCheckName).With("@value", DbType.Binary, expected).ExecuteNonQuery();
            }

            using var select = Command(connection, null, "SELECT value FROM auth_meta WHERE name = @name").WithText("@name", PepperCheckName);
            var stored = select.ExecuteScalar() as byte[];
            if (stored is null || !CryptographicOperations.FixedTimeEquals(stored, expected))
            {
                throw new InvalidOperationException(
                    $"The key pepper differs from the one this database's keys were hashed with ({pepperSource ?? $"the {DefaultPepperEnv} variable, or the .pepper file beside a SQLite database"}): "
                    + "every gateway instance and the CLI must use the same pepper, and a new one would invalidate every key.");
            }
        }

        return new KeyStore(database, hasher, time ?? TimeProvider.System, ownsDatabase);
    }

    private static void Migrate(StoreDatabase database, TimeProvider? time)
    {
        var key = database.Kind == StoreKind.Sqlite ? $"{SwitchyardOptions.SectionName}:Ledger:Path" : $"{SwitchyardOptions.SectionName}:Storage:ConnectionString";
        try
        {
            using var connection = database.Open();
            SchemaMigrator.Migrate(connection, database.Kind, time: time);
        }
        catch (Exception ex) when (ex is DbException or IOException or UnauthorizedAccessException or SchemaMigrationException or InvalidOperationException or TimeoutException)
        {
            throw new SwitchyardConfigurationException($"{key}: cannot open the database '{database.Display}': {ex.Message}");
        }
    }

    private static string DescribePepperSource(StoreDatabase database, string envName, Func<string, string?> env) =>
        !string.IsNullOrEmpty(env(envName)) || PepperFileFor(database) is not { } file
            ? $"the variable {envName}"
            : $"the file {file}, used because {envName} is unset";

    private DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>
    /// Runs <paramref name="work"/> in one write transaction and commits it. A unique-constraint refusal (a generated id
    /// that collided, or a name a concurrent writer took) reruns it, so its own checks report the conflict.
    /// </summary>
    private async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var connection = await Database.OpenAsync(cancellationToken).ConfigureAwait(false);
                await using (connection.ConfigureAwait(false))
                {
                    var tx = await BeginWriteAsync(connection, cancellationToken).ConfigureAwait(false);
                    await using (tx.ConfigureAwait(false))
                    {
                        var result = await work(connection, tx, cancellationToken).ConfigureAwait(false);
                        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
                        return result;
                    }
                }
            }
            catch (DbException ex) when (attempt < WriteAttempts && IsUniqueViolation(ex))
            {
            }
        }
    }

    private static async Task UpsertBudgetAsync(DbConnection connection, DbTransaction tx, string scopeKind, string scopeId, string period, long nanoUsd, CancellationToken cancellationToken)
    {
        // An upsert keeps the row's id, so the spend recorded against it survives a changed limit.
        using var upsert = Command(connection, tx,
            "INSERT INTO budgets (scope_kind, scope_id, period, limit_nanousd) VALUES (@kind, @scope, @period, @limit)"
            + " ON CONFLICT (scope_kind, scope_id, period) DO UPDATE SET limit_nanousd = excluded.limit_nanousd")
            .WithText("@kind", scopeKind).WithText("@scope", scopeId).WithText("@period", period).WithInt64("@limit", nanoUsd);
        await upsert.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Makes the scope's budgets exactly <paramref name="budgets"/>: upserts those given, deletes the other periods.</summary>
    private static async Task ReplaceBudgetsAsync(DbConnection connection, DbTransaction tx, string scopeKind, string scopeId, List<(string Period, long NanoUsd)> budgets, CancellationToken cancellationToken)
    {
        var keep = string.Join(", ", budgets.Select((_, i) => $"@p{i}"));
        using (var delete = Command(connection, tx, "DELETE FROM budgets WHERE scope_kind = @kind AND scope_id = @scope" + (budgets.Count == 0 ? "" : $" AND period NOT IN ({keep})")))
        {
            delete.WithText("@kind", scopeKind).WithText("@scope", scopeId);
            for (var i = 0; i < budgets.Count; i++)
            {
                delete.WithText($"@p{i}", budgets[i].Period);
            }

            await delete.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var (period, nano) in budgets)
        {
            await UpsertBudgetAsync(connection, tx, scopeKind, scopeId, period, nano, cancellationToken).ConfigureAwait(false);
        }
    }
}
