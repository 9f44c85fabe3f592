using System.Data;
using System.Data.Common;
using System.Globalization;
using Switchyard.Access;
using static Switchyard.Storage.Access.AccessSql;

namespace Switchyard.Storage.Access;

/// <summary>Virtual API keys: create, read, update and revoke.</summary>
public sealed partial class KeyStore
{
    /// <summary>
    /// Creates a key: its text comes from <see cref="ApiKeyFormat.Generate"/> and only its hash is stored. The text is
    /// in the result and nowhere else; show it once.
    /// </summary>
    /// <param name="spec">The key.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <exception cref="ArgumentException">A field is invalid, or the team is unknown; the message says which and why.</exception>
    public Task<CreatedApiKey> CreateKeyAsync(KeySpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var name = AccessValidation.KeyName(spec.Name);
        var models = AccessValidation.Models(spec.AllowedModels);
        var classes = AccessValidation.DataClasses(spec.DataClasses);
        var rpm = AccessValidation.Rpm(spec.Rpm);
        var tpm = AccessValidation.Tpm(spec.Tpm);
        var budgets = AccessValidation.Budgets(spec.Budgets);
        var metadata = AccessValidation.Metadata(spec.Metadata);
        var expires = AccessValidation.Expiry(spec.ExpiresAt, Now);
        return WriteAsync(async (connection, tx, ct) =>
        {
            string? teamId = null;
            if (spec.Team is { } team)
            {
                // FOR SHARE: a concurrent DeleteTeamAsync (FOR UPDATE) waits for this key, then sees it and refuses.
                teamId = await LockLiveTeamAsync(connection, tx, team, "FOR SHARE", ct).ConfigureAwait(false)
                    ?? throw AccessValidation.Bad($"Unknown team '{team}'.");
            }

            var generated = ApiKeyFormat.Generate(); // Inside the retried work: an id that collided is replaced.
            var now = UnixMs(Now);
            using (var insert = Command(connection, tx,
                "INSERT INTO api_keys (id, hash, name, team_id, allowed_models, data_classes, rpm_limit, tpm_limit, budget_blocks_free, enabled, expires_ms, revoked_ms, metadata, created_ms, updated_ms)"
                + " VALUES (@id, @hash, @name, @team, @models, @classes, @rpm, @tpm, @blocks, @enabled, @expires, NULL, @meta, @now, @now)"))
            {
                insert.WithText("@id", generated.Id).With("@hash", DbType.Binary, _hasher.Hash(generated.Key)).WithText("@name", name).WithText("@team", teamId)
                    .WithText("@models", JsonOrNull(models)).WithText("@classes", Json(classes)).With("@rpm", DbType.Int32, rpm).WithInt64("@tpm", tpm)
                    .With("@blocks", DbType.Boolean, spec.BudgetBlocksFree).With("@enabled", DbType.Boolean, true).WithInt64("@expires", expires)
                    .WithText("@meta", Json(metadata)).WithInt64("@now", now);
                await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }

            await ReplaceBudgetsAsync(connection, tx, "key", generated.Id, budgets, ct).ConfigureAwait(false);
            var info = (await ReadKeysAsync(connection, tx, "k.id = @id", generated.Id, ct).ConfigureAwait(false))[0];
            return new CreatedApiKey(info, generated.Key);
        }, cancellationToken);
    }

