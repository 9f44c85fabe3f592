using System.Buffers.Binary;
using System.Runtime.InteropServices;
using Switchyard.Local.Gguf;

namespace Switchyard.Local.Kernels;

/// <summary>
/// Rows of floats to ggml blocks as ggml's reference quantizers write them (<c>quantize_row_*_ref</c>, and its
/// <c>ggml_fp32_to_fp16_row</c> / <c>ggml_fp32_to_bf16_row_ref</c>): the same choices of scales and levels, so the
/// bytes match a file quantized by ggml without an importance matrix. Used to write test and benchmark GGUF files;
/// speed is not a goal.
/// </summary>
internal static class Quantize
{
    /// <summary>True for the types <see cref="Row"/> handles (the same as <see cref="Dequantize.Supports"/>).</summary>
    public static bool Supports(GgmlType type) => Dequantize.Supports(type);

    /// <summary>
    /// Encodes <paramref name="source"/> (a whole number of blocks of <paramref name="type"/>: 32 elements for Q8_0 and
    /// Q4_0, 256 for Q4_K and Q6_K) into the first bytes of <paramref name="destination"/>; later bytes are left alone.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// <c>source.Length</c> is not a whole number of blocks, or <paramref name="destination"/> is too short for them.
    /// </exception>
    /// <exception cref="NotSupportedException"><paramref name="type"/> is not one of the supported types.</exception>
    public static void Row(GgmlType type, ReadOnlySpan<float> source, Span<byte> destination)
    {
        int n = source.Length;
        int bytes = Dequantize.RowBytes(type, n, nameof(source));
        if (destination.Length < bytes)
        {
            throw new ArgumentException(
                $"destination holds {destination.Length} bytes; {n} elements of {type} take {bytes}.", nameof(destination));
        }

        Span<byte> output = destination[..bytes];
        switch (type)
        {
            case GgmlType.F32:
                MemoryMarshal.AsBytes(source).CopyTo(output);
                break;
            case GgmlType.F16:
                {
                    Span<ushort> halves = MemoryMarshal.Cast<byte, ushort>(output);
                    for (int i = 0; i < n; i++)
                    {
                        halves[i] = ToF16(source[i]);
                    }

                    break;
                }

            case GgmlType.BF16:
                {
                    Span<ushort> halves = MemoryMarshal.Cast<byte, ushort>(output);
                    for (int i = 0; i < n; i++)
                    {
                        halves[i] = Bf16.FromSingle(source[i]);
                    }

                    break;
                }

            case GgmlType.Q8_0:
                for (int ib = 0; ib < n / BlockLayout.QK; ib++)
                {
                    Q8_0Block(source.Slice(ib * BlockLayout.QK, BlockLayout.QK), output.Slice(ib * BlockLayout.Q8_0Bytes, BlockLayout.Q8_0Bytes));
                }

                break;
            case GgmlType.Q4_0:
                for (int ib = 0; ib < n / BlockLayout.QK; ib++)
                {
                    Q4_0Block(source.Slice(ib * BlockLayout.QK, BlockLayout.QK), output.Slice(ib * BlockLayout.Q4_0Bytes, BlockLayout.Q4_0Bytes));
                }

                break;
            case GgmlType.Q4_K:
                for (int ib = 0; ib < n / BlockLayout.QKK; ib++)
                {
                    Q4KBlock(source.Slice(ib * BlockLayout.QKK, BlockLayout.QKK), output.Slice(ib * BlockLayout.Q4KBytes, BlockLayout.Q4KBytes));
                }

                break;
            default:
                for (int ib = 0; ib < n / BlockLayout.QKK; ib++)
                {
                    Q6KBlock(source.Slice(ib * BlockLayout.QKK, BlockLayout.QKK), output.Slice(ib * BlockLayout.Q6KBytes, BlockLayout.Q6KBytes));
                }

                break;
        }
    }

    /// <summary>
    /// Round to nearest half, ties to even, as ggml-base's software <c>GGML_FP32_TO_FP16</c>, which writes every NaN
    /// as the canonical quiet NaN 0x7E00 (keeping the sign).
    /// </summary>
    private static ushort ToF16(float value) =>
        float.IsNaN(value) ? (ushort)(0x7E00 | ((BitConverter.SingleToUInt32Bits(value) >> 16) & 0x8000)) : Fp16.FromSingle(value);

