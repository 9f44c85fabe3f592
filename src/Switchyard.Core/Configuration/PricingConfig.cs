namespace Switchyard.Configuration;

/// <summary>Price catalog overrides: entries that replace a shipped catalog entry (same id or alias) or add one.</summary>
public sealed class PricingConfig
{
    /// <summary>Model id → its prices.</summary>
    public Dictionary<string, PriceOverrideConfig> Models { get; init; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// A price map in litellm's format (e.g. written by <c>switchyard catalog update</c>) used instead of the shipped
    /// snapshot for every model it lists; verified entries and <see cref="Models"/> still win. Relative to the config file.
    /// </summary>
    public string? MapFile { get; set; }
}
