namespace Switchyard.Testing;

/// <summary>Replies with fixed text (see <see cref="FakeBehavior.Text"/>).</summary>
internal sealed record TextBehavior(string Reply, FakeUsage Usage) : FakeBehavior;
