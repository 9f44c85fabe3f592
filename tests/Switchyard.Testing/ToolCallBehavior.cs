namespace Switchyard.Testing;

/// <summary>Replies with one tool call (see <see cref="FakeBehavior.ToolCall"/>).</summary>
internal sealed record ToolCallBehavior(string Name, string ArgumentsJson, string CallId, FakeUsage Usage) : FakeBehavior;
