using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Switchyard.Local.Kernels;

/// <summary>
/// Q4_K weights times Q8_K activations (ggml's <c>ggml_vec_dot_q4_K_q8_K</c>): per super-block,
/// d_a*d_w * sum_j(scale_j * dot_j) into eight float lanes, and -d_a*dmin_w * sum_j(min_j * activation sum_j) into
/// four more, where j runs over the eight 32-element sub-blocks.
/// </summary>
internal readonly unsafe struct Q4KDot : IRowDot
{
    public static float DotScalar(byte* row, in Activations a, int column)
    {
        int blocks = a.Cols / BlockLayout.QKK;
        sbyte* q = a.QuantsOf(column);
        float* ds = a.ScalesOf(column);
        short* bsums = a.SumsOf(column);
        uint* unpacked = stackalloc uint[4];
        var sm = (byte*)unpacked;
        float sum = 0;
        for (int i = 0; i < blocks; i++)
        {
            byte* block = row + (i * BlockLayout.Q4KBytes);
            Q4KScales.Unpack(block + BlockLayout.Q4KScales, unpacked);
            byte* nibbles = block + BlockLayout.Q4KQs;
            sbyte* y = q + (i * BlockLayout.QKK);
            short* s = bsums + (i * 16);
            int isum = 0;
            int msum = 0;
            for (int j = 0; j < 4; j++)
            {
                int low = 0;
                int high = 0;
                for (int l = 0; l < 32; l++)
                {
                    low += (nibbles[(32 * j) + l] & 0xF) * y[(64 * j) + l];
                    high += (nibbles[(32 * j) + l] >> 4) * y[(64 * j) + 32 + l];
                }

                isum += (sm[2 * j] * low) + (sm[(2 * j) + 1] * high);
            }

            for (int j = 0; j < 8; j++)
            {
                msum += sm[8 + j] * (s[2 * j] + s[(2 * j) + 1]);
            }

            float d = ds[i] * Fp16.ToSingle(Unsafe.ReadUnaligned<ushort>(block));
            float dmin = ds[i] * Fp16.ToSingle(Unsafe.ReadUnaligned<ushort>(block + 2));
            sum += (d * isum) - (dmin * msum);
        }

        return sum;
    }

    public static float Dot(byte* row, in Activations a, int column)
    {
        int blocks = a.Cols / BlockLayout.QKK;
        sbyte* q = a.QuantsOf(column);
        float* ds = a.ScalesOf(column);
        short* bsums = a.SumsOf(column);
        Vector256<byte> low4 = Vector256.Create((byte)0xF);
        Vector256<float> acc = Vector256<float>.Zero;
        Vector128<float> accMin = Vector128<float>.Zero;
        for (int i = 0; i < blocks; i++)
        {
            byte* block = row + (i * BlockLayout.Q4KBytes);
            float d = ds[i] * Fp16.ToSingle(Unsafe.ReadUnaligned<ushort>(block));
            float dmin = -ds[i] * Fp16.ToSingle(Unsafe.ReadUnaligned<ushort>(block + 2));
            Vector256<short> scalesAndMins = Avx2.ConvertToVector256Int16(Q4KScales.UnpackVector(block + BlockLayout.Q4KScales));

            short* s = bsums + (i * 16);
            Vector128<short> pairSums = Ssse3.HorizontalAdd(Vector128.Load(s), Vector128.Load(s + 8));
            Vector128<int> minProduct = Sse2.MultiplyAddAdjacent(scalesAndMins.GetUpper(), pairSums);
            accMin = Fma.MultiplyAdd(Vector128.Create(dmin), Sse2.ConvertToVector128Single(minProduct), accMin);

            Vector256<byte> scales = Vector256.Create(scalesAndMins.GetLower(), scalesAndMins.GetLower()).AsByte();
            byte* nibbles = block + BlockLayout.Q4KQs;
            sbyte* y = q + (i * BlockLayout.QKK);

            // Unrolled with constant offsets: the JIT keeps no index arithmetic in the hot loop.
            Vector256<int> sumi = Quarter(nibbles, y, scales, low4, 0) + Quarter(nibbles, y, scales, low4, 1);
            sumi += Quarter(nibbles, y, scales, low4, 2) + Quarter(nibbles, y, scales, low4, 3);
            acc = Fma.MultiplyAdd(Vector256.Create(d), Avx.ConvertToVector256Single(sumi), acc);
        }

        return SimdOps.HorizontalSum(acc) + SimdOps.HorizontalSum(accMin);
    }

    public static void Dot4(byte* row, in Activations a, int column, float* results)
    {
        int cols = a.Cols;
        int blocks = cols / BlockLayout.QKK;
        sbyte* q0 = a.QuantsOf(column);
        float* d0 = a.ScalesOf(column);
        short* s0 = a.SumsOf(column);
        nint qStride = cols;
        nint dStride = blocks;
        nint sStride = cols / 16;
        Vector256<byte> low4 = Vector256.Create((byte)0xF);
        Vector256<float> acc0 = Vector256<float>.Zero, acc1 = Vector256<float>.Zero;
        Vector256<float> acc2 = Vector256<float>.Zero, acc3 = Vector256<float>.Zero;
        Vector128<float> min0 = Vector128<float>.Zero, min1 = Vector128<float>.Zero;
        Vector128<float> min2 = Vector128<float>.Zero, min3 = Vector128<float>.Zero;
        for (int i = 0; i < blocks; i++)
        {
            byte* block = row + (i * BlockLayout.Q4KBytes);
            float dw = Fp16.ToSingle(Unsafe.ReadUnaligned<ushort>(block));
            float dminw = Fp16.ToSingle(Unsafe.ReadUnaligned<ushort>(block + 2));
            Vector256<short> scalesAndMins = Avx2.ConvertToVector256Int16(Q4KScales.UnpackVector(block + BlockLayout.Q4KScales));
            Vector128<short> mins = scalesAndMins.GetUpper();
            float* d = d0 + i;
            short* s = s0 + (i * 16);
            min0 = MinTerm(mins, s, -d[0] * dminw, min0);
            min1 = MinTerm(mins, s + sStride, -d[dStride] * dminw, min1);
            min2 = MinTerm(mins, s + (2 * sStride), -d[2 * dStride] * dminw, min2);
            min3 = MinTerm(mins, s + (3 * sStride), -d[3 * dStride] * dminw, min3);

            Vector256<byte> scales = Vector256.Create(scalesAndMins.GetLower(), scalesAndMins.GetLower()).AsByte();
            byte* nibbles = block + BlockLayout.Q4KQs;
            sbyte* y = q0 + (i * BlockLayout.QKK);
            Vector256<int> sumi0 = Vector256<int>.Zero, sumi1 = Vector256<int>.Zero;
            Vector256<int> sumi2 = Vector256<int>.Zero, sumi3 = Vector256<int>.Zero;
            Quarter4(nibbles, y, qStride, scales, low4, 0, ref sumi0, ref sumi1, ref sumi2, ref sumi3);
            Quarter4(nibbles, y, qStride, scales, low4, 1, ref sumi0, ref sumi1, ref sumi2, ref sumi3);
            Quarter4(nibbles, y, qStride, scales, low4, 2, ref sumi0, ref sumi1, ref sumi2, ref sumi3);
            Quarter4(nibbles, y, qStride, scales, low4, 3, ref sumi0, ref sumi1, ref sumi2, ref sumi3);

            acc0 = Fma.MultiplyAdd(Vector256.Create(d[0] * dw), Avx.ConvertToVector256Single(sumi0), acc0);
            acc1 = Fma.MultiplyAdd(Vector256.Create(d[dStride] * dw), Avx.ConvertToVector256Single(sumi1), acc1);
            acc2 = Fma.MultiplyAdd(Vector256.Create(d[2 * dStride] * dw), Avx.ConvertToVector256Single(sumi2), acc2);
            acc3 = Fma.MultiplyAdd(Vector256.Create(d[3 * dStride] * dw), Avx.ConvertToVector256Single(sumi3), acc3);
        }

        results[0] = SimdOps.HorizontalSum(acc0) + SimdOps.HorizontalSum(min0);
        results[1] = SimdOps.HorizontalSum(acc1) + SimdOps.HorizontalSum(min1);
        results[2] = SimdOps.HorizontalSum(acc2) + SimdOps.HorizontalSum(min2);
        results[3] = SimdOps.HorizontalSum(acc3) + SimdOps.HorizontalSum(min3);
    }

    /// <summary>Sub-blocks 2j and 2j+1 (64 elements: the low and high nibbles of 32 bytes) times their scales.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Quarter(byte* nibbles, sbyte* y, Vector256<byte> scales, Vector256<byte> low4, int j)
    {
        Vector256<short> scaleLow = Avx2.Shuffle(scales, ShuffleMasks.BroadcastWord(2 * j)).AsInt16();
        Vector256<short> scaleHigh = Avx2.Shuffle(scales, ShuffleMasks.BroadcastWord((2 * j) + 1)).AsInt16();
        Vector256<byte> bits = Avx.LoadVector256(nibbles + (32 * j));
        Vector256<byte> q4l = bits & low4;
        Vector256<byte> q4h = Avx2.ShiftRightLogical(bits.AsUInt16(), 4).AsByte() & low4;
        return SubBlockPair(q4l, q4h, scaleLow, scaleHigh, y + (64 * j));
    }

    /// <summary><see cref="Quarter"/> for four activation columns, reading the weights once.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Quarter4(
        byte* nibbles, sbyte* y, nint qStride, Vector256<byte> scales, Vector256<byte> low4, int j,
        ref Vector256<int> sumi0, ref Vector256<int> sumi1, ref Vector256<int> sumi2, ref Vector256<int> sumi3)
    {
        Vector256<short> scaleLow = Avx2.Shuffle(scales, ShuffleMasks.BroadcastWord(2 * j)).AsInt16();
        Vector256<short> scaleHigh = Avx2.Shuffle(scales, ShuffleMasks.BroadcastWord((2 * j) + 1)).AsInt16();
        Vector256<byte> bits = Avx.LoadVector256(nibbles + (32 * j));
        Vector256<byte> q4l = bits & low4;
        Vector256<byte> q4h = Avx2.ShiftRightLogical(bits.AsUInt16(), 4).AsByte() & low4;
        sbyte* yj = y + (64 * j);
        sumi0 += SubBlockPair(q4l, q4h, scaleLow, scaleHigh, yj);
        sumi1 += SubBlockPair(q4l, q4h, scaleLow, scaleHigh, yj + qStride);
        sumi2 += SubBlockPair(q4l, q4h, scaleLow, scaleHigh, yj + (2 * qStride));
        sumi3 += SubBlockPair(q4l, q4h, scaleLow, scaleHigh, yj + (3 * qStride));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<float> MinTerm(Vector128<short> mins, short* sums, float dmin, Vector128<float> acc)
    {
        Vector128<short> pairSums = Ssse3.HorizontalAdd(Vector128.Load(sums), Vector128.Load(sums + 8));
        Vector128<int> product = Sse2.MultiplyAddAdjacent(mins, pairSums);
        return Fma.MultiplyAdd(Vector128.Create(dmin), Sse2.ConvertToVector128Single(product), acc);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> SubBlockPair(
        Vector256<byte> q4l, Vector256<byte> q4h, Vector256<short> scaleLow, Vector256<short> scaleHigh, sbyte* y)
    {
        Vector256<int> pl = Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(q4l, Avx.LoadVector256(y)), scaleLow);
        Vector256<int> ph = Avx2.MultiplyAddAdjacent(Avx2.MultiplyAddAdjacent(q4h, Avx.LoadVector256(y + 32)), scaleHigh);
        return pl + ph;
    }
}
