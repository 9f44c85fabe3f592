using Microsoft.Extensions.AI;

namespace Switchyard.Metering;

/// <summary>Counts providers report beside MEAI's standard usage fields.</summary>
public static class UsageCounts
{
    /// <summary>
    /// Input tokens written to the provider's prompt cache: <see cref="UsageDetails.AdditionalCounts"/> under
    /// <c>CacheCreationInputTokens</c> (the Anthropic SDK's adapter) or <c>cache_creation_input_tokens</c>; 0 when not reported.
    /// </summary>
    public static long CacheWriteTokens(UsageDetails? usage) =>
        usage?.AdditionalCounts is { } counts
        && (counts.TryGetValue("CacheCreationInputTokens", out var c) || counts.TryGetValue("cache_creation_input_tokens", out c))
            ? Math.Max(0, c)
            : 0;
}
