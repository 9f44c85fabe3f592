using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using Switchyard.Local.Gguf;

namespace Switchyard.Local.Kernels;

/// <summary>
/// Rows of ggml blocks back to floats, with the bits of ggml's <c>dequantize_row_*</c> (and its F16/BF16 widening):
/// every element is the same float product (and, for Q4_K, the same separate multiply then subtract: ggml-base is built
/// without FMA, so nothing is fused) in the same order. The AVX2 path only does the same operations eight lanes at a
/// time, so it gives the same bits as the scalar one.
/// </summary>
internal static unsafe class Dequantize
{
    /// <summary>True for the types <see cref="Row(GgmlType, ReadOnlySpan{byte}, Span{float})"/> (and <see cref="Quantize"/>) handle.</summary>
    public static bool Supports(GgmlType type) => type is GgmlType.F32 or GgmlType.F16 or GgmlType.BF16
        or GgmlType.Q8_0 or GgmlType.Q4_0 or GgmlType.Q4_K or GgmlType.Q6_K;

    /// <summary>
    /// Decodes the first <c>destination.Length</c> elements of a row of <paramref name="type"/> from
    /// <paramref name="source"/> (ggml's block layout) into <paramref name="destination"/>. Bytes of
    /// <paramref name="source"/> past those elements are not read.
    /// </summary>
    /// <exception cref="ArgumentException">
    /// <c>destination.Length</c> is not a whole number of blocks, or <paramref name="source"/> is shorter than that many blocks.
    /// </exception>
    /// <exception cref="NotSupportedException"><paramref name="type"/> is not one of the supported types.</exception>
    public static void Row(GgmlType type, ReadOnlySpan<byte> source, Span<float> destination) =>
        Row(type, source, destination, KernelOptions.Default);

    /// <inheritdoc cref="Row(GgmlType, ReadOnlySpan{byte}, Span{float})"/>
    /// <remarks>Only <see cref="KernelOptions.ForceScalar"/> matters here.</remarks>
    public static void Row(GgmlType type, ReadOnlySpan<byte> source, Span<float> destination, KernelOptions options)
    {
        int n = destination.Length;
        int bytes = RowBytes(type, n, nameof(destination));
        if (source.Length < bytes)
        {
            throw new ArgumentException(
                $"source holds {source.Length} bytes; {n} elements of {type} take {bytes}.", nameof(source));
        }

        bool simd = !options.ForceScalar && Avx2.IsSupported;
        fixed (byte* src = source)
        fixed (float* dst = destination)
        {
            switch (type)
            {
                case GgmlType.F32:
                    source[..bytes].CopyTo(MemoryMarshal.AsBytes(destination));
                    break;
                case GgmlType.F16:
                    F16(src, dst, n, simd);
                    break;
                case GgmlType.BF16:
                    BF16(src, dst, n, simd);
                    break;
                case GgmlType.Q8_0:
                    Q8_0(src, dst, n / BlockLayout.QK, simd);
                    break;
                case GgmlType.Q4_0:
                    Q4_0(src, dst, n / BlockLayout.QK, simd);
                    break;
                case GgmlType.Q4_K:
                    Q4K(src, dst, n / BlockLayout.QKK, simd);
                    break;
                default:
                    Q6K(src, dst, n / BlockLayout.QKK, simd);
                    break;
            }
        }
    }

    /// <summary>
    /// Bytes taken by <paramref name="elements"/> elements of a supported <paramref name="type"/>.
    /// </summary>
    /// <exception cref="NotSupportedException">The type is not supported.</exception>
    /// <exception cref="ArgumentException">The count is not a whole number of blocks (blamed on <paramref name="paramName"/>).</exception>
    internal static int RowBytes(GgmlType type, int elements, string paramName)
    {
        if (!Supports(type) || !GgmlTypeInfo.TryGetLayout(type, out int blockElements, out int blockBytes))
        {
            throw new NotSupportedException(
                $"ggml type {type} cannot be converted to or from floats here; supported: F32, F16, BF16, Q8_0, Q4_0, Q4_K, Q6_K.");
        }

        if (elements % blockElements != 0)
        {
            throw new ArgumentException(
                $"{paramName} has {elements} elements, not a whole number of {type} blocks of {blockElements}.", paramName);
        }

        return checked(elements / blockElements * blockBytes);
    }

    private static void F16(byte* src, float* dst, int n, bool simd)
    {
        var halves = (ushort*)src;
        int i = 0;
        if (simd)
        {
            for (; i + 8 <= n; i += 8)
            {
                Fp16.ToSingle(Avx2.ConvertToVector256Int32(halves + i).AsUInt32()).Store(dst + i);
            }
        }

        for (; i < n; i++)
        {
            dst[i] = Fp16.ToSingle(Unsafe.ReadUnaligned<ushort>(halves + i));
        }
    }

