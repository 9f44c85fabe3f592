using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Switchyard.Local.Kernels;

/// <summary>
/// Float-typed weight rows (F32, F16, BF16) times float activations (already rounded to the weight's precision, as
/// ggml converts them): two 8-lane FMA accumulators over 16 elements at a time, then the tail in order.
/// </summary>
internal readonly unsafe struct FloatDot<TRow> : IRowDot
    where TRow : IFloatRow
{
    public static float DotScalar(byte* row, in Activations a, int column)
    {
        int n = a.Cols;
        float* x = a.ValuesOf(column);
        float sum = 0;
        for (int i = 0; i < n; i++)
        {
            sum += TRow.Load(row, i) * x[i];
        }

        return sum;
    }

    public static float Dot(byte* row, in Activations a, int column)
    {
        int n = a.Cols;
        float* x = a.ValuesOf(column);
        Vector256<float> acc0 = Vector256<float>.Zero;
        Vector256<float> acc1 = Vector256<float>.Zero;
        int i = 0;
        for (; i + 16 <= n; i += 16)
        {
            acc0 = Fma.MultiplyAdd(TRow.Load8(row, i), Avx.LoadVector256(x + i), acc0);
            acc1 = Fma.MultiplyAdd(TRow.Load8(row, i + 8), Avx.LoadVector256(x + i + 8), acc1);
        }

        float sum = SimdOps.HorizontalSum(acc0 + acc1);
        for (; i < n; i++)
        {
            sum += TRow.Load(row, i) * x[i];
        }

        return sum;
    }

    public static void Dot4(byte* row, in Activations a, int column, float* results)
    {
        int n = a.Cols;
        float* x0 = a.ValuesOf(column);
        float* x1 = x0 + n;
        float* x2 = x1 + n;
        float* x3 = x2 + n;
        Vector256<float> a00 = Vector256<float>.Zero, a01 = Vector256<float>.Zero;
        Vector256<float> a10 = Vector256<float>.Zero, a11 = Vector256<float>.Zero;
        Vector256<float> a20 = Vector256<float>.Zero, a21 = Vector256<float>.Zero;
        Vector256<float> a30 = Vector256<float>.Zero, a31 = Vector256<float>.Zero;
        int i = 0;
        for (; i + 16 <= n; i += 16)
        {
            Vector256<float> w0 = TRow.Load8(row, i);
            Vector256<float> w1 = TRow.Load8(row, i + 8);
            a00 = Fma.MultiplyAdd(w0, Avx.LoadVector256(x0 + i), a00);
            a01 = Fma.MultiplyAdd(w1, Avx.LoadVector256(x0 + i + 8), a01);
            a10 = Fma.MultiplyAdd(w0, Avx.LoadVector256(x1 + i), a10);
            a11 = Fma.MultiplyAdd(w1, Avx.LoadVector256(x1 + i + 8), a11);
            a20 = Fma.MultiplyAdd(w0, Avx.LoadVector256(x2 + i), a20);
            a21 = Fma.MultiplyAdd(w1, Avx.LoadVector256(x2 + i + 8), a21);
            a30 = Fma.MultiplyAdd(w0, Avx.LoadVector256(x3 + i), a30);
            a31 = Fma.MultiplyAdd(w1, Avx.LoadVector256(x3 + i + 8), a31);
        }

        float s0 = SimdOps.HorizontalSum(a00 + a01);
        float s1 = SimdOps.HorizontalSum(a10 + a11);
        float s2 = SimdOps.HorizontalSum(a20 + a21);
        float s3 = SimdOps.HorizontalSum(a30 + a31);
        for (; i < n; i++)
        {
            float w = TRow.Load(row, i);
            s0 += w * x0[i];
            s1 += w * x1[i];
            s2 += w * x2[i];
            s3 += w * x3[i];
        }

        results[0] = s0;
        results[1] = s1;
        results[2] = s2;
        results[3] = s3;
    }
}
