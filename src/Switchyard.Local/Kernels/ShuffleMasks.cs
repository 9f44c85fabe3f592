using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Switchyard.Local.Kernels;

/// <summary>Byte-shuffle masks that broadcast block scales to the lanes they apply to.</summary>
internal static unsafe class ShuffleMasks
{
    /// <summary>8 masks of 32 bytes: mask k repeats bytes (2k, 2k+1), broadcasting int16 number k of each 128-bit lane.</summary>
    private static readonly byte* Word = BuildWord();

    /// <summary>8 masks of 16 bytes: mask k is byte 2k eight times, then byte 2k+1 eight times.</summary>
    private static readonly byte* BytePair = BuildBytePair();

    /// <summary>Mask that broadcasts int16 number <paramref name="k"/> (0-7) of each 128-bit lane over that lane.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<byte> BroadcastWord(int k) => Vector256.Load(Word + (k * 32));

    /// <summary>Mask that spreads byte 2k over the low 8 bytes and byte 2k+1 over the high 8 bytes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector128<byte> SpreadBytePair(int k) => Vector128.Load(BytePair + (k * 16));

    private static byte* BuildWord()
    {
        var masks = (byte*)NativeMemory.AlignedAlloc(8 * 32, 64);
        for (int k = 0; k < 8; k++)
        {
            for (int b = 0; b < 32; b += 2)
            {
                masks[(k * 32) + b] = (byte)(2 * k);
                masks[(k * 32) + b + 1] = (byte)((2 * k) + 1);
            }
        }

        return masks;
    }

    private static byte* BuildBytePair()
    {
        var masks = (byte*)NativeMemory.AlignedAlloc(8 * 16, 64);
        for (int k = 0; k < 8; k++)
        {
            for (int b = 0; b < 16; b++)
            {
                masks[(k * 16) + b] = (byte)((2 * k) + (b / 8));
            }
        }

        return masks;
    }
}