    private static void BF16(byte* src, float* dst, int n, bool simd)
    {
        var halves = (ushort*)src;
        int i = 0;
        if (simd)
        {
            for (; i + 8 <= n; i += 8)
            {
                Avx2.ShiftLeftLogical(Avx2.ConvertToVector256Int32(halves + i), 16).AsSingle().Store(dst + i);
            }
        }

        for (; i < n; i++)
        {
            dst[i] = Bf16.ToSingle(Unsafe.ReadUnaligned<ushort>(halves + i));
        }
    }

    /// <summary>y = q * d (ggml's <c>dequantize_row_q8_0</c>).</summary>
    private static void Q8_0(byte* src, float* dst, int blocks, bool simd)
    {
        for (int ib = 0; ib < blocks; ib++)
        {
            byte* block = src + (ib * BlockLayout.Q8_0Bytes);
            float d = Fp16.ToSingle(Unsafe.ReadUnaligned<ushort>(block));
            var q = (sbyte*)(block + 2);
            float* y = dst + (ib * BlockLayout.QK);
            if (simd)
            {
                Vector256<float> vd = Vector256.Create(d);
                for (int j = 0; j < BlockLayout.QK; j += 8)
                {
                    (Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(q + j)) * vd).Store(y + j);
                }
            }
            else
            {
                for (int j = 0; j < BlockLayout.QK; j++)
                {
                    y[j] = q[j] * d;
                }
            }
        }
    }

    /// <summary>y[j] = (low nibble j - 8) * d, y[j + 16] = (high nibble j - 8) * d (ggml's <c>dequantize_row_q4_0</c>).</summary>
    private static void Q4_0(byte* src, float* dst, int blocks, bool simd)
    {
        for (int ib = 0; ib < blocks; ib++)
        {
            byte* block = src + (ib * BlockLayout.Q4_0Bytes);
            float d = Fp16.ToSingle(Unsafe.ReadUnaligned<ushort>(block));
            byte* qs = block + 2;
            float* y = dst + (ib * BlockLayout.QK);
            if (simd)
            {
                Vector256<float> vd = Vector256.Create(d);
                Vector256<int> low4 = Vector256.Create(0xF);
                Vector256<int> eight = Vector256.Create(8);
                for (int j = 0; j < 16; j += 8)
                {
                    Vector256<int> bytes = Avx2.ConvertToVector256Int32(qs + j);
                    (Avx.ConvertToVector256Single((bytes & low4) - eight) * vd).Store(y + j);
                    (Avx.ConvertToVector256Single(Avx2.ShiftRightLogical(bytes, 4) - eight) * vd).Store(y + j + 16);
                }
            }
            else
            {
                for (int j = 0; j < 16; j++)
                {
                    y[j] = ((qs[j] & 0xF) - 8) * d;
                    y[j + 16] = ((qs[j] >> 4) - 8) * d;
                }
            }
        }
    }

    /// <summary>
    /// Sub-block j of 32: y = (d * scale_j) * q - (dmin * min_j), the nibbles of bytes 32k..32k+31 holding sub-blocks
    /// 2k (low) and 2k+1 (high) (ggml's <c>dequantize_row_q4_K</c>).
    /// </summary>
    private static void Q4K(byte* src, float* dst, int blocks, bool simd)
    {
        uint* unpacked = stackalloc uint[4];
        var sm = (byte*)unpacked;
        for (int ib = 0; ib < blocks; ib++)
        {
            byte* block = src + (ib * BlockLayout.Q4KBytes);
            float d = Fp16.ToSingle(Unsafe.ReadUnaligned<ushort>(block));
            float min = Fp16.ToSingle(Unsafe.ReadUnaligned<ushort>(block + 2));
            Q4KScales.Unpack(block + BlockLayout.Q4KScales, unpacked);
            byte* q = block + BlockLayout.Q4KQs;
            float* y = dst + (ib * BlockLayout.QKK);
            for (int k = 0; k < 4; k++)
            {
                float d1 = d * sm[2 * k];
                float m1 = min * sm[8 + (2 * k)];
                float d2 = d * sm[(2 * k) + 1];
                float m2 = min * sm[8 + (2 * k) + 1];
                if (simd)
                {
                    Q4KChunk(q, y, d1, m1, d2, m2);
                }
                else
                {
                    for (int l = 0; l < 32; l++)
                    {
                        y[l] = (d1 * (q[l] & 0xF)) - m1;
                    }

                    for (int l = 0; l < 32; l++)
                    {
                        y[32 + l] = (d2 * (q[l] >> 4)) - m2;
                    }
                }

                q += 32;
                y += 64;
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Q4KChunk(byte* q, float* y, float d1, float m1, float d2, float m2)
    {
        Vector256<float> vd1 = Vector256.Create(d1);
        Vector256<float> vm1 = Vector256.Create(m1);
        Vector256<float> vd2 = Vector256.Create(d2);
        Vector256<float> vm2 = Vector256.Create(m2);
        Vector256<int> low4 = Vector256.Create(0xF);
        for (int l = 0; l < 32; l += 8)
        {
            Vector256<int> bytes = Avx2.ConvertToVector256Int32(q + l);
            // Multiply, then subtract: two roundings, as ggml's unfused scalar code.
            Vector256<float> low = Avx.Multiply(vd1, Avx.ConvertToVector256Single(bytes & low4));
            Vector256<float> high = Avx.Multiply(vd2, Avx.ConvertToVector256Single(Avx2.ShiftRightLogical(bytes, 4)));
            Avx.Subtract(low, vm1).Store(y + l);
            Avx.Subtract(high, vm2).Store(y + 32 + l);
        }
    }

    /// <summary>
    /// Element e: (d * scale[e / 16]) * (q - 32), q's low 4 bits from ql and top 2 bits from qh, as laid out by
    /// ggml's <c>dequantize_row_q6_K</c>.
    /// </summary>
    private static void Q6K(byte* src, float* dst, int blocks, bool simd)
    {
        for (int ib = 0; ib < blocks; ib++)
        {
            byte* block = src + (ib * BlockLayout.Q6KBytes);
            float d = Fp16.ToSingle(Unsafe.ReadUnaligned<ushort>(block + BlockLayout.Q6KD));
            float* y = dst + (ib * BlockLayout.QKK);
            for (int half = 0; half < 2; half++)
            {
                byte* ql = block + (64 * half);
                byte* qh = block + BlockLayout.Q6KQh + (32 * half);
                var sc = (sbyte*)(block + BlockLayout.Q6KScales + (8 * half));
                float* yh = y + (128 * half);
                if (simd)
                {
                    Q6KHalf(ql, qh, sc, d, yh);
                    continue;
                }

                for (int l = 0; l < 32; l++)
                {
                    int s = l / 16;
                    int q1 = ((ql[l] & 0xF) | ((qh[l] & 3) << 4)) - 32;
                    int q2 = ((ql[l + 32] & 0xF) | (((qh[l] >> 2) & 3) << 4)) - 32;
                    int q3 = ((ql[l] >> 4) | (((qh[l] >> 4) & 3) << 4)) - 32;
                    int q4 = ((ql[l + 32] >> 4) | (((qh[l] >> 6) & 3) << 4)) - 32;
                    yh[l] = d * sc[s] * q1;
                    yh[l + 32] = d * sc[s + 2] * q2;
                    yh[l + 64] = d * sc[s + 4] * q3;
                    yh[l + 96] = d * sc[s + 6] * q4;
                }
            }
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Q6KHalf(byte* ql, byte* qh, sbyte* sc, float d, float* y)
    {
        Vector256<int> low4 = Vector256.Create(0xF);
        Vector256<int> low2 = Vector256.Create(3);
        Vector256<int> offset = Vector256.Create(32);
        for (int l = 0; l < 32; l += 8)
        {
            int s = l / 16;
            Vector256<int> a = Avx2.ConvertToVector256Int32(ql + l);
            Vector256<int> b = Avx2.ConvertToVector256Int32(ql + l + 32);
            Vector256<int> h = Avx2.ConvertToVector256Int32(qh + l);
            Vector256<int> q1 = ((a & low4) | Avx2.ShiftLeftLogical(h & low2, 4)) - offset;
            Vector256<int> q2 = ((b & low4) | Avx2.ShiftLeftLogical(Avx2.ShiftRightLogical(h, 2) & low2, 4)) - offset;
            Vector256<int> q3 = (Avx2.ShiftRightLogical(a, 4) | Avx2.ShiftLeftLogical(Avx2.ShiftRightLogical(h, 4) & low2, 4)) - offset;
            Vector256<int> q4 = (Avx2.ShiftRightLogical(b, 4) | Avx2.ShiftLeftLogical(Avx2.ShiftRightLogical(h, 6), 4)) - offset;
            (Vector256.Create(d * sc[s]) * Avx.ConvertToVector256Single(q1)).Store(y + l);
            (Vector256.Create(d * sc[s + 2]) * Avx.ConvertToVector256Single(q2)).Store(y + l + 32);
            (Vector256.Create(d * sc[s + 4]) * Avx.ConvertToVector256Single(q3)).Store(y + l + 64);
            (Vector256.Create(d * sc[s + 6]) * Avx.ConvertToVector256Single(q4)).Store(y + l + 96);
        }
    }
}
