namespace Switchyard.Testing;

/// <summary>
/// Token counts that <see cref="FakeUpstream"/> reports in the usage object of a reply.
/// </summary>
/// <param name="InputTokens">
/// Prompt tokens: OpenAI <c>usage.prompt_tokens</c>, Anthropic <c>usage.input_tokens</c> (written as given).
/// </param>
/// <param name="OutputTokens">Completion tokens: OpenAI <c>usage.completion_tokens</c>, Anthropic <c>usage.output_tokens</c>.</param>
/// <param name="CachedInputTokens">
/// Tokens read from the prompt cache: OpenAI <c>usage.prompt_tokens_details.cached_tokens</c>,
/// Anthropic <c>usage.cache_read_input_tokens</c>.
/// </param>
/// <param name="CacheCreationInputTokens">
/// Tokens written to the prompt cache: Anthropic <c>usage.cache_creation_input_tokens</c> (OpenAI has no such field).
/// </param>
public sealed record FakeUsage(int InputTokens, int OutputTokens, int CachedInputTokens = 0, int CacheCreationInputTokens = 0)
{
    /// <summary>
    /// The usage reported when a behaviour is given none: 11 input tokens, 7 output tokens, 3 of the input tokens cached.
    /// </summary>
    public static FakeUsage DefaultUsage { get; } = new(InputTokens: 11, OutputTokens: 7, CachedInputTokens: 3);
}
