using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Switchyard.Local.Gguf;

namespace Switchyard.Local.Kernels;

/// <summary>
/// Converts activations to a weight type's vec-dot type exactly as llama.cpp's x86 CPU backend does before its dot
/// products: F32 stays F32; F16 and BF16 round each value; Q4_0 and Q8_0 weights take Q8_0 activations quantized like
/// ggml's AVX2 <c>quantize_row_q8_0</c> (d = amax/127 stored as fp16, quants = round-half-even(x * 127/amax)); Q4_K and
/// Q6_K take Q8_K activations quantized like <c>quantize_row_q8_K_ref</c> (the value of largest magnitude maps to -127,
/// quants = nearest-even(x * -127/max) capped at 127, d = 1/iscale, plus the sums of each 16 quants).
/// The SIMD and scalar forms give identical bits.
/// </summary>
internal static unsafe class ActivationQuantizer
{
    /// <summary>The type activations are converted to before a dot product with <paramref name="weightType"/> rows.</summary>
    public static GgmlType VecDotType(GgmlType weightType) => weightType switch
    {
        GgmlType.F32 => GgmlType.F32,
        GgmlType.F16 => GgmlType.F16,
        GgmlType.BF16 => GgmlType.BF16,
        GgmlType.Q8_0 or GgmlType.Q4_0 => GgmlType.Q8_0,
        GgmlType.Q4_K or GgmlType.Q6_K => GgmlType.Q8_K,
        _ => throw new NotSupportedException($"ggml type {weightType} is not supported by the matrix kernels."),
    };

    /// <summary>Scratch bytes <see cref="Prepare"/> needs for <paramref name="batch"/> columns of <paramref name="cols"/>.</summary>
    public static nint ScratchBytes(GgmlType vecDotType, int cols, int batch)
    {
        nint n = (nint)cols * batch;
        return vecDotType switch
        {
            GgmlType.F32 => 0,
            GgmlType.F16 or GgmlType.BF16 => n * sizeof(float),
            GgmlType.Q8_0 => Align(n) + (n / BlockLayout.QK * sizeof(float)),
            GgmlType.Q8_K => Align(n) + Align(n / BlockLayout.QKK * sizeof(float)) + (n / 16 * sizeof(short)),
            _ => throw new NotSupportedException($"{vecDotType} is not a vec-dot type."),
        };
    }

    /// <summary>
    /// Converts <paramref name="batch"/> columns of <paramref name="cols"/> floats at <paramref name="x"/> to
    /// <paramref name="vecDotType"/> in <paramref name="scratch"/> (which must hold <see cref="ScratchBytes"/>).
    /// For F32 the result points at <paramref name="x"/> itself.
    /// </summary>
    public static Activations Prepare(GgmlType vecDotType, float* x, int cols, int batch, byte* scratch, bool simd)
    {
        nint n = (nint)cols * batch;
        switch (vecDotType)
        {
            case GgmlType.F32:
                return new Activations(vecDotType, cols, x, null, null, null);
            case GgmlType.F16:
            case GgmlType.BF16:
                {
                    var values = (float*)scratch;
                    if (vecDotType == GgmlType.F16)
                    {
                        RoundToF16(x, values, n, simd);
                    }
                    else
                    {
                        RoundToBF16(x, values, n, simd);
                    }

                    return new Activations(vecDotType, cols, values, null, null, null);
                }

            case GgmlType.Q8_0:
                {
                    var quants = (sbyte*)scratch;
                    var scales = (float*)(scratch + Align(n));
                    QuantizeQ8_0(x, n, quants, scales, simd);
                    return new Activations(vecDotType, cols, null, quants, scales, null);
                }

            case GgmlType.Q8_K:
                {
                    var quants = (sbyte*)scratch;
                    var scales = (float*)(scratch + Align(n));
                    var sums = (short*)(scratch + Align(n) + Align(n / BlockLayout.QKK * sizeof(float)));
                    QuantizeQ8K(x, n, quants, scales, sums, simd);
                    return new Activations(vecDotType, cols, null, quants, scales, sums);
                }

            default:
                throw new NotSupportedException($"{vecDotType} is not a vec-dot type.");
        }
    }

