using Switchyard.Access;

namespace Switchyard.Storage.Access;

/// <summary>
/// Changes to a team (see <see cref="KeyStore.UpdateTeamAsync"/>): a null property is left unchanged; the <c>Clear…</c>
/// and <see cref="AllModels"/> flags remove a value (and may not be combined with a new one).
/// </summary>
public sealed record TeamUpdate
{
    /// <summary>A new unique name.</summary>
    public string? Name { get; init; }

    /// <summary>A new allow-list (replaces the old one).</summary>
    public IReadOnlyList<string>? AllowedModels { get; init; }

    /// <summary>Allow every model again (the allow-list becomes null).</summary>
    public bool AllModels { get; init; }

    /// <summary>A new requests-per-minute limit.</summary>
    public int? Rpm { get; init; }

    /// <summary>Remove the requests-per-minute limit.</summary>
    public bool ClearRpm { get; init; }

    /// <summary>A new tokens-per-minute limit.</summary>
    public long? Tpm { get; init; }

    /// <summary>Remove the tokens-per-minute limit.</summary>
    public bool ClearTpm { get; init; }

    /// <summary>The team's budgets after the update (replaces them all; empty removes them). A kept period keeps its spend.</summary>
    public IReadOnlyList<BudgetLimit>? Budgets { get; init; }

    /// <summary>New labels (replace the old ones; empty removes them).</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }
}
