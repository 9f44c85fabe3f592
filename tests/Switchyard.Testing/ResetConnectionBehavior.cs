namespace Switchyard.Testing;

/// <summary>Aborts the connection without a response (see <see cref="FakeBehavior.ResetConnection"/>).</summary>
internal sealed record ResetConnectionBehavior : FakeBehavior
{
    /// <summary>The single instance.</summary>
    public static ResetConnectionBehavior Instance { get; } = new();
}
