namespace Switchyard.Testing;

/// <summary>Replies with a thinking block and then fixed text (see <see cref="FakeBehavior.Thinking"/>).</summary>
internal sealed record ThinkingBehavior(string ThinkingText, string Signature, string Reply, FakeUsage Usage) : FakeBehavior;
