using System.Data;
using System.Data.Common;
using System.Globalization;
using Switchyard.Access;
using static Switchyard.Storage.Access.AccessSql;

namespace Switchyard.Storage.Access;

/// <summary>Teams: create, read, update and (soft) delete.</summary>
public sealed partial class KeyStore
{
    private const string LiveTeam = "(t.id = @team OR t.name = @team) AND t.deleted_ms IS NULL";

    /// <summary>Creates a team with a new id (<c>team_</c> + 8 characters).</summary>
    /// <param name="spec">The team.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <exception cref="ArgumentException">A field is invalid; the message says which and why.</exception>
    /// <exception cref="InvalidOperationException">A live team already has this name.</exception>
    public Task<TeamInfo> CreateTeamAsync(TeamSpec spec, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var name = AccessValidation.TeamName(spec.Name);
        var models = AccessValidation.Models(spec.AllowedModels);
        var rpm = AccessValidation.Rpm(spec.Rpm);
        var tpm = AccessValidation.Tpm(spec.Tpm);
        var budgets = AccessValidation.Budgets(spec.Budgets);
        var metadata = AccessValidation.Metadata(spec.Metadata);
        return WriteAsync(async (connection, tx, ct) =>
        {
            await EnsureTeamNameFreeAsync(connection, tx, name, null, ct).ConfigureAwait(false);
            var id = TeamIds.New();
            var now = UnixMs(Now);
            using (var insert = Command(connection, tx,
                "INSERT INTO teams (id, name, allowed_models, rpm_limit, tpm_limit, metadata, created_ms, updated_ms) VALUES (@id, @name, @models, @rpm, @tpm, @meta, @now, @now)"))
            {
                insert.WithText("@id", id).WithText("@name", name).WithText("@models", JsonOrNull(models))
                    .With("@rpm", DbType.Int32, rpm).WithInt64("@tpm", tpm).WithText("@meta", Json(metadata)).WithInt64("@now", now);
                await insert.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }

            await ReplaceBudgetsAsync(connection, tx, "team", id, budgets, ct).ConfigureAwait(false);
            return (await ReadTeamsAsync(connection, tx, id, ct).ConfigureAwait(false))[0];
        }, cancellationToken);
    }

    /// <summary>The live team with this id or name, or null.</summary>
    /// <param name="idOrName">A team id (<c>team_…</c>) or name.</param>
    /// <param name="cancellationToken">Cancels the query.</param>
    public async Task<TeamInfo?> GetTeamAsync(string idOrName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(idOrName);
        var teams = await ReadAsync((c, ct) => ReadTeamsAsync(c, null, idOrName, ct), cancellationToken).ConfigureAwait(false);
        return teams.Count == 0 ? null : teams[0];
    }

    /// <summary>Every live team, by name.</summary>
    /// <param name="cancellationToken">Cancels the query.</param>
    public async Task<IReadOnlyList<TeamInfo>> ListTeamsAsync(CancellationToken cancellationToken = default) =>
        await ReadAsync((c, ct) => ReadTeamsAsync(c, null, null, ct), cancellationToken).ConfigureAwait(false);

    /// <summary>Changes a live team; null when there is none with this id or name.</summary>
    /// <param name="idOrName">A team id or name.</param>
    /// <param name="update">What to change (null properties stay as they are).</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <exception cref="ArgumentException">A field is invalid, or a value is both set and cleared.</exception>
    /// <exception cref="InvalidOperationException">Another live team already has the new name.</exception>
    public Task<TeamInfo?> UpdateTeamAsync(string idOrName, TeamUpdate update, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(idOrName);
        ArgumentNullException.ThrowIfNull(update);
        AccessValidation.NotBoth(update.AllowedModels is not null, update.AllModels, "model allow-list");
        AccessValidation.NotBoth(update.Rpm is not null, update.ClearRpm, "requests-per-minute limit");
        AccessValidation.NotBoth(update.Tpm is not null, update.ClearTpm, "tokens-per-minute limit");
        var set = new List<(string Column, DbType Type, object? Value)>();
        string? name = null;
        if (update.Name is not null)
        {
            name = AccessValidation.TeamName(update.Name);
            set.Add(("name", DbType.String, name));
        }

        if (update.AllowedModels is not null || update.AllModels)
        {
            set.Add(("allowed_models", DbType.String, JsonOrNull(AccessValidation.Models(update.AllowedModels))));
        }

        if (update.Rpm is not null || update.ClearRpm)
        {
            set.Add(("rpm_limit", DbType.Int32, AccessValidation.Rpm(update.Rpm)));
        }

        if (update.Tpm is not null || update.ClearTpm)
        {
            set.Add(("tpm_limit", DbType.Int64, AccessValidation.Tpm(update.Tpm)));
        }

        if (update.Metadata is not null)
        {
            set.Add(("metadata", DbType.String, Json(AccessValidation.Metadata(update.Metadata))));
        }

        var budgets = update.Budgets is null ? null : AccessValidation.Budgets(update.Budgets);
        return WriteAsync<TeamInfo?>(async (connection, tx, ct) =>
        {
            if (await LockLiveTeamAsync(connection, tx, idOrName, "FOR UPDATE", ct).ConfigureAwait(false) is not { } id)
            {
                return null;
            }

            if (name is not null)
            {
                await EnsureTeamNameFreeAsync(connection, tx, name, id, ct).ConfigureAwait(false);
            }

            await UpdateRowAsync(connection, tx, "teams", id, set, ct).ConfigureAwait(false);
            if (budgets is not null)
            {
                await ReplaceBudgetsAsync(connection, tx, "team", id, budgets, ct).ConfigureAwait(false);
            }

            return (await ReadTeamsAsync(connection, tx, id, ct).ConfigureAwait(false))[0];
        }, cancellationToken);
    }

