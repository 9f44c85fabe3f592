namespace Switchyard.Testing;

/// <summary>A successful reply to write in either wire format: text, or a single tool call.</summary>
/// <param name="Text">The assistant text, or <see langword="null"/> for a tool call.</param>
/// <param name="Tool">The tool call, or <see langword="null"/> for text.</param>
/// <param name="Usage">The usage to report.</param>
internal sealed record FakeReply(string? Text, ToolCallBehavior? Tool, FakeUsage Usage);
