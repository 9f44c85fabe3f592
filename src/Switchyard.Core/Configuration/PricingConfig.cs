namespace Switchyard.Configuration;

/// <summary>Price catalog overrides: entries that replace a shipped catalog entry (same id or alias) or add one.</summary>
public sealed class PricingConfig
{
    /// <summary>Model id → its prices.</summary>
    public Dictionary<string, PriceOverrideConfig> Models { get; init; } = new(StringComparer.OrdinalIgnoreCase);
}