    private static void WriteF16(Span<byte> destination, float value) =>
        BinaryPrimitives.WriteUInt16LittleEndian(destination, ToF16(value));

    /// <summary>ggml's <c>quantize_row_q8_0_ref</c>: d = amax/127, q = round-half-away(x / d).</summary>
    private static void Q8_0Block(ReadOnlySpan<float> x, Span<byte> block)
    {
        float amax = 0;
        foreach (float v in x)
        {
            float a = MathF.Abs(v);
            amax = amax > a ? amax : a;
        }

        float d = amax / 127;
        float id = d != 0 ? 1 / d : 0;
        WriteF16(block, d);
        for (int j = 0; j < BlockLayout.QK; j++)
        {
            block[2 + j] = (byte)(int)MathF.Round(x[j] * id, MidpointRounding.AwayFromZero);
        }
    }

    /// <summary>
    /// ggml's <c>quantize_row_q4_0_ref</c>: d = -max/8 for the value of largest magnitude (so it maps to level 0),
    /// level = min(15, trunc(x / d + 8.5)); element j in the low nibble of byte j, element j+16 in the high one.
    /// </summary>
    private static void Q4_0Block(ReadOnlySpan<float> x, Span<byte> block)
    {
        float amax = 0;
        float max = 0;
        foreach (float v in x)
        {
            if (amax < MathF.Abs(v))
            {
                amax = MathF.Abs(v);
                max = v;
            }
        }

        float d = max / -8;
        float id = d != 0 ? 1 / d : 0;
        WriteF16(block, d);
        for (int j = 0; j < 16; j++)
        {
            int x0 = Math.Min(15, (int)((x[j] * id) + 8.5f));
            int x1 = Math.Min(15, (int)((x[j + 16] * id) + 8.5f));
            block[2 + j] = (byte)(x0 | (x1 << 4));
        }
    }

    /// <summary>
    /// ggml's <c>quantize_row_q4_K_ref</c>: each 32-element sub-block gets a scale and a min from
    /// <see cref="ScaleSearch.WithMin"/> (weights sqrt(mean x^2) + |x|, 21 candidate scales), the eight scales and mins
    /// are stored as 6-bit multiples of d = max scale/63 and dmin = max min/63, and the levels are recomputed from the
    /// stored values.
    /// </summary>
    private static void Q4KBlock(ReadOnlySpan<float> x, Span<byte> block)
    {
        Span<byte> levels = stackalloc byte[BlockLayout.QKK];
        Span<byte> aux = stackalloc byte[32];
        Span<float> weights = stackalloc float[32];
        Span<float> scales = stackalloc float[8];
        Span<float> mins = stackalloc float[8];

        float maxScale = 0;
        float maxMin = 0;
        for (int j = 0; j < 8; j++)
        {
            ReadOnlySpan<float> xs = x.Slice(32 * j, 32);
            float sumX2 = 0;
            for (int l = 0; l < 32; l++)
            {
                sumX2 += xs[l] * xs[l];
            }

            float avX = MathF.Sqrt(sumX2 / 32);
            for (int l = 0; l < 32; l++)
            {
                weights[l] = avX + MathF.Abs(xs[l]);
            }

            scales[j] = ScaleSearch.WithMin(xs, weights, 15, levels.Slice(32 * j, 32), aux, -1f, 0.1f, 20, out mins[j]);
            if (scales[j] > maxScale)
            {
                maxScale = scales[j];
            }

            if (mins[j] > maxMin)
            {
                maxMin = mins[j];
            }
        }

        block.Clear();
        Span<byte> packed = block.Slice(BlockLayout.Q4KScales, 12);
        float invScale = maxScale > 0 ? 63f / maxScale : 0f;
        float invMin = maxMin > 0 ? 63f / maxMin : 0f;
        for (int j = 0; j < 8; j++)
        {
            // ggml stores the rounded value in a uint8_t before capping it at 63.
            int ls = Math.Min(63, (int)(byte)ScaleSearch.NearestInt(invScale * scales[j]));
            int lm = Math.Min(63, (int)(byte)ScaleSearch.NearestInt(invMin * mins[j]));
            Q4KScales.Set(packed, j, ls, lm);
        }

        ushort dBits = ToF16(maxScale / 63f);
        ushort dminBits = ToF16(maxMin / 63f);
        BinaryPrimitives.WriteUInt16LittleEndian(block, dBits);
        BinaryPrimitives.WriteUInt16LittleEndian(block[2..], dminBits);

        for (int j = 0; j < 8; j++)
        {
            Q4KScales.Get(packed, j, out int sc, out int m);
            float d = Fp16.ToSingle(dBits) * sc;
            if (d == 0)
            {
                // Keep the levels of the search, as ggml does.
                continue;
            }

            float dm = Fp16.ToSingle(dminBits) * m;
            for (int ii = 0; ii < 32; ii++)
            {
                int l = ScaleSearch.NearestInt((x[(32 * j) + ii] + dm) / d);
                levels[(32 * j) + ii] = (byte)Math.Clamp(l, 0, 15);
            }
        }

        Span<byte> qs = block[BlockLayout.Q4KQs..];
        for (int k = 0; k < 4; k++)
        {
            for (int l = 0; l < 32; l++)
            {
                qs[(32 * k) + l] = (byte)(levels[(64 * k) + l] | (levels[(64 * k) + 32 + l] << 4));
            }
        }
    }

