namespace Switchyard.Access;

/// <summary>A spend limit: at most <see cref="LimitUsd"/> US dollars per <see cref="Period"/> (see <see cref="BudgetPeriods"/>).</summary>
/// <param name="Period"><c>daily</c> (UTC day), <c>monthly</c> (UTC calendar month) or <c>total</c> (all time).</param>
/// <param name="LimitUsd">The limit in dollars, exact to the nano-dollar.</param>
public sealed record BudgetLimit(string Period, decimal LimitUsd);

/// <summary>A team: keys that share a budget, limits and an allow-list.</summary>
/// <param name="Id">Stable id (what keys and the ledger refer to).</param>
/// <param name="Name">Unique display name.</param>
/// <param name="AllowedModels">Model and route names its keys may request; null = all.</param>
/// <param name="Rpm">Requests per minute shared by its keys; null = unlimited.</param>
/// <param name="Tpm">Tokens per minute shared by its keys; null = unlimited.</param>
/// <param name="Budgets">Its spend limits.</param>
/// <param name="Metadata">Free-form labels.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="UpdatedAt">When it last changed.</param>
public sealed record TeamInfo(
    string Id,
    string Name,
    IReadOnlyList<string>? AllowedModels,
    int? Rpm,
    long? Tpm,
    IReadOnlyList<BudgetLimit> Budgets,
    IReadOnlyDictionary<string, string> Metadata,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt);

/// <summary>A virtual API key as stored (never its text: only <see cref="ApiKeyCredential.Hash"/> is kept).</summary>
/// <param name="Id">The id inside <c>sk-sy-&lt;id&gt;_&lt;secret&gt;</c>.</param>
/// <param name="Name">Display name.</param>
/// <param name="TeamId">Its team, if any.</param>
/// <param name="AllowedModels">Model and route names it may request; null = all (still bounded by its team's list).</param>
/// <param name="DataClasses">Data classes the privacy guard adds to every request made with it (e.g. <c>health</c>).</param>
/// <param name="Rpm">Requests per minute; null = unlimited.</param>
/// <param name="Tpm">Tokens per minute; null = unlimited.</param>
/// <param name="BudgetBlocksFree">Whether an exhausted budget also blocks zero-cost (self-hosted) models; default false.</param>
/// <param name="Enabled">False while disabled (reversible, unlike revocation).</param>
/// <param name="ExpiresAt">After this instant it is refused.</param>
/// <param name="RevokedAt">When it was revoked, if it was (final).</param>
/// <param name="Budgets">Its own spend limits.</param>
/// <param name="Metadata">Free-form labels.</param>
/// <param name="CreatedAt">When it was created.</param>
/// <param name="UpdatedAt">When it last changed.</param>
public sealed record ApiKeyInfo(
    string Id,
    string Name,
    string? TeamId,
    IReadOnlyList<string>? AllowedModels,
    IReadOnlyList<string> DataClasses,
    int? Rpm,
    long? Tpm,
    bool BudgetBlocksFree,
    bool Enabled,
    DateTimeOffset? ExpiresAt,
    DateTimeOffset? RevokedAt,
    IReadOnlyList<BudgetLimit> Budgets,
    IReadOnlyDictionary<string, string> Metadata,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    /// <summary>The part of the key shown in logs and the ledger: <c>sk-sy-&lt;id&gt;</c>.</summary>
    public string Prefix => ApiKeyFormat.PrefixOf(Id);
}

/// <summary>What authentication needs about one key, read in one query: the key, its stored hash and its team.</summary>
/// <param name="Key">The key.</param>
/// <param name="Hash">HMAC-SHA256(pepper, key text), compared in constant time.</param>
/// <param name="Team">Its team (null when it has none or the team was deleted).</param>
public sealed record ApiKeyCredential(ApiKeyInfo Key, byte[] Hash, TeamInfo? Team);

/// <summary>Finds keys for authentication. Implementations read the shared store (never a stale copy of spend).</summary>
public interface IApiKeyLookup
{
    /// <summary>The key with this id, or null when there is none.</summary>
    ValueTask<ApiKeyCredential?> FindAsync(string keyId, CancellationToken cancellationToken = default);
}

/// <summary>The values of <see cref="BudgetLimit.Period"/>, and where each period starts.</summary>
public static class BudgetPeriods
{
    /// <summary>A UTC calendar day.</summary>
    public const string Daily = "daily";

    /// <summary>A UTC calendar month.</summary>
    public const string Monthly = "monthly";

    /// <summary>All time.</summary>
    public const string Total = "total";

    /// <summary>Whether <paramref name="period"/> is one of the three (exact, lower case).</summary>
    public static bool IsKnown(string? period) => period is Daily or Monthly or Total;

    /// <summary>The start (UTC) of the period containing <paramref name="now"/>: midnight, the 1st of the month, or the unix epoch.</summary>
    public static DateTimeOffset StartOf(string period, DateTimeOffset now)
    {
        var utc = now.ToUniversalTime();
        return period switch
        {
            Daily => new DateTimeOffset(utc.Year, utc.Month, utc.Day, 0, 0, 0, TimeSpan.Zero),
            Monthly => new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero),
            Total => DateTimeOffset.UnixEpoch,
            _ => throw new ArgumentOutOfRangeException(nameof(period), period, "Budget periods are daily, monthly and total."),
        };
    }
}
