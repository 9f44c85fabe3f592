using Switchyard.Access;

namespace Switchyard.Storage.Access;

/// <summary>A virtual API key to create (see <see cref="KeyStore.CreateKeyAsync"/>).</summary>
/// <param name="Name">Display name: 1–100 characters, no control characters.</param>
public sealed record KeySpec(string Name)
{
    /// <summary>Its team: a live team's id or name; null for none.</summary>
    public string? Team { get; init; }

    /// <summary>Model and route names it may request; null = all (still bounded by its team's list).</summary>
    public IReadOnlyList<string>? AllowedModels { get; init; }

    /// <summary>Data classes the privacy guard adds to every request made with it (e.g. <c>health</c>).</summary>
    public IReadOnlyList<string> DataClasses { get; init; } = [];

    /// <summary>Requests per minute (at least 1); null = unlimited.</summary>
    public int? Rpm { get; init; }

    /// <summary>Tokens per minute (at least 1); null = unlimited.</summary>
    public long? Tpm { get; init; }

    /// <summary>Its spend limits, at most one per period.</summary>
    public IReadOnlyList<BudgetLimit> Budgets { get; init; } = [];

    /// <summary>When it stops working (must be in the future); null = never.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Whether an exhausted budget also blocks zero-cost (self-hosted) models.</summary>
    public bool BudgetBlocksFree { get; init; }

    /// <summary>Free-form labels.</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }
}
