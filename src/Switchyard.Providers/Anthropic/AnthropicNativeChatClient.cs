using System.Text.Json;
using Anthropic.Models.Messages;
using Microsoft.Extensions.AI;
using Switchyard.Wire;

namespace Switchyard.Providers.Anthropic;

/// <summary>
/// Forwards what a Messages client sent and Microsoft.Extensions.AI cannot express (<see cref="AnthropicNative"/>) to
/// the Anthropic SDK's adapter intact: each block's <c>cache_control</c> through the SDK's own
/// <c>WithCacheControl</c>, the top-level <c>thinking</c>, <c>service_tier</c>, <c>metadata</c>,
/// <c>cache_control</c>, <c>tools</c> and <c>tool_choice</c> as raw JSON of the SDK's <see cref="MessageCreateParams"/>,
/// and the client's <c>anthropic-beta</c> header. Thinking blocks and their signatures already travel as
/// <see cref="TextReasoningContent.ProtectedData"/>. <c>temperature</c>, <c>top_p</c> and <c>top_k</c>, which the
/// adapter (13.12) leaves out, are set the same way, whatever the inbound format.
/// </summary>
public sealed class AnthropicNativeChatClient : DelegatingChatClient
{
    private static readonly IReadOnlyDictionary<string, JsonElement> s_none = new Dictionary<string, JsonElement>();
    private static readonly JsonElement s_emptyArray = JsonDocument.Parse("[]").RootElement.Clone();
    private readonly string _upstreamModel;
    private readonly int _defaultMaxTokens;

    /// <summary>Wraps the SDK's adapter for one upstream model.</summary>
    public AnthropicNativeChatClient(IChatClient innerClient, string upstreamModel, int defaultMaxTokens)
        : base(innerClient)
    {
        _upstreamModel = upstreamModel;
        _defaultMaxTokens = defaultMaxTokens;
    }

    /// <summary>The upstream's count_tokens, when the provider's HTTP client is known.</summary>
    internal IAnthropicTokenCounter? TokenCounter { get; init; }

    /// <inheritdoc />
    public override object? GetService(System.Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is null && serviceType == typeof(IAnthropicTokenCounter) ? TokenCounter : base.GetService(serviceType, serviceKey);
    }

    /// <inheritdoc />
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetResponseAsync(WithCacheControl(messages), Native(options), cancellationToken);

    /// <inheritdoc />
    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
        base.GetStreamingResponseAsync(WithCacheControl(messages), Native(options), cancellationToken);

    /// <summary>
    /// Sets the SDK's cache control on every block the client marked, and gives thinking and redacted-thinking blocks
    /// their exact SDK block (the adapter would otherwise send redacted thinking as an empty thinking block).
    /// </summary>
    private static IEnumerable<ChatMessage> WithCacheControl(IEnumerable<ChatMessage> messages)
    {
        foreach (var message in messages)
        {
            foreach (var content in message.Contents)
            {
                if (content is TextReasoningContent { RawRepresentation: null, ProtectedData: { Length: > 0 } data } reasoning)
                {
                    reasoning.RawRepresentation = reasoning.AdditionalProperties?.ContainsKey(AnthropicNative.RedactedThinkingKey) == true
                        ? new ContentBlockParam(new RedactedThinkingBlockParam { Data = data })
                        : new ContentBlockParam(new ThinkingBlockParam { Thinking = reasoning.Text, Signature = data });
                }
                else if (AnthropicNative.CacheControl(content) is { } cache)
                {
                    content.WithCacheControl(ToSdk(cache));
                }
            }
        }

        return messages;
    }

    private static CacheControlEphemeral ToSdk(JsonElement cache) =>
        cache.TryGetProperty("ttl", out var ttl) && ttl.ValueKind == JsonValueKind.String
            ? new CacheControlEphemeral { Ttl = ttl.GetString() == "1h" ? Ttl.Ttl1h : Ttl.Ttl5m }
            : new CacheControlEphemeral();

    /// <summary>The options with the client's raw top-level fields and beta header as the SDK's starting parameters.</summary>
    private ChatOptions? Native(ChatOptions? options)
    {
        var body = AnthropicNative.Body(options);
        var beta = AnthropicNative.Beta(options);
        if (options is null || (body is null && beta is null && options.Temperature is null && options.TopP is null && options.TopK is null))
        {
            return options;
        }

        var raw = new Dictionary<string, JsonElement>(StringComparer.Ordinal)
        {
            ["model"] = JsonSerializer.SerializeToElement(options.ModelId ?? _upstreamModel, ProviderJsonContext.Default.String),
            ["max_tokens"] = JsonSerializer.SerializeToElement(options.MaxOutputTokens ?? _defaultMaxTokens, ProviderJsonContext.Default.Int32),
            ["messages"] = s_emptyArray, // the adapter appends the translated conversation
        };
        // The SDK's adapter (13.12) leaves these out of the request; as starting parameters they are sent.
        if (options.Temperature is { } temperature)
        {
            raw["temperature"] = JsonSerializer.SerializeToElement(temperature, ProviderJsonContext.Default.Single);
        }

        if (options.TopP is { } topP)
        {
            raw["top_p"] = JsonSerializer.SerializeToElement(topP, ProviderJsonContext.Default.Single);
        }

        if (options.TopK is { } topK)
        {
            raw["top_k"] = JsonSerializer.SerializeToElement(topK, ProviderJsonContext.Default.Int32);
        }

        foreach (var (name, value) in body ?? new Dictionary<string, object?>())
        {
            if (value is JsonElement element)
            {
                raw[name] = element;
            }
        }

        var headers = beta is null
            ? s_none
            : new Dictionary<string, JsonElement>(StringComparer.Ordinal) { ["anthropic-beta"] = JsonSerializer.SerializeToElement(beta, ProviderJsonContext.Default.String) };
        var clone = options.Clone();
        if (raw.ContainsKey("tools"))
        {
            clone.Tools = null; // sent as the client wrote them; the adapter would add its translation a second time
        }

        var parameters = MessageCreateParams.FromRawUnchecked(headers, s_none, raw);
        clone.RawRepresentationFactory = _ => parameters;
        return clone;
    }
}
