using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Switchyard.Local.Kernels;

/// <summary>F32 weight rows.</summary>
internal readonly unsafe struct F32Row : IFloatRow
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load8(byte* row, int index) => Vector256.Load((float*)row + index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Load(byte* row, int index) => ((float*)row)[index];
}
