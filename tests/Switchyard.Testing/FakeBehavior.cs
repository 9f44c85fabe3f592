using System.Text.Json;

namespace Switchyard.Testing;

/// <summary>
/// What <see cref="FakeUpstream"/> does with a request: reply, fail with a provider error, wait, or break the connection.
/// Create instances with the static factory methods.
/// </summary>
public abstract record FakeBehavior
{
    private protected FakeBehavior()
    {
    }

    /// <summary>
    /// Replies with <c>"echo: "</c> followed by the text of the last message whose role is <c>user</c>
    /// (a string content, or the concatenated <c>text</c> parts of an array content).
    /// In JSON mode (OpenAI <c>response_format</c> of type <c>json_object</c> or <c>json_schema</c>, Anthropic
    /// <c>output_format</c> / <c>output_config.format</c> of type <c>json_schema</c>) the reply is instead the JSON
    /// document <c>{"echo":"&lt;that text&gt;"}</c>.
    /// </summary>
    /// <param name="usage">The usage to report; <see cref="FakeUsage.DefaultUsage"/> when <see langword="null"/>.</param>
    /// <returns>The behaviour.</returns>
    public static FakeBehavior Echo(FakeUsage? usage = null) => new EchoBehavior(usage ?? FakeUsage.DefaultUsage);

    /// <summary>Replies with the given assistant text.</summary>
    /// <param name="text">The reply text; streamed replies send it one word per delta.</param>
    /// <param name="usage">The usage to report; <see cref="FakeUsage.DefaultUsage"/> when <see langword="null"/>.</param>
    /// <returns>The behaviour.</returns>
    public static FakeBehavior Text(string text, FakeUsage? usage = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new TextBehavior(text, usage ?? FakeUsage.DefaultUsage);
    }

    /// <summary>
    /// Replies with a <c>thinking</c> block (its text and <c>signature</c>) followed by a <c>text</c> block, as the
    /// Anthropic Messages API does with extended thinking. Streamed, the thinking block is a
    /// <c>content_block_start</c> (type <c>thinking</c>), <c>thinking_delta</c>s (one word each), one
    /// <c>signature_delta</c> and a <c>content_block_stop</c>, before the text block. The OpenAI wire has no
    /// thinking block, so there the behaviour replies with the text only.
    /// </summary>
    /// <param name="thinking">The thinking text.</param>
    /// <param name="signature">The thinking block's signature (an opaque token; real ones are long base64).</param>
    /// <param name="text">The reply text, after the thinking block.</param>
    /// <param name="usage">The usage to report; <see cref="FakeUsage.DefaultUsage"/> when <see langword="null"/>.</param>
    /// <returns>The behaviour.</returns>
    public static FakeBehavior Thinking(string thinking, string signature, string text, FakeUsage? usage = null)
    {
        ArgumentNullException.ThrowIfNull(thinking);
        ArgumentNullException.ThrowIfNull(signature);
        ArgumentNullException.ThrowIfNull(text);
        return new ThinkingBehavior(thinking, signature, text, usage ?? FakeUsage.DefaultUsage);
    }

    /// <summary>
    /// Replies with a single function/tool call (OpenAI <c>tool_calls</c> with finish reason <c>tool_calls</c>,
    /// Anthropic <c>tool_use</c> block with stop reason <c>tool_use</c>).
    /// </summary>
    /// <param name="name">The function name.</param>
    /// <param name="argumentsJson">The arguments, as a JSON object text (for example <c>{"city":"Paris"}</c>).</param>
    /// <param name="callId">The call id (OpenAI <c>tool_calls[].id</c>, Anthropic <c>tool_use.id</c>).</param>
    /// <param name="usage">The usage to report; <see cref="FakeUsage.DefaultUsage"/> when <see langword="null"/>.</param>
    /// <returns>The behaviour.</returns>
    /// <exception cref="ArgumentException"><paramref name="argumentsJson"/> is not a JSON object.</exception>
    public static FakeBehavior ToolCall(string name, string argumentsJson, string callId = "call_1", FakeUsage? usage = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(argumentsJson);
        ArgumentException.ThrowIfNullOrEmpty(callId);
        try
        {
            using JsonDocument document = JsonDocument.Parse(argumentsJson);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new ArgumentException("The tool arguments must be a JSON object.", nameof(argumentsJson));
            }
        }
        catch (JsonException exception)
        {
            throw new ArgumentException("The tool arguments must be valid JSON.", nameof(argumentsJson), exception);
        }

        return new ToolCallBehavior(name, argumentsJson, callId, usage ?? FakeUsage.DefaultUsage);
    }

    /// <summary>
    /// Fails with the given HTTP status and an error body in the provider's own format
    /// (OpenAI <c>{"error":{...}}</c>, Anthropic <c>{"type":"error","error":{...}}</c>), streamed request or not.
    /// </summary>
    /// <param name="statusCode">The HTTP status code, 100 to 599.</param>
    /// <param name="message">The error message; a generic one when <see langword="null"/>.</param>
    /// <param name="retryAfter">When given, sent as a <c>Retry-After</c> header in whole seconds (rounded up).</param>
    /// <returns>The behaviour.</returns>
    public static FakeBehavior Status(int statusCode, string? message = null, TimeSpan? retryAfter = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(statusCode, 100);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(statusCode, 599);
        if (retryAfter is { } wait)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(wait, TimeSpan.Zero, nameof(retryAfter));
        }

        return new StatusBehavior(statusCode, message, retryAfter);
    }

    /// <summary>
    /// Waits, then behaves as <paramref name="then"/>. The wait ends early, dropping the connection, when the client
    /// aborts the request or the server is disposed.
    /// </summary>
    /// <param name="delay">How long to wait; <see cref="Timeout.InfiniteTimeSpan"/> waits until the request is aborted.</param>
    /// <param name="then">The behaviour after the wait.</param>
    /// <returns>The behaviour.</returns>
    public static FakeBehavior Delay(TimeSpan delay, FakeBehavior then)
    {
        if (delay != Timeout.InfiniteTimeSpan)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(delay, TimeSpan.Zero);
        }

        ArgumentNullException.ThrowIfNull(then);
        return new DelayBehavior(delay, then);
    }

    /// <summary>Aborts the connection without sending any response.</summary>
    /// <returns>The behaviour.</returns>
    public static FakeBehavior ResetConnection() => ResetConnectionBehavior.Instance;

    /// <summary>
    /// For streamed requests, starts a normal text stream, sends <paramref name="afterChunks"/> content deltas
    /// (one word of <paramref name="text"/> each) and then aborts the connection, with no finish event.
    /// Non-streamed requests get the same as <see cref="ResetConnection"/>.
    /// </summary>
    /// <param name="afterChunks">How many content deltas to send before aborting (0 or more).</param>
    /// <param name="text">The text whose words are sent.</param>
    /// <returns>The behaviour.</returns>
    public static FakeBehavior CutMidStream(int afterChunks, string text = "one two three four five six")
    {
        ArgumentOutOfRangeException.ThrowIfNegative(afterChunks);
        ArgumentNullException.ThrowIfNull(text);
        return new CutMidStreamBehavior(afterChunks, text);
    }
}
