using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Switchyard.Local.Kernels;

/// <summary>BF16 weight rows: each value is the top half of a float.</summary>
internal readonly unsafe struct BF16Row : IFloatRow
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load8(byte* row, int index) =>
        Avx2.ShiftLeftLogical(Avx2.ConvertToVector256Int32((ushort*)row + index), 16).AsSingle();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Load(byte* row, int index) => Bf16.ToSingle(((ushort*)row)[index]);
}
