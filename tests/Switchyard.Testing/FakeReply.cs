namespace Switchyard.Testing;

/// <summary>A successful reply to write in either wire format: text, or a single tool call.</summary>
/// <param name="Text">The assistant text, or <see langword="null"/> for a tool call.</param>
/// <param name="Tool">The tool call, or <see langword="null"/> for text.</param>
/// <param name="Usage">The usage to report.</param>
/// <param name="Thinking">
/// A thinking block written before the text (Anthropic wire only; the OpenAI wire ignores it), or <see langword="null"/>.
/// </param>
internal sealed record FakeReply(string? Text, ToolCallBehavior? Tool, FakeUsage Usage, ThinkingBehavior? Thinking = null);
