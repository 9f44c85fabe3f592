using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Switchyard.Wire;

/// <summary>
/// What an Anthropic Messages request carries that Microsoft.Extensions.AI types cannot: kept beside the translated
/// request so that an Anthropic upstream receives it exactly as the client sent it (full fidelity), while other
/// providers, which do not understand it, drop it and the decision says so.
/// </summary>
/// <remarks>
/// The values are plain JSON (<see cref="JsonElement"/>) under keys the privacy guard scans like any other field.
/// </remarks>
public static class AnthropicNative
{
    /// <summary>
    /// Key in <see cref="ChatOptions.AdditionalProperties"/> of the top-level fields passed verbatim to an Anthropic
    /// upstream (a <see cref="Dictionary{TKey, TValue}"/> of name to <see cref="JsonElement"/>): <c>thinking</c>,
    /// <c>service_tier</c>, <c>metadata</c>, <c>cache_control</c>, <c>tools</c>, <c>tool_choice</c>.
    /// </summary>
    public const string BodyKey = "anthropic.body";

    /// <summary>Key in <see cref="ChatOptions.AdditionalProperties"/> of the client's <c>anthropic-beta</c> header value (a string).</summary>
    public const string BetaKey = "anthropic.beta";

    /// <summary>Key in <see cref="AIContent.AdditionalProperties"/> of a block's <c>cache_control</c> (a <see cref="JsonElement"/>).</summary>
    public const string CacheControlKey = "anthropic.cache_control";

    /// <summary>
    /// Key set to <see langword="true"/> in <see cref="AIContent.AdditionalProperties"/> of a
    /// <see cref="TextReasoningContent"/> read from a <c>redacted_thinking</c> block (its <c>data</c> is in
    /// <see cref="TextReasoningContent.ProtectedData"/>).
    /// </summary>
    public const string RedactedThinkingKey = "anthropic.redacted_thinking";

    /// <summary>The fields to pass verbatim, if the request came in Anthropic's format with any.</summary>
    public static IReadOnlyDictionary<string, object?>? Body(ChatOptions? options) =>
        options?.AdditionalProperties?.TryGetValue(BodyKey, out var value) == true ? value as IReadOnlyDictionary<string, object?> : null;

    /// <summary>The <c>anthropic-beta</c> header to forward, if any.</summary>
    public static string? Beta(ChatOptions? options) =>
        options?.AdditionalProperties?.TryGetValue(BetaKey, out var value) == true ? value as string : null;

    /// <summary>The block's <c>cache_control</c>, if the client set one.</summary>
    public static JsonElement? CacheControl(AIContent content)
    {
        ArgumentNullException.ThrowIfNull(content);
        return content.AdditionalProperties?.TryGetValue(CacheControlKey, out var value) == true && value is JsonElement e ? e : null;
    }

    /// <summary>Whether any block of <paramref name="messages"/> carries a <c>cache_control</c>.</summary>
    public static bool AnyCacheControl(IEnumerable<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        foreach (var message in messages)
        {
            foreach (var content in message.Contents)
            {
                if (content.AdditionalProperties?.ContainsKey(CacheControlKey) == true)
                {
                    return true;
                }
            }
        }

        return false;
    }
}
