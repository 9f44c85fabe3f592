using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Switchyard.Local.Kernels;

/// <summary>
/// Q4_0 weights times Q8_0 activations (ggml's <c>ggml_vec_dot_q4_0_q8_0</c>): nibbles minus 8 as int8, int32 dot per
/// block, scaled by d_w * d_a into eight float lanes.
/// </summary>
#pragma warning disable CA1707 // the ggml type name is part of the kernel name
internal readonly unsafe struct Q4_0Dot : IRowDot
#pragma warning restore CA1707
{
    public static float DotScalar(byte* row, in Activations a, int column)
    {
        int blocks = a.Cols / BlockLayout.QK;
        sbyte* q = a.QuantsOf(column);
        float* d = a.ScalesOf(column);
        float sum = 0;
        for (int ib = 0; ib < blocks; ib++)
        {
            byte* block = row + (ib * BlockLayout.Q4_0Bytes);
            byte* nibbles = block + 2;
            sbyte* y = q + (ib * BlockLayout.QK);
            int low = 0;
            int high = 0;
            for (int j = 0; j < 16; j++)
            {
                low += ((nibbles[j] & 0xF) - 8) * y[j];
                high += ((nibbles[j] >> 4) - 8) * y[j + 16];
            }

            sum += (low + high) * Fp16.ToSingle(Unsafe.ReadUnaligned<ushort>(block)) * d[ib];
        }

        return sum;
    }

    public static float Dot(byte* row, in Activations a, int column)
    {
        int blocks = a.Cols / BlockLayout.QK;
        sbyte* q = a.QuantsOf(column);
        float* d = a.ScalesOf(column);
        Vector256<float> acc = Vector256<float>.Zero;
        for (int ib = 0; ib < blocks; ib++)
        {
            byte* block = row + (ib * BlockLayout.Q4_0Bytes);
            Vector256<sbyte> qx = Unpack(block + 2);
            float scale = Fp16.ToSingle(Unsafe.ReadUnaligned<ushort>(block)) * d[ib];
            Vector256<int> p = SimdOps.DotI8(qx, Avx.LoadVector256(q + (ib * BlockLayout.QK)));
            acc = Fma.MultiplyAdd(Vector256.Create(scale), Avx.ConvertToVector256Single(p), acc);
        }

        return SimdOps.HorizontalSum(acc);
    }

    public static void Dot4(byte* row, in Activations a, int column, float* results)
    {
        int cols = a.Cols;
        int blocks = cols / BlockLayout.QK;
        sbyte* q0 = a.QuantsOf(column);
        float* d0 = a.ScalesOf(column);
        int qStride = cols;
        int dStride = blocks;
        Vector256<float> acc0 = Vector256<float>.Zero;
        Vector256<float> acc1 = Vector256<float>.Zero;
        Vector256<float> acc2 = Vector256<float>.Zero;
        Vector256<float> acc3 = Vector256<float>.Zero;
        for (int ib = 0; ib < blocks; ib++)
        {
            byte* block = row + (ib * BlockLayout.Q4_0Bytes);
            Vector256<sbyte> qx = Unpack(block + 2);
            float dw = Fp16.ToSingle(Unsafe.ReadUnaligned<ushort>(block));
            Vector256<byte> ax = Avx2.Sign(qx, qx).AsByte();
            sbyte* y = q0 + (ib * BlockLayout.QK);
            float* d = d0 + ib;

            Vector256<int> p0 = SimdOps.DotU8I8(ax, Avx2.Sign(Avx.LoadVector256(y), qx));
            Vector256<int> p1 = SimdOps.DotU8I8(ax, Avx2.Sign(Avx.LoadVector256(y + qStride), qx));
            Vector256<int> p2 = SimdOps.DotU8I8(ax, Avx2.Sign(Avx.LoadVector256(y + (2 * qStride)), qx));
            Vector256<int> p3 = SimdOps.DotU8I8(ax, Avx2.Sign(Avx.LoadVector256(y + (3 * qStride)), qx));
            acc0 = Fma.MultiplyAdd(Vector256.Create(dw * d[0]), Avx.ConvertToVector256Single(p0), acc0);
            acc1 = Fma.MultiplyAdd(Vector256.Create(dw * d[dStride]), Avx.ConvertToVector256Single(p1), acc1);
            acc2 = Fma.MultiplyAdd(Vector256.Create(dw * d[2 * dStride]), Avx.ConvertToVector256Single(p2), acc2);
            acc3 = Fma.MultiplyAdd(Vector256.Create(dw * d[3 * dStride]), Avx.ConvertToVector256Single(p3), acc3);
        }

        results[0] = SimdOps.HorizontalSum(acc0);
        results[1] = SimdOps.HorizontalSum(acc1);
        results[2] = SimdOps.HorizontalSum(acc2);
        results[3] = SimdOps.HorizontalSum(acc3);
    }

    /// <summary>The 32 nibbles of a block as int8 in [-8, 7]: low nibbles are elements 0-15, high nibbles 16-31.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<sbyte> Unpack(byte* nibbles)
    {
        Vector128<byte> packed = Sse2.LoadVector128(nibbles);
        Vector256<byte> both = Vector256.Create(packed, Sse2.ShiftRightLogical(packed.AsUInt16(), 4).AsByte());
        return Avx2.Subtract((both & Vector256.Create((byte)0xF)).AsSByte(), Vector256.Create((sbyte)8));
    }
}
