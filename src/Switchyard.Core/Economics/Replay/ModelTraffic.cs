using System.Text.Json.Serialization;

namespace Switchyard.Economics.Replay;

/// <summary>What one served model handled in a window.</summary>
/// <param name="Model">The served model.</param>
/// <param name="Zone">Its residency zone (<c>self</c> = inside the boundary).</param>
/// <param name="Requests">Requests it served.</param>
/// <param name="InputTokens">Input tokens, cached ones included.</param>
/// <param name="CachedInputTokens">Input tokens read from a cache.</param>
/// <param name="OutputTokens">Output tokens.</param>
/// <param name="Cost">What the ledger recorded for them (US dollars).</param>
public sealed record ModelTraffic(
    [property: JsonPropertyName("model")] string Model,
    [property: JsonPropertyName("zone")] string? Zone,
    [property: JsonPropertyName("requests")] long Requests,
    [property: JsonPropertyName("input_tokens")] long InputTokens,
    [property: JsonPropertyName("cached_input_tokens")] long CachedInputTokens,
    [property: JsonPropertyName("output_tokens")] long OutputTokens,
    [property: JsonPropertyName("cost")] decimal Cost);
