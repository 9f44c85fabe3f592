using System.Buffers.Binary;
using System.Text;

namespace Switchyard.Local.Gguf;

/// <summary>A bounds-checked little-endian reader over the mapped bytes of a GGUF file.</summary>
internal sealed unsafe class GgufCursor
{
    private readonly byte* _start;
    private readonly string _path;

    public GgufCursor(byte* start, long length, string path)
    {
        _start = start;
        Length = length;
        _path = path;
    }

    public long Position { get; set; }

    public long Length { get; }

    public long Remaining => Length - Position;

    public GgufFormatException Error(string problem) => new(_path, Position, problem);

    public GgufFormatException Error(long offset, string problem) => new(_path, offset, problem);

    private ReadOnlySpan<byte> Take(int count, string what)
    {
        if (Remaining < count)
        {
            throw Error($"the file ends early: expected {count} bytes of {what} but only {Math.Max(0, Remaining)} remain (file length {Length}).");
        }

        var span = new ReadOnlySpan<byte>(_start + Position, count);
        Position += count;
        return span;
    }

    public byte ReadUInt8(string what) => Take(1, what)[0];

    public ushort ReadUInt16(string what) => BinaryPrimitives.ReadUInt16LittleEndian(Take(2, what));

    public uint ReadUInt32(string what) => BinaryPrimitives.ReadUInt32LittleEndian(Take(4, what));

    public ulong ReadUInt64(string what) => BinaryPrimitives.ReadUInt64LittleEndian(Take(8, what));

    public float ReadFloat32(string what) => BinaryPrimitives.ReadSingleLittleEndian(Take(4, what));

    public double ReadFloat64(string what) => BinaryPrimitives.ReadDoubleLittleEndian(Take(8, what));

    /// <summary>Reads a count and checks that that many items of at least <paramref name="minItemBytes"/> bytes can still follow.</summary>
    public long ReadCount(string what, int minItemBytes)
    {
        long at = Position;
        ulong count = ReadUInt64(what);
        if (count > (ulong)Math.Max(0, Remaining) / (ulong)Math.Max(1, minItemBytes))
        {
            throw Error(at, $"{what} is {count}, more than the {Remaining} remaining bytes of the file can hold; the file is truncated or corrupt.");
        }

        return (long)count;
    }

    public string ReadString(string what)
    {
        long at = Position;
        long length = ReadCount($"the length of {what}", 1);
        if (length > int.MaxValue)
        {
            throw Error(at, $"{what} is {length} bytes long, which is not supported.");
        }

        // Invalid UTF-8 (rare, in some vocabularies) becomes U+FFFD rather than failing the whole file.
        return Encoding.UTF8.GetString(Take((int)length, what));
    }
}
