using System.Text.Json.Serialization;
using Switchyard.Access;
using Switchyard.Storage.Access;

namespace Switchyard.Gateway;

/// <summary>A spend limit on the admin API: <c>{"period", "limit_usd"}</c>.</summary>
/// <param name="Period"><c>daily</c>, <c>monthly</c> or <c>total</c>.</param>
/// <param name="LimitUsd">The limit in US dollars.</param>
internal sealed record AdminBudget(string Period, decimal LimitUsd)
{
    /// <summary>The admin form of <paramref name="budget"/>.</summary>
    public static AdminBudget From(BudgetLimit budget) => new(budget.Period, budget.LimitUsd);
}

/// <summary>A budget of a key or its team with its current period's spend (only in <c>GET /admin/keys/{id}</c>).</summary>
/// <param name="Scope"><c>key</c> or <c>team</c>.</param>
/// <param name="ScopeId">The key's or the team's id.</param>
/// <param name="Period"><c>daily</c>, <c>monthly</c> or <c>total</c>.</param>
/// <param name="LimitUsd">The limit in US dollars.</param>
/// <param name="PeriodStart">When the current period began (UTC).</param>
/// <param name="SpentUsd">Settled spend this period.</param>
/// <param name="ReservedUsd">Holds of requests in flight this period.</param>
/// <param name="RemainingUsd">What is left: limit − spent − reserved, never below zero.</param>
internal sealed record AdminBudgetUsage(string Scope, string ScopeId, string Period, decimal LimitUsd, DateTimeOffset PeriodStart, decimal SpentUsd, decimal ReservedUsd, decimal RemainingUsd)
{
    /// <summary>The admin form of <paramref name="usage"/>.</summary>
    public static AdminBudgetUsage From(BudgetUsage usage) => new(usage.ScopeKind, usage.ScopeId, usage.Period, usage.LimitUsd, usage.PeriodStart, usage.SpentUsd, usage.ReservedUsd,
        Math.Max(0m, usage.LimitUsd - usage.SpentUsd - usage.ReservedUsd));
}

/// <summary>A team on the admin API.</summary>
/// <param name="Id">Its id, <c>team_…</c>.</param>
/// <param name="Name">Its unique name.</param>
/// <param name="Models">Models and routes its keys may request; null = all.</param>
/// <param name="Rpm">Requests per minute shared by its keys; null = unlimited.</param>
/// <param name="Tpm">Tokens per minute shared by its keys; null = unlimited.</param>
/// <param name="Budgets">Its spend limits.</param>
/// <param name="Metadata">Its labels.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="UpdatedAt">When it last changed.</param>
internal sealed record AdminTeam(string Id, string Name, IReadOnlyList<string>? Models, int? Rpm, long? Tpm, IReadOnlyList<AdminBudget> Budgets, IReadOnlyDictionary<string, string> Metadata, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt)
{
    /// <summary>The admin form of <paramref name="team"/>.</summary>
    public static AdminTeam From(TeamInfo team) =>
        new(team.Id, team.Name, team.AllowedModels, team.Rpm, team.Tpm, [.. team.Budgets.Select(AdminBudget.From)], team.Metadata, team.CreatedAt, team.UpdatedAt);
}

/// <summary>A virtual key on the admin API (never its secret, except <see cref="Key"/> in the answer that created it).</summary>
/// <param name="Id">Its 10-character id.</param>
/// <param name="Prefix">What logs and the ledger show: <c>sk-sy-&lt;id&gt;</c>.</param>
/// <param name="Name">Its display name.</param>
/// <param name="TeamId">Its team's id, if any.</param>
/// <param name="Status"><c>active</c>, <c>disabled</c>, <c>expired</c> or <c>revoked</c>.</param>
/// <param name="Models">Models and routes it may request; null = all (still bounded by its team's list).</param>
/// <param name="DataClasses">Data classes added to every request made with it.</param>
/// <param name="Rpm">Requests per minute; null = unlimited.</param>
/// <param name="Tpm">Tokens per minute; null = unlimited.</param>
/// <param name="BudgetBlocksFree">Whether an exhausted budget also blocks zero-cost models.</param>
/// <param name="Enabled">False while disabled.</param>
/// <param name="ExpiresAt">When it stops working, if ever.</param>
/// <param name="RevokedAt">When it was revoked, if it was.</param>
/// <param name="Budgets">Its own spend limits.</param>
/// <param name="Metadata">Its labels.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="UpdatedAt">When it last changed.</param>
internal sealed record AdminKey(
    string Id,
    string Prefix,
    string Name,
    string? TeamId,
    string Status,
    IReadOnlyList<string>? Models,
    IReadOnlyList<string> DataClasses,
    int? Rpm,
    long? Tpm,
    bool BudgetBlocksFree,
    bool Enabled,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? RevokedAt,
    IReadOnlyList<AdminBudget> Budgets,
    IReadOnlyDictionary<string, string> Metadata,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>The whole key text: only in the answer to <c>POST /admin/keys</c>, the one time it is shown.</summary>
    [JsonPropertyOrder(-1)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Key { get; init; }

    /// <summary>The key's and its team's budgets with this period's spend (only in <c>GET /admin/keys/{id}</c>).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<AdminBudgetUsage>? Usage { get; init; }

    /// <summary>The admin form of <paramref name="key"/> at <paramref name="now"/> (which decides whether it has expired).</summary>
    public static AdminKey From(ApiKeyInfo key, DateTimeOffset now)
    {
        var status = key.RevokedAt is not null ? "revoked"
            : key.ExpiresAt is { } at && at <= now ? "expired"
            : !key.Enabled ? "disabled"
            : "active";
        return new(key.Id, key.Prefix, key.Name, key.TeamId, status, key.AllowedModels, key.DataClasses, key.Rpm, key.Tpm, key.BudgetBlocksFree, key.Enabled,
            key.ExpiresAt, key.RevokedAt, [.. key.Budgets.Select(AdminBudget.From)], key.Metadata, key.CreatedAt, key.UpdatedAt);
    }
}

/// <summary>The answer to <c>GET /admin/teams</c>.</summary>
/// <param name="Data">Every live team, by name.</param>
internal sealed record AdminTeamList(IReadOnlyList<AdminTeam> Data);

/// <summary>The answer to <c>GET /admin/keys</c>.</summary>
/// <param name="Data">The keys (revoked ones included), oldest first.</param>
internal sealed record AdminKeyList(IReadOnlyList<AdminKey> Data);

/// <summary>The answer to <c>PUT /admin/budgets/global</c>: the global budgets after the change.</summary>
/// <param name="Budgets">The budgets that apply to every request.</param>
internal sealed record AdminGlobalBudgets(IReadOnlyList<AdminBudget> Budgets);

/// <summary>Source-generated JSON for the admin API's answers (snake_case, nulls written).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(AdminTeam))]
[JsonSerializable(typeof(AdminTeamList))]
[JsonSerializable(typeof(AdminKey))]
[JsonSerializable(typeof(AdminKeyList))]
[JsonSerializable(typeof(AdminGlobalBudgets))]
internal sealed partial class AdminJsonContext : JsonSerializerContext;
