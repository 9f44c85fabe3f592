using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Switchyard.Local.Kernels;

/// <summary>
/// The 12-byte scale field of Q4_K blocks: eight 6-bit scales and eight 6-bit mins. Sub-blocks 0-3 keep their scale
/// and min in the low 6 bits of bytes 0-3 and 4-7; sub-blocks 4-7 keep their low 4 bits in the nibbles of bytes 8-11
/// and their top 2 bits in the spare top bits of bytes 0-3 (scales) and 4-7 (mins).
/// </summary>
internal static unsafe class Q4KScales
{
    private const uint Low6 = 0x3F3F_3F3Fu;
    private const uint Low4 = 0x0F0F_0F0Fu;
    private const uint Low2 = 0x0303_0303u;

    /// <summary>Unpacks <paramref name="packed"/> into 16 bytes: the eight scales, then the eight mins.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Unpack(byte* packed, uint* unpacked)
    {
        uint a = Unsafe.ReadUnaligned<uint>(packed);
        uint b = Unsafe.ReadUnaligned<uint>(packed + 4);
        uint c = Unsafe.ReadUnaligned<uint>(packed + 8);
        unpacked[0] = a & Low6;
        unpacked[1] = (c & Low4) | (((a >> 6) & Low2) << 4);
        unpacked[2] = b & Low6;
        unpacked[3] = ((c >> 4) & Low4) | (((b >> 6) & Low2) << 4);
    }

    /// <summary>
    /// <see cref="Unpack"/> straight into a register: the eight scales in bytes 0-7, the eight mins in bytes 8-15.
    /// Building the vector from the four words avoids storing them and loading them back as one vector (a store-to-load
    /// forwarding stall on every block).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> UnpackVector(byte* packed)
    {
        uint a = Unsafe.ReadUnaligned<uint>(packed);
        uint b = Unsafe.ReadUnaligned<uint>(packed + 4);
        uint c = Unsafe.ReadUnaligned<uint>(packed + 8);
        return Vector128.Create(
            a & Low6,
            (c & Low4) | (((a >> 6) & Low2) << 4),
            b & Low6,
            ((c >> 4) & Low4) | (((b >> 6) & Low2) << 4)).AsByte();
    }

    /// <summary>Scale <paramref name="j"/> (0-7) and min <paramref name="j"/> of <paramref name="packed"/>.</summary>
    public static void Get(ReadOnlySpan<byte> packed, int j, out int scale, out int min)
    {
        if (j < 4)
        {
            scale = packed[j] & 63;
            min = packed[j + 4] & 63;
        }
        else
        {
            scale = (packed[j + 4] & 0xF) | ((packed[j - 4] >> 6) << 4);
            min = (packed[j + 4] >> 4) | ((packed[j] >> 6) << 4);
        }
    }

    /// <summary>Stores scale <paramref name="j"/> and min <paramref name="j"/> (each 0-63); bytes must start zeroed.</summary>
    public static void Set(Span<byte> packed, int j, int scale, int min)
    {
        if (j < 4)
        {
            packed[j] |= (byte)scale;
            packed[j + 4] |= (byte)min;
        }
        else
        {
            packed[j + 4] = (byte)((scale & 0xF) | ((min & 0xF) << 4));
            packed[j - 4] |= (byte)((scale >> 4) << 6);
            packed[j] |= (byte)((min >> 4) << 6);
        }
    }
}
