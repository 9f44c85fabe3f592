namespace Switchyard.Testing;

/// <summary>Waits and then behaves as another behaviour (see <see cref="FakeBehavior.Delay"/>).</summary>
internal sealed record DelayBehavior(TimeSpan Wait, FakeBehavior Then) : FakeBehavior;
