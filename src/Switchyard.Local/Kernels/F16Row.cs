using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Switchyard.Local.Kernels;

/// <summary>F16 weight rows, widened exactly.</summary>
internal readonly unsafe struct F16Row : IFloatRow
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load8(byte* row, int index) =>
        Fp16.ToSingle(Avx2.ConvertToVector256Int32((ushort*)row + index).AsUInt32());

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Load(byte* row, int index) => Fp16.ToSingle(((ushort*)row)[index]);
}