    /// <summary>
    /// Deletes a live team (softly: its row stays, marked deleted, so the ledger's team ids still resolve, and its name
    /// becomes free). Refused while any of its keys is enabled and not revoked. False when there is no such team.
    /// </summary>
    /// <param name="idOrName">A team id or name.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <exception cref="InvalidOperationException">The team still has live keys; the message lists them.</exception>
    public Task<bool> DeleteTeamAsync(string idOrName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(idOrName);
        return WriteAsync(async (connection, tx, ct) =>
        {
            if (await LockLiveTeamAsync(connection, tx, idOrName, "FOR UPDATE", ct).ConfigureAwait(false) is not { } id)
            {
                return false;
            }

            var live = new List<string>();
            using (var keys = Command(connection, tx, "SELECT k.id FROM api_keys k WHERE k.team_id = @id AND k.enabled AND k.revoked_ms IS NULL ORDER BY k.id").WithText("@id", id))
            {
                var reader = await keys.ExecuteReaderAsync(ct).ConfigureAwait(false);
                await using (reader.ConfigureAwait(false))
                {
                    while (await reader.ReadAsync(ct).ConfigureAwait(false))
                    {
                        live.Add(ApiKeyFormat.PrefixOf(reader.GetString(0)));
                    }
                }
            }

            if (live.Count > 0)
            {
                throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                    $"Team {id} still has {live.Count} live key{(live.Count == 1 ? "" : "s")} ({string.Join(", ", live.Take(5))}{(live.Count > 5 ? ", …" : "")}): revoke or disable {(live.Count == 1 ? "it" : "them")} first."));
            }

            // The name gets a prefix no live name can have (':' is not allowed in names), so it is free for a new team.
            using var delete = Command(connection, tx, "UPDATE teams SET deleted_ms = @now, updated_ms = @now, name = @prefix || id || ':' || name WHERE id = @id")
                .WithInt64("@now", UnixMs(Now)).WithText("@prefix", "deleted:").WithText("@id", id);
            await delete.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            return true;
        }, cancellationToken);
    }

    /// <summary>Locks a live team's row (PostgreSQL; SQLite's write transaction already excludes writers) and returns its id, or null.</summary>
    private async Task<string?> LockLiveTeamAsync(DbConnection connection, DbTransaction tx, string idOrName, string lockClause, CancellationToken cancellationToken)
    {
        using var select = Command(connection, tx, $"SELECT t.id FROM teams t WHERE {LiveTeam}" + Lock(Database.Kind, lockClause)).WithText("@team", idOrName);
        return await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) as string;
    }

    private static async Task EnsureTeamNameFreeAsync(DbConnection connection, DbTransaction tx, string name, string? exceptId, CancellationToken cancellationToken)
    {
        using var select = Command(connection, tx, "SELECT t.id FROM teams t WHERE t.name = @name AND t.deleted_ms IS NULL").WithText("@name", name);
        if (await select.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is string id && id != exceptId)
        {
            throw new InvalidOperationException($"A team named '{name}' already exists ({id}).");
        }
    }

    /// <summary>Live teams (all, or the one with this id or name) with their budgets, by name.</summary>
    private static async Task<List<TeamInfo>> ReadTeamsAsync(DbConnection connection, DbTransaction? tx, string? idOrName, CancellationToken cancellationToken)
    {
        var where = idOrName is null ? "t.deleted_ms IS NULL" : LiveTeam;
        using var command = Command(connection, tx,
            $"SELECT {TeamColumns} FROM teams t WHERE {where} ORDER BY t.name;"
            + $" SELECT b.scope_id, b.period, b.limit_nanousd FROM budgets b WHERE b.scope_kind = 'team' AND b.scope_id IN (SELECT t.id FROM teams t WHERE {where})");
        if (idOrName is not null)
        {
            command.WithText("@team", idOrName);
        }

        var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        await using (reader.ConfigureAwait(false))
        {
            var teams = new List<TeamInfo>();
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                teams.Add(ReadTeam(reader, 0));
            }

            await reader.NextResultAsync(cancellationToken).ConfigureAwait(false);
            var budgets = await ReadBudgetsAsync(reader, cancellationToken).ConfigureAwait(false);
            return [.. teams.Select(t => budgets.TryGetValue(t.Id, out var list) ? t with { Budgets = list } : t)];
        }
    }

    /// <summary>Sets <paramref name="set"/>'s columns and <c>updated_ms</c> on the row with this id.</summary>
    private async Task UpdateRowAsync(DbConnection connection, DbTransaction tx, string table, string id, List<(string Column, DbType Type, object? Value)> set, CancellationToken cancellationToken)
    {
        var assignments = string.Concat(set.Select((s, i) => $"{s.Column} = @v{i}, "));
        using var update = Command(connection, tx, $"UPDATE {table} SET {assignments}updated_ms = @now WHERE id = @id").WithInt64("@now", UnixMs(Now)).WithText("@id", id);
        for (var i = 0; i < set.Count; i++)
        {
            update.With($"@v{i}", set[i].Type, set[i].Value);
        }

        await update.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Runs a read on its own connection.</summary>
    private async Task<T> ReadAsync<T>(Func<DbConnection, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        var connection = await Database.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            return await read(connection, cancellationToken).ConfigureAwait(false);
        }
    }
}
