namespace Switchyard.Local.Kernels;

/// <summary>
/// A per-thread pinned scratch area that grows geometrically and is reused by every call on that thread, so the
/// kernels do not allocate per call. The memory stays valid until the same thread asks for scratch again.
/// </summary>
internal static unsafe class ScratchBuffer
{
    [ThreadStatic]
    private static byte[]? _buffer;

    /// <summary>A 64-byte aligned pointer to at least <paramref name="bytes"/> bytes of this thread's scratch.</summary>
    public static byte* Get(nint bytes)
    {
        byte[]? buffer = _buffer;
        if (buffer is null || buffer.Length < bytes + 64)
        {
            long size = Math.Max(bytes + 64, buffer is null ? 64 * 1024 : (long)buffer.Length * 2);
            buffer = GC.AllocateUninitializedArray<byte>(checked((int)size), pinned: true);
            _buffer = buffer;
        }

        // The array is pinned (pinned object heap), so its address is stable for its lifetime.
        fixed (byte* start = buffer)
        {
            return (byte*)(((nint)start + 63) & ~(nint)63);
        }
    }
}
