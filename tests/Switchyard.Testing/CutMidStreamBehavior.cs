namespace Switchyard.Testing;

/// <summary>Streams a few deltas and then aborts (see <see cref="FakeBehavior.CutMidStream"/>).</summary>
internal sealed record CutMidStreamBehavior(int AfterChunks, string Reply) : FakeBehavior;
