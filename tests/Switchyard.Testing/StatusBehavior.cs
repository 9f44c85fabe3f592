namespace Switchyard.Testing;

/// <summary>Fails with a provider error (see <see cref="FakeBehavior.Status"/>).</summary>
internal sealed record StatusBehavior(int StatusCode, string? Message, TimeSpan? RetryAfter) : FakeBehavior;