    /// <summary>Each value rounded to half precision (as a float).</summary>
    public static void RoundToF16(float* x, float* dst, nint n, bool simd)
    {
        nint i = 0;
        if (simd && Vector256.IsHardwareAccelerated)
        {
            for (; i + 8 <= n; i += 8)
            {
                Fp16.Round(Vector256.Load(x + i)).Store(dst + i);
            }
        }

        for (; i < n; i++)
        {
            dst[i] = Fp16.Round(x[i]);
        }
    }

    /// <summary>Each value rounded to bfloat16 (as a float).</summary>
    public static void RoundToBF16(float* x, float* dst, nint n, bool simd)
    {
        nint i = 0;
        if (simd && Vector256.IsHardwareAccelerated)
        {
            for (; i + 8 <= n; i += 8)
            {
                Bf16.Round(Vector256.Load(x + i)).Store(dst + i);
            }
        }

        for (; i < n; i++)
        {
            dst[i] = Bf16.Round(x[i]);
        }
    }

    /// <summary>Q8_0 quantization as ggml's x86 <c>quantize_row_q8_0</c>; <paramref name="n"/> is a multiple of 32.</summary>
    public static void QuantizeQ8_0(float* x, nint n, sbyte* quants, float* scales, bool simd)
    {
        nint blocks = n / BlockLayout.QK;
        if (simd && Avx.IsSupported)
        {
            for (nint ib = 0; ib < blocks; ib++)
            {
                Q8_0BlockAvx(x + (ib * BlockLayout.QK), quants + (ib * BlockLayout.QK), scales + ib);
            }

            return;
        }

        for (nint ib = 0; ib < blocks; ib++)
        {
            float* v = x + (ib * BlockLayout.QK);
            sbyte* q = quants + (ib * BlockLayout.QK);
            float amax = 0;
            for (int j = 0; j < BlockLayout.QK; j++)
            {
                float a = MathF.Abs(v[j]);
                amax = a > amax ? a : amax;
            }

            scales[ib] = Fp16.Round(amax / 127f);
            float id = amax != 0 ? 127f / amax : 0f;
            for (int j = 0; j < BlockLayout.QK; j++)
            {
                q[j] = (sbyte)(int)MathF.Round(v[j] * id);
            }
        }
    }