    /// <summary>The key with this id (revoked ones included), or null.</summary>
    /// <param name="id">The key's 10-character id.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    public async Task<ApiKeyInfo?> GetKeyAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        var keys = await ReadAsync((c, ct) => ReadKeysAsync(c, null, "k.id = @id", id, ct), cancellationToken).ConfigureAwait(false);
        return keys.Count == 0 ? null : keys[0];
    }

    /// <summary>Every key (revoked ones included), oldest first; only those of team <paramref name="teamId"/> when it is given.</summary>
    /// <param name="teamId">A team id, or null for all keys.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    public async Task<IReadOnlyList<ApiKeyInfo>> ListKeysAsync(string? teamId = null, CancellationToken cancellationToken = default) =>
        await ReadAsync((c, ct) => teamId is null ? ReadKeysAsync(c, null, null, null, ct) : ReadKeysAsync(c, null, "k.team_id = @id", teamId, ct), cancellationToken).ConfigureAwait(false);

    /// <summary>Changes a key; null when there is none with this id.</summary>
    /// <param name="id">The key's id.</param>
    /// <param name="update">What to change (null properties stay as they are).</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <exception cref="ArgumentException">A field is invalid, or a value is both set and cleared.</exception>
    /// <exception cref="InvalidOperationException">Enabling a revoked key, or a key whose team was deleted.</exception>
    public Task<ApiKeyInfo?> UpdateKeyAsync(string id, KeyUpdate update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        ArgumentNullException.ThrowIfNull(update);
        var set = KeyChanges(update, Now);
        var budgets = update.Budgets is null ? null : AccessValidation.Budgets(update.Budgets);
        return WriteAsync<ApiKeyInfo?>(async (connection, tx, ct) =>
        {
            DateTimeOffset? revoked;
            string? teamId;
            using (var select = Command(connection, tx, "SELECT k.revoked_ms, k.team_id FROM api_keys k WHERE k.id = @id" + Lock(Database.Kind, "FOR UPDATE")).WithText("@id", id))
            {
                var reader = await select.ExecuteReaderAsync(ct).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    if (!await reader.ReadAsync(ct).ConfigureAwait(false))
                    {
                        return null;
                    }

                    revoked = Time(reader, 0);
                    teamId = reader.IsDBNull(1) ? null : reader.GetString(1);
                }
            }

            if (update.Enabled == true && revoked is { } at)
            {
                throw new InvalidOperationException($"Key {ApiKeyFormat.PrefixOf(id)} was revoked at {Format(at)}; revocation is final (create a new key).");
            }

            // FOR SHARE: a concurrent DeleteTeamAsync either sees this key enabled and refuses, or deletes first and this refuses.
            if (update.Enabled == true && teamId is not null && await LockLiveTeamAsync(connection, tx, teamId, "FOR SHARE", ct).ConfigureAwait(false) is null)
            {
                throw new InvalidOperationException($"Key {ApiKeyFormat.PrefixOf(id)} belongs to team {teamId}, which was deleted; it cannot be enabled.");
            }

            await UpdateRowAsync(connection, tx, "api_keys", id, set, ct).ConfigureAwait(false);
            if (budgets is not null)
            {
                await ReplaceBudgetsAsync(connection, tx, "key", id, budgets, ct).ConfigureAwait(false);
            }

            return (await ReadKeysAsync(connection, tx, "k.id = @id", id, ct).ConfigureAwait(false))[0];
        }, cancellationToken);
    }

    /// <summary>
    /// Revokes a key for good (it is refused from then on and cannot be enabled again). Idempotent: revoking a revoked
    /// key keeps its first revocation time. Null when there is no key with this id.
    /// </summary>
    /// <param name="id">The key's id.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public Task<ApiKeyInfo?> RevokeKeyAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        return WriteAsync(async (connection, tx, ct) =>
        {
            using (var revoke = Command(connection, tx, "UPDATE api_keys SET revoked_ms = @now, updated_ms = @now WHERE id = @id AND revoked_ms IS NULL")
                .WithInt64("@now", UnixMs(Now)).WithText("@id", id))
            {
                await revoke.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }

            var keys = await ReadKeysAsync(connection, tx, "k.id = @id", id, ct).ConfigureAwait(false);
            return keys.Count == 0 ? null : keys[0];
        }, cancellationToken);
    }

    /// <summary>The validated columns <paramref name="update"/> changes.</summary>
    private static List<(string Column, DbType Type, object? Value)> KeyChanges(KeyUpdate update, DateTimeOffset now)
    {
        AccessValidation.NotBoth(update.AllowedModels is not null, update.AllModels, "model allow-list");
        AccessValidation.NotBoth(update.Rpm is not null, update.ClearRpm, "requests-per-minute limit");
        AccessValidation.NotBoth(update.Tpm is not null, update.ClearTpm, "tokens-per-minute limit");
        AccessValidation.NotBoth(update.ExpiresAt is not null, update.ClearExpiry, "expiry");
        var set = new List<(string Column, DbType Type, object? Value)>();
        if (update.Name is not null)
        {
            set.Add(("name", DbType.String, AccessValidation.KeyName(update.Name)));
        }

        if (update.AllowedModels is not null || update.AllModels)
        {
            set.Add(("allowed_models", DbType.String, JsonOrNull(AccessValidation.Models(update.AllowedModels))));
        }

        if (update.DataClasses is not null)
        {
            set.Add(("data_classes", DbType.String, Json(AccessValidation.DataClasses(update.DataClasses))));
        }

        if (update.Rpm is not null || update.ClearRpm)
        {
            set.Add(("rpm_limit", DbType.Int32, AccessValidation.Rpm(update.Rpm)));
        }

        if (update.Tpm is not null || update.ClearTpm)
        {
            set.Add(("tpm_limit", DbType.Int64, AccessValidation.Tpm(update.Tpm)));
        }

        if (update.ExpiresAt is not null || update.ClearExpiry)
        {
            set.Add(("expires_ms", DbType.Int64, AccessValidation.Expiry(update.ExpiresAt, now)));
        }

        if (update.Enabled is { } enabled)
        {
            set.Add(("enabled", DbType.Boolean, enabled));
        }

        if (update.BudgetBlocksFree is { } blocks)
        {
            set.Add(("budget_blocks_free", DbType.Boolean, blocks));
        }

        if (update.Metadata is not null)
        {
            set.Add(("metadata", DbType.String, Json(AccessValidation.Metadata(update.Metadata))));
        }

        return set;
    }

    /// <summary>Keys matching <paramref name="where"/> (over <c>k</c>, with <c>@id</c> bound to <paramref name="id"/>), with their budgets, oldest first.</summary>
    private static async Task<List<ApiKeyInfo>> ReadKeysAsync(DbConnection connection, DbTransaction? tx, string? where, string? id, CancellationToken cancellationToken)
    {
        var filter = where is null ? "" : " WHERE " + where;
        using var command = Command(connection, tx,
            $"SELECT {KeyColumns} FROM api_keys k{filter} ORDER BY k.created_ms, k.id;"
            + $" SELECT b.scope_id, b.period, b.limit_nanousd FROM budgets b WHERE b.scope_kind = 'key' AND b.scope_id IN (SELECT k.id FROM api_keys k{filter})");
        if (id is not null)
        {
            command.WithText("@id", id);
        }

        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            var keys = new List<ApiKeyInfo>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                keys.Add(ReadKey(reader));
            }

            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            var budgets = await ReadBudgetsAsync(reader, cancellationToken).ConfigureAwait(false);
            return [.. keys.Select(k => budgets.TryGetValue(k.Id, out var list) ? k with { Budgets = list } : k)];
        }
    }

    private static string Format(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
}
