using System.Text.Json.Serialization;

namespace Switchyard.Economics.Pricing;

/// <summary>The JSON shape of a pricing catalog file: <c>{ "models": [ … ] }</c>.</summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
internal sealed record PricingCatalogDocument
{
    /// <summary>Free text about the file (where the prices come from); ignored.</summary>
    [JsonPropertyName("about")]
    public string? About { get; init; }

    /// <summary>The entries.</summary>
    [JsonPropertyName("models")]
    public IReadOnlyList<CatalogPrice>? Models { get; init; }
}
