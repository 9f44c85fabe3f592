using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Switchyard.Local.Kernels;

/// <summary>Shared AVX2 building blocks of the dot kernels, in the lane order ggml's x86 kernels use.</summary>
internal static class SimdOps
{
    /// <summary>True when the AVX2 kernels can run (AVX2, FMA, and the SSE levels they imply).</summary>
    public static bool Avx2Available => Avx2.IsSupported && Fma.IsSupported;

    /// <summary>Horizontal sum in ggml's <c>hsum_float_8</c> order: ((l0+h0)+(l2+h2)) + ((l1+h1)+(l3+h3)).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float HorizontalSum(Vector256<float> x)
    {
        Vector128<float> r = Sse.Add(x.GetUpper(), x.GetLower());
        r = Sse.Add(r, Sse.MoveHighToLow(r, r));
        r = Sse.AddScalar(r, Sse3.MoveHighAndDuplicate(r));
        return r.ToScalar();
    }

    /// <summary>Horizontal sum of four floats: (a0+a2) + (a1+a3).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float HorizontalSum(Vector128<float> x)
    {
        Vector128<float> r = Sse.Add(x, Sse.MoveHighToLow(x, x));
        r = Sse.AddScalar(r, Sse3.MoveHighAndDuplicate(r));
        return r.ToScalar();
    }

    /// <summary>
    /// Signed int8 dot products of each 4 consecutive bytes into 8 int32 lanes (ggml's <c>mul_sum_i8_pairs</c>):
    /// |x| times y with x's sign, summed by VNNI where available, else by two multiply-add-adjacent steps.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> DotI8(Vector256<sbyte> x, Vector256<sbyte> y)
    {
        Vector256<byte> ax = Avx2.Sign(x, x).AsByte();
        Vector256<sbyte> sy = Avx2.Sign(y, x);
        return DotU8I8(ax, sy);
    }

    /// <summary>Unsigned-by-signed int8 dot products of each 4 consecutive bytes into 8 int32 lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<int> DotU8I8(Vector256<byte> ax, Vector256<sbyte> sy)
    {
        if (AvxVnni.IsSupported)
        {
            return AvxVnni.MultiplyWideningAndAdd(Vector256<int>.Zero, ax, sy);
        }

        return Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(ax, sy), Vector256.Create((short)1));
    }
}
