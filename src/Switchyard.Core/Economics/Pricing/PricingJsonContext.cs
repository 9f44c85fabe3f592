using System.Text.Json;
using System.Text.Json.Serialization;

namespace Switchyard.Economics.Pricing;

/// <summary>Source-generated JSON for pricing catalog files (no reflection at load).</summary>
[JsonSourceGenerationOptions(
    ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(PricingCatalogDocument))]
[JsonSerializable(typeof(CatalogPrice))]
internal sealed partial class PricingJsonContext : JsonSerializerContext;
