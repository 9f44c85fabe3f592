using Switchyard.Access;

namespace Switchyard.Storage.Access;

/// <summary>A team to create (see <see cref="KeyStore.CreateTeamAsync"/>).</summary>
/// <param name="Name">Unique among live teams: 1–64 letters, digits, spaces, <c>.</c>, <c>_</c> or <c>-</c>.</param>
public sealed record TeamSpec(string Name)
{
    /// <summary>Model and route names its keys may request; null = all.</summary>
    public IReadOnlyList<string>? AllowedModels { get; init; }

    /// <summary>Requests per minute shared by its keys (at least 1); null = unlimited.</summary>
    public int? Rpm { get; init; }

    /// <summary>Tokens per minute shared by its keys (at least 1); null = unlimited.</summary>
    public long? Tpm { get; init; }

    /// <summary>Its spend limits, at most one per period.</summary>
    public IReadOnlyList<BudgetLimit> Budgets { get; init; } = [];

    /// <summary>Free-form labels.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }
}
