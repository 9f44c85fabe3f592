namespace Switchyard.Configuration;

/// <summary>
/// The whole Switchyard configuration, bound from the <c>Switchyard</c> section (JSON file plus
/// <c>SWITCHYARD__…</c> environment variables). Validate it with <see cref="SwitchyardOptionsValidator"/>.
/// </summary>
public sealed class SwitchyardOptions
{
    /// <summary>The configuration section this type binds to.</summary>
    public const string SectionName = "Switchyard";

    /// <summary>Upstream providers by id (e.g. <c>vllm</c>, <c>openai</c>).</summary>
    public Dictionary<string, ProviderConfig> Providers { get; init; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Models clients may request, by the name clients use.</summary>
    public Dictionary<string, ModelConfig> Models { get; init; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Routes: a requested name that resolves to an ordered list of candidate models.</summary>
    public Dictionary<string, RouteConfig> Routes { get; init; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Where and how requests are recorded.</summary>
    public LedgerConfig Ledger { get; init; } = new();

    /// <summary>The database behind the ledger: a SQLite file (default) or a shared PostgreSQL database.</summary>
    public StorageConfig Storage { get; init; } = new();

    /// <summary>API keys and the admin master key.</summary>
    public AuthConfig Auth { get; init; } = new();

    /// <summary>Budgets (their limits live in the store: <c>switchyard keys|teams</c> and the admin API).</summary>
    public BudgetsConfig Budgets { get; init; } = new();

    /// <summary>The privacy boundary: inside zones and data-class rules.</summary>
    public PrivacyConfig Privacy { get; init; } = new();

    /// <summary>Limits the gateway enforces on every request.</summary>
    public LimitsConfig Limits { get; init; } = new();

    /// <summary>Price catalog overrides and additions (economics: <c>tco</c>, <c>advise</c>).</summary>
    public PricingConfig Pricing { get; init; } = new();

    /// <summary>The deployment whose licence terms <c>serve</c> checks every configured model against at start-up.</summary>
    public ComplianceConfig Compliance { get; init; } = new();

    /// <summary>The sentence embedder learned difficulty routers read.</summary>
    public EmbeddingsConfig Embeddings { get; init; } = new();
}
