using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Switchyard.Local.Kernels;

/// <summary>
/// Q6_K weights times Q8_K activations (ggml's <c>ggml_vec_dot_q6_K_q8_K</c>): 6-bit quants (0-63, offset 32) in
/// sixteen 16-element sub-blocks with int8 scales; d_a*d_w * sum(scale * (q - 32) * a) into eight float lanes.
/// Like llama.cpp's AVX2 kernel, the SIMD path sums scale * q * a and takes the offset off once per super-block from
/// the activation sums (lane k loses 32 * (scale_2k * sum_2k + scale_2k+1 * sum_2k+1)), which decides how the integer
/// total is split over the eight lanes and so the float rounding.
/// </summary>
internal readonly unsafe struct Q6KDot : IRowDot
{
    public static float DotScalar(byte* row, in Activations a, int column)
    {
        int blocks = a.Cols / BlockLayout.QKK;
        sbyte* q = a.QuantsOf(column);
        float* ds = a.ScalesOf(column);
        float sum = 0;
        for (int i = 0; i < blocks; i++)
        {
            byte* block = row + (i * BlockLayout.Q6KBytes);
            var scales = (sbyte*)(block + BlockLayout.Q6KScales);
            sbyte* y = q + (i * BlockLayout.QKK);
            int isum = 0;
            for (int half = 0; half < 2; half++)
            {
                byte* ql = block + (64 * half);
                byte* qh = block + BlockLayout.Q6KQh + (32 * half);
                sbyte* yh = y + (128 * half);
                sbyte* sc = scales + (8 * half);
                for (int l = 0; l < 32; l++)
                {
                    int s = l / 16;
                    int q1 = ((ql[l] & 0xF) | (((qh[l] >> 0) & 3) << 4)) - 32;
                    int q2 = ((ql[l + 32] & 0xF) | (((qh[l] >> 2) & 3) << 4)) - 32;
                    int q3 = ((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32;
                    int q4 = ((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32;
                    isum += (sc[s] * q1 * yh[l]) + (sc[s + 2] * q2 * yh[l + 32])
                        + (sc[s + 4] * q3 * yh[l + 64]) + (sc[s + 6] * q4 * yh[l + 96]);
                }
            }

            sum += ds[i] * Fp16.ToSingle(Unsafe.ReadUnaligned<ushort>(block + BlockLayout.Q6KD)) * isum;
        }

        return sum;
    }

    public static float Dot(byte* row, in Activations a, int column)
    {
        int blocks = a.Cols / BlockLayout.QKK;
        sbyte* q = a.QuantsOf(column);
        float* ds = a.ScalesOf(column);
        short* bsums = a.SumsOf(column);
        Vector256<float> acc = Vector256<float>.Zero;
        for (int i = 0; i < blocks; i++)
        {
            byte* block = row + (i * BlockLayout.Q6KBytes);
            float d = ds[i] * Fp16.ToSingle(Unsafe.ReadUnaligned<ushort>(block + BlockLayout.Q6KD));
            Vector128<sbyte> scales = Vector128.Load((sbyte*)(block + BlockLayout.Q6KScales));
            sbyte* y = q + (i * BlockLayout.QKK);
            Vector256<int> sumi = Vector256<int>.Zero;
            for (int half = 0; half < 2; half++)
            {
                Unpack(block, half, out Vector256<byte> q0, out Vector256<byte> q1, out Vector256<byte> q2, out Vector256<byte> q3);
                sbyte* yh = y + (128 * half);
                Vector256<int> p0 = Group(q0, Scale(scales, (4 * half) + 0), yh);
                Vector256<int> p1 = Group(q1, Scale(scales, (4 * half) + 1), yh + 32);
                Vector256<int> p2 = Group(q2, Scale(scales, (4 * half) + 2), yh + 64);
                Vector256<int> p3 = Group(q3, Scale(scales, (4 * half) + 3), yh + 96);
                sumi += p0 + p1;
                sumi += p2 + p3;
            }

            sumi -= Offset(scales, bsums + (i * 16));
            acc = Fma.MultiplyAdd(Vector256.Create(d), Avx.ConvertToVector256Single(sumi), acc);
        }

        return SimdOps.HorizontalSum(acc);
    }

    public static void Dot4(byte* row, in Activations a, int column, float* results)
    {
        int cols = a.Cols;
        int blocks = cols / BlockLayout.QKK;
        sbyte* q0 = a.QuantsOf(column);
        float* d0 = a.ScalesOf(column);
        short* sums0 = a.SumsOf(column);
        nint qStride = cols;
        nint dStride = blocks;
        nint sStride = cols / 16;
        Vector256<float> acc0 = Vector256<float>.Zero, acc1 = Vector256<float>.Zero;
        Vector256<float> acc2 = Vector256<float>.Zero, acc3 = Vector256<float>.Zero;
        for (int i = 0; i < blocks; i++)
        {
            byte* block = row + (i * BlockLayout.Q6KBytes);
            float dw = Fp16.ToSingle(Unsafe.ReadUnaligned<ushort>(block + BlockLayout.Q6KD));
            Vector128<sbyte> scales = Vector128.Load((sbyte*)(block + BlockLayout.Q6KScales));
            sbyte* y = q0 + (i * BlockLayout.QKK);
            short* s = sums0 + (i * 16);
            Vector256<int> sumi0 = -Offset(scales, s), sumi1 = -Offset(scales, s + sStride);
            Vector256<int> sumi2 = -Offset(scales, s + (2 * sStride)), sumi3 = -Offset(scales, s + (3 * sStride));
            for (int half = 0; half < 2; half++)
            {
                Unpack(block, half, out Vector256<byte> w0, out Vector256<byte> w1, out Vector256<byte> w2, out Vector256<byte> w3);
                Vector256<short> s0 = Scale(scales, (4 * half) + 0);
                Vector256<short> s1 = Scale(scales, (4 * half) + 1);
                Vector256<short> s2 = Scale(scales, (4 * half) + 2);
                Vector256<short> s3 = Scale(scales, (4 * half) + 3);
                sbyte* yh = y + (128 * half);
                sumi0 = Half(w0, w1, w2, w3, s0, s1, s2, s3, yh, sumi0);
                sumi1 = Half(w0, w1, w2, w3, s0, s1, s2, s3, yh + qStride, sumi1);
                sumi2 = Half(w0, w1, w2, w3, s0, s1, s2, s3, yh + (2 * qStride), sumi2);
                sumi3 = Half(w0, w1, w2, w3, s0, s1, s2, s3, yh + (3 * qStride), sumi3);
            }

            float* d = d0 + i;
            acc0 = Fma.MultiplyAdd(Vector256.Create(d[0] * dw), Avx.ConvertToVector256Single(sumi0), acc0);
            acc1 = Fma.MultiplyAdd(Vector256.Create(d[dStride] * dw), Avx.ConvertToVector256Single(sumi1), acc1);
            acc2 = Fma.MultiplyAdd(Vector256.Create(d[2 * dStride] * dw), Avx.ConvertToVector256Single(sumi2), acc2);
            acc3 = Fma.MultiplyAdd(Vector256.Create(d[3 * dStride] * dw), Avx.ConvertToVector256Single(sumi3), acc3);
        }

        results[0] = SimdOps.HorizontalSum(acc0);
        results[1] = SimdOps.HorizontalSum(acc1);
        results[2] = SimdOps.HorizontalSum(acc2);
        results[3] = SimdOps.HorizontalSum(acc3);
    }

    /// <summary>
    /// The four 32-element groups of one 128-element half as unsigned 6-bit values: group k takes its low nibble from
    /// ql (bytes 0-31 or 32-63, low or high nibble) and its top two bits from bits 2k, 2k+1 of qh.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Unpack(
        byte* block, int half, out Vector256<byte> q0, out Vector256<byte> q1, out Vector256<byte> q2, out Vector256<byte> q3)
    {
        Vector256<byte> low4 = Vector256.Create((byte)0xF);
        Vector256<byte> low2 = Vector256.Create((byte)3);
        Vector256<byte> bits1 = Avx.LoadVector256(block + (64 * half));
        Vector256<byte> bits2 = Avx.LoadVector256(block + (64 * half) + 32);
        Vector256<ushort> high = Avx.LoadVector256(block + BlockLayout.Q6KQh + (32 * half)).AsUInt16();

        Vector256<byte> h0 = Avx2.ShiftLeftLogical((high.AsByte() & low2).AsUInt16(), 4).AsByte();
        Vector256<byte> h1 = Avx2.ShiftLeftLogical((Avx2.ShiftRightLogical(high, 2).AsByte() & low2).AsUInt16(), 4).AsByte();
        Vector256<byte> h2 = Avx2.ShiftLeftLogical((Avx2.ShiftRightLogical(high, 4).AsByte() & low2).AsUInt16(), 4).AsByte();
        Vector256<byte> h3 = Avx2.ShiftLeftLogical((Avx2.ShiftRightLogical(high, 6).AsByte() & low2).AsUInt16(), 4).AsByte();

        q0 = (bits1 & low4) | h0;
        q1 = (bits2 & low4) | h1;
        q2 = (Avx2.ShiftRightLogical(bits1.AsUInt16(), 4).AsByte() & low4) | h2;
        q3 = (Avx2.ShiftRightLogical(bits2.AsUInt16(), 4).AsByte() & low4) | h3;
    }

    /// <summary>Scales 2k (low 16 lanes of int16) and 2k+1 (high 16 lanes), sign-extended.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<short> Scale(Vector128<sbyte> scales, int k) =>
        Avx2.ConvertToVector256Int16(Ssse3.Shuffle(scales, ShuffleMasks.SpreadBytePair(k).AsSByte()));

    /// <summary>sum over pairs of scale * q * a for one 32-element group (q unsigned, 0-63), as 8 int32 lanes.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Group(Vector256<byte> q, Vector256<short> scale, sbyte* y) =>
        Avx2.MultiplyAddAdjacent(scale, Avx2.MultiplyAddAdjacent(q, Avx.LoadVector256(y)));

    /// <summary>
    /// The offset term of one super-block: lane k holds 32 * (scale_2k * sum_2k + scale_2k+1 * sum_2k+1), with sum_j the
    /// Q8_K sum of the activations of sub-block j.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Offset(Vector128<sbyte> scales, short* sums) =>
        Avx2.ShiftLeftLogical(Avx2.MultiplyAddAdjacent(Avx2.ConvertToVector256Int16(scales), Vector256.Load(sums)), 5);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Half(
        Vector256<byte> w0, Vector256<byte> w1, Vector256<byte> w2, Vector256<byte> w3,
        Vector256<short> s0, Vector256<short> s1, Vector256<short> s2, Vector256<short> s3,
        sbyte* y, Vector256<int> sumi)
    {
        Vector256<int> p0 = Group(w0, s0, y);
        Vector256<int> p1 = Group(w1, s1, y + 32);
        Vector256<int> p2 = Group(w2, s2, y + 64);
        Vector256<int> p3 = Group(w3, s3, y + 96);
        sumi += p0 + p1;
        return sumi + (p2 + p3);
    }
}
