using Switchyard.Access;

namespace Switchyard.Storage.Access;

/// <summary>
/// Changes to a key (see <see cref="KeyStore.UpdateKeyAsync"/>): a null property is left unchanged; the <c>Clear…</c>
/// and <see cref="AllModels"/> flags remove a value (and may not be combined with a new one).
/// </summary>
public sealed record KeyUpdate
{
    /// <summary>A new display name.</summary>
    public string? Name { get; init; }

    /// <summary>A new allow-list (replaces the old one).</summary>
    public IReadOnlyList<string>? AllowedModels { get; init; }

    /// <summary>Allow every model again (the allow-list becomes null; the team's list still applies).</summary>
    public bool AllModels { get; init; }

    /// <summary>New data classes (replace the old ones; empty removes them).</summary>
    public IReadOnlyList<string>? DataClasses { get; init; }

    /// <summary>A new requests-per-minute limit.</summary>
    public int? Rpm { get; init; }

    /// <summary>Remove the requests-per-minute limit.</summary>
    public bool ClearRpm { get; init; }

    /// <summary>A new tokens-per-minute limit.</summary>
    public long? Tpm { get; init; }

    /// <summary>Remove the tokens-per-minute limit.</summary>
    public bool ClearTpm { get; init; }

    /// <summary>The key's budgets after the update (replaces them all; empty removes them). A kept period keeps its spend.</summary>
    public IReadOnlyList<BudgetLimit>? Budgets { get; init; }

    /// <summary>A new expiry (must be in the future).</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Remove the expiry.</summary>
    public bool ClearExpiry { get; init; }

    /// <summary>Enable (true) or disable (false) it. A revoked key cannot be enabled again.</summary>
    public bool? Enabled { get; init; }

    /// <summary>Whether an exhausted budget also blocks zero-cost models.</summary>
    public bool? BudgetBlocksFree { get; init; }

    /// <summary>New labels (replace the old ones; empty removes them).</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }
}