    /// <summary>
    /// ggml's <c>quantize_row_q6_K_ref</c>: each 16-element sub-block gets a scale from <see cref="ScaleSearch.Symmetric"/>
    /// (levels -32..31), the sixteen scales are stored as int8 multiples of d = -(scale of largest magnitude)/128, and the
    /// levels are recomputed from the stored values. Level + 32 is split into 4 low bits (ql) and 2 high bits (qh).
    /// </summary>
    private static void Q6KBlock(ReadOnlySpan<float> x, Span<byte> block)
    {
        Span<sbyte> levels = stackalloc sbyte[BlockLayout.QKK];
        Span<float> scales = stackalloc float[16];

        float maxScale = 0;
        float maxAbsScale = 0;
        for (int ib = 0; ib < 16; ib++)
        {
            float scale = ScaleSearch.Symmetric(x.Slice(16 * ib, 16), 32, levels.Slice(16 * ib, 16));
            scales[ib] = scale;
            float absScale = MathF.Abs(scale);
            if (absScale > maxAbsScale)
            {
                maxAbsScale = absScale;
                maxScale = scale;
            }
        }

        block.Clear();
        if (maxAbsScale < ScaleSearch.GroupMaxEps)
        {
            return;
        }

        float iscale = -128f / maxScale;
        ushort dBits = ToF16(1 / iscale);
        BinaryPrimitives.WriteUInt16LittleEndian(block[BlockLayout.Q6KD..], dBits);
        Span<sbyte> blockScales = MemoryMarshal.Cast<byte, sbyte>(block.Slice(BlockLayout.Q6KScales, 16));
        for (int ib = 0; ib < 16; ib++)
        {
            blockScales[ib] = (sbyte)Math.Min(127, ScaleSearch.NearestInt(iscale * scales[ib]));
        }

        for (int j = 0; j < 16; j++)
        {
            float d = Fp16.ToSingle(dBits) * blockScales[j];
            if (d == 0)
            {
                continue;
            }

            for (int ii = 0; ii < 16; ii++)
            {
                int l = Math.Clamp(ScaleSearch.NearestInt(x[(16 * j) + ii] / d), -32, 31);
                levels[(16 * j) + ii] = (sbyte)(l + 32);
            }
        }

        for (int half = 0; half < 2; half++)
        {
            Span<byte> ql = block.Slice(64 * half, 64);
            Span<byte> qh = block.Slice(BlockLayout.Q6KQh + (32 * half), 32);
            ReadOnlySpan<sbyte> lv = levels.Slice(128 * half, 128);
            for (int l = 0; l < 32; l++)
            {
                int q1 = lv[l];
                int q2 = lv[l + 32];
                int q3 = lv[l + 64];
                int q4 = lv[l + 96];
                ql[l] = (byte)((q1 & 0xF) | ((q3 & 0xF) << 4));
                ql[l + 32] = (byte)((q2 & 0xF) | ((q4 & 0xF) << 4));
                qh[l] = (byte)((q1 >> 4) | ((q2 >> 4) << 2) | ((q3 >> 4) << 4) | ((q4 >> 4) << 6));
            }
        }
    }
}