    /// <summary>Q8_K quantization as ggml's <c>quantize_row_q8_K_ref</c>; <paramref name="n"/> is a multiple of 256.</summary>
    public static void QuantizeQ8K(float* x, nint n, sbyte* quants, float* scales, short* sums, bool simd)
    {
        nint blocks = n / BlockLayout.QKK;
        for (nint ib = 0; ib < blocks; ib++)
        {
            float* v = x + (ib * BlockLayout.QKK);
            sbyte* q = quants + (ib * BlockLayout.QKK);
            short* s = sums + (ib * 16);
            if (simd && Avx2.IsSupported)
            {
                Q8KBlockAvx2(v, q, scales + ib, s);
            }
            else
            {
                Q8KBlockScalar(v, q, scales + ib, s);
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nint Align(nint bytes) => (bytes + 63) & ~(nint)63;

    private static void Q8_0BlockAvx(float* v, sbyte* q, float* scale)
    {
        Vector256<float> v0 = Avx.LoadVector256(v);
        Vector256<float> v1 = Avx.LoadVector256(v + 8);
        Vector256<float> v2 = Avx.LoadVector256(v + 16);
        Vector256<float> v3 = Avx.LoadVector256(v + 24);
        Vector256<float> signBit = Vector256.Create(-0f);
        Vector256<float> max = Avx.Max(Avx.AndNot(signBit, v0), Avx.AndNot(signBit, v1));
        max = Avx.Max(max, Avx.Max(Avx.AndNot(signBit, v2), Avx.AndNot(signBit, v3)));
        Vector128<float> max4 = Sse.Max(max.GetUpper(), max.GetLower());
        max4 = Sse.Max(max4, Sse.MoveHighToLow(max4, max4));
        max4 = Sse.MaxScalar(max4, Sse3.MoveHighAndDuplicate(max4));
        float amax = max4.ToScalar();

        *scale = Fp16.Round(amax / 127f);
        Vector256<float> id = Vector256.Create(amax != 0 ? 127f / amax : 0f);
        Vector256<int> i0 = Avx.ConvertToVector256Int32(Avx.RoundToNearestInteger(v0 * id));
        Vector256<int> i1 = Avx.ConvertToVector256Int32(Avx.RoundToNearestInteger(v1 * id));
        Vector256<int> i2 = Avx.ConvertToVector256Int32(Avx.RoundToNearestInteger(v2 * id));
        Vector256<int> i3 = Avx.ConvertToVector256Int32(Avx.RoundToNearestInteger(v3 * id));
        Vector256.Narrow(Vector256.Narrow(i0, i1), Vector256.Narrow(i2, i3)).Store(q);
    }

    private static void Q8KBlockScalar(float* v, sbyte* q, float* scale, short* sums)
    {
        float amax = 0;
        float max = 0;
        for (int j = 0; j < BlockLayout.QKK; j++)
        {
            float a = MathF.Abs(v[j]);
            if (a > amax)
            {
                amax = a;
                max = v[j];
            }
        }

        if (amax == 0)
        {
            ZeroQ8KBlock(q, scale, sums);
            return;
        }

        float iscale = -127f / max;
        for (int j = 0; j < BlockLayout.QKK; j++)
        {
            q[j] = (sbyte)Math.Min(127, (int)MathF.Round(iscale * v[j]));
        }

        for (int g = 0; g < 16; g++)
        {
            int sum = 0;
            for (int j = 0; j < 16; j++)
            {
                sum += q[(g * 16) + j];
            }

            sums[g] = (short)sum;
        }

        *scale = 1 / iscale;
    }

    private static void Q8KBlockAvx2(float* v, sbyte* q, float* scale, short* sums)
    {
        Vector256<float> signBit = Vector256.Create(-0f);
        Vector256<float> maxAbs = Vector256<float>.Zero;
        for (int j = 0; j < BlockLayout.QKK; j += 8)
        {
            maxAbs = Avx.Max(maxAbs, Avx.AndNot(signBit, Avx.LoadVector256(v + j)));
        }

        Vector128<float> max4 = Sse.Max(maxAbs.GetUpper(), maxAbs.GetLower());
        max4 = Sse.Max(max4, Sse.MoveHighToLow(max4, max4));
        max4 = Sse.MaxScalar(max4, Sse3.MoveHighAndDuplicate(max4));
        float amax = max4.ToScalar();
        if (amax == 0)
        {
            ZeroQ8KBlock(q, scale, sums);
            return;
        }

        // The reference keeps the first value whose magnitude is the maximum (its sign sets the scale's sign).
        float max = 0;
        for (int j = 0; j < BlockLayout.QKK; j++)
        {
            if (MathF.Abs(v[j]) == amax)
            {
                max = v[j];
                break;
            }
        }

        float iscale = -127f / max;
        Vector256<float> mul = Vector256.Create(iscale);
        Vector256<int> cap = Vector256.Create(127);
        for (int g = 0; g < BlockLayout.QKK; g += 32)
        {
            Vector256<int> i0 = Avx2.Min(Avx.ConvertToVector256Int32(Avx.RoundToNearestInteger(Avx.LoadVector256(v + g) * mul)), cap);
            Vector256<int> i1 = Avx2.Min(Avx.ConvertToVector256Int32(Avx.RoundToNearestInteger(Avx.LoadVector256(v + g + 8) * mul)), cap);
            Vector256<int> i2 = Avx2.Min(Avx.ConvertToVector256Int32(Avx.RoundToNearestInteger(Avx.LoadVector256(v + g + 16) * mul)), cap);
            Vector256<int> i3 = Avx2.Min(Avx.ConvertToVector256Int32(Avx.RoundToNearestInteger(Avx.LoadVector256(v + g + 24) * mul)), cap);
            Vector256.Narrow(Vector256.Narrow(i0, i1), Vector256.Narrow(i2, i3)).Store(q + g);
            sums[g / 16] = (short)Vector256.Sum(i0 + i1);
            sums[(g / 16) + 1] = (short)Vector256.Sum(i2 + i3);
        }

        *scale = 1 / iscale;
    }

    private static void ZeroQ8KBlock(sbyte* q, float* scale, short* sums)
    {
        new Span<sbyte>(q, BlockLayout.QKK).Clear();
        new Span<short>(sums, 16).Clear();
        *scale = 0;
    }
}
