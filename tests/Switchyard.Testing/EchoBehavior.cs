namespace Switchyard.Testing;

/// <summary>Replies with the last user message's text (see <see cref="FakeBehavior.Echo"/>).</summary>
internal sealed record EchoBehavior(FakeUsage Usage) : FakeBehavior;
