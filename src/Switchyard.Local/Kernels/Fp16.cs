using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Switchyard.Local.Kernels;

/// <summary>
/// IEEE binary16 conversions with the exact results of x86 F16C (round to nearest, ties to even), which is what
/// ggml's CPU backend uses for <c>GGML_CPU_FP32_TO_FP16</c> / <c>GGML_CPU_FP16_TO_FP32</c>.
/// </summary>
internal static unsafe class Fp16
{
    private const uint SignMask = 0x8000_0000u;

    /// <summary>All 65536 half values as floats; block scales are looked up here (L2-resident, 256 KiB).</summary>
    private static readonly float* Table = BuildTable();

    /// <summary>The float value of the half with bits <paramref name="bits"/> (table lookup).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ToSingle(ushort bits) => Table[bits];

    /// <summary>The float value of the half with bits <paramref name="bits"/>, computed without the table.</summary>
    public static float ToSingleComputed(ushort bits)
    {
        uint sign = (uint)(bits & 0x8000) << 16;
        uint magnitude = bits & 0x7FFFu;
        uint result;
        if (magnitude >= 0x7C00)
        {
            // Infinity or NaN: all-ones exponent, payload moved up.
            result = 0x7F80_0000u | ((magnitude & 0x3FF) << 13);
        }
        else if (magnitude >= 0x0400)
        {
            // Normal: rebias the exponent from 15 to 127.
            result = (magnitude << 13) + 0x3800_0000u;
        }
        else
        {
            // Zero or subnormal: magnitude * 2^-24 is exact in float.
            result = BitConverter.SingleToUInt32Bits(magnitude * (1f / 16777216f));
        }

        return BitConverter.UInt32BitsToSingle(result | sign);
    }

    /// <summary>Rounds <paramref name="value"/> to the nearest half (ties to even), as F16C's <c>vcvtps2ph</c> with imm 0.</summary>
    public static ushort FromSingle(float value)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        uint sign = (bits >> 16) & 0x8000u;
        uint magnitude = bits & 0x7FFF_FFFFu;

        if (magnitude >= 0x7F80_0000u)
        {
            // Infinity stays infinity; NaN becomes a quiet NaN keeping the top payload bits.
            return (ushort)(sign | (magnitude > 0x7F80_0000u ? 0x7E00u | ((magnitude >> 13) & 0x3FFu) : 0x7C00u));
        }

        if (magnitude >= 0x477F_F000u)
        {
            // At or above 65520 the nearest half is infinity.
            return (ushort)(sign | 0x7C00u);
        }

        if (magnitude < 0x3880_0000u)
        {
            // Below 2^-14 the result is a subnormal half (or rounds up to the smallest normal): adding 0.5 puts the
            // value where one float ulp is 2^-24, so the hardware addition does the round-to-nearest-even for us.
            float shifted = BitConverter.UInt32BitsToSingle(magnitude) + 0.5f;
            return (ushort)(sign | (BitConverter.SingleToUInt32Bits(shifted) - 0x3F00_0000u));
        }

        // Normal: rebias the exponent and round the 13 dropped mantissa bits to nearest even.
        uint odd = (magnitude >> 13) & 1u;
        magnitude += 0xC800_0FFFu + odd; // (15 - 127) << 23, plus the rounding bias
        return (ushort)(sign | (magnitude >> 13));
    }

    /// <summary>
    /// <paramref name="value"/> rounded to half precision and widened back to float: the value ggml's dot product
    /// sees after converting an activation to F16.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Round(float value) => Table[FromSingle(value)];

    /// <summary>Eight halves (zero-extended to 32 bits per lane) widened to floats, exactly.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> ToSingle(Vector256<uint> halves)
    {
        Vector256<uint> sign = (halves & Vector256.Create(0x8000u)) << 16;
        Vector256<uint> magnitude = halves & Vector256.Create(0x7FFFu);
        Vector256<uint> isSubnormal = Vector256.LessThan(magnitude.AsInt32(), Vector256.Create(0x0400)).AsUInt32();
        Vector256<uint> isSpecial = Vector256.GreaterThan(magnitude.AsInt32(), Vector256.Create(0x7BFF)).AsUInt32();
        Vector256<uint> bits = (magnitude << 13) + Vector256.Create(0x3800_0000u);
        bits += isSpecial & Vector256.Create(0x3800_0000u);
        // Subnormals: give them the smallest normal exponent, then take 2^-14 away again (exact).
        bits += isSubnormal & Vector256.Create(0x0080_0000u);
        Vector256<float> value = bits.AsSingle() - (isSubnormal & Vector256.Create(0x3880_0000u)).AsSingle();
        return (value.AsUInt32() | sign).AsSingle();
    }

    /// <summary>Vector form of <see cref="Round(float)"/>: each lane rounded to half precision (ties to even) as a float.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Round(Vector256<float> value)
    {
        Vector256<uint> bits = value.AsUInt32();
        Vector256<uint> sign = bits & Vector256.Create(SignMask);
        Vector256<uint> magnitude = bits & Vector256.Create(0x7FFF_FFFFu);

        // Normal halves: round away the low 13 mantissa bits, ties to even.
        Vector256<uint> odd = (magnitude >> 13) & Vector256<uint>.One;
        Vector256<uint> normal = (magnitude + Vector256.Create(0x0FFFu) + odd) & Vector256.Create(0xFFFF_E000u);
        // Subnormal halves: round to a multiple of 2^-24 by adding and removing 0.5.
        Vector256<float> subnormal = (magnitude.AsSingle() + Vector256.Create(0.5f)) - Vector256.Create(0.5f);

        Vector256<int> m = magnitude.AsInt32();
        Vector256<uint> isSubnormal = Vector256.LessThan(m, Vector256.Create(0x3880_0000)).AsUInt32();
        Vector256<uint> overflows = Vector256.GreaterThanOrEqual(m, Vector256.Create(0x477F_F000)).AsUInt32();
        Vector256<uint> isNaN = Vector256.GreaterThan(m, Vector256.Create(0x7F80_0000)).AsUInt32();

        Vector256<uint> result = Vector256.ConditionalSelect(isSubnormal, subnormal.AsUInt32(), normal);
        result = Vector256.ConditionalSelect(overflows, Vector256.Create(0x7F80_0000u), result);
        // NaN stays NaN, made quiet and cut to the payload bits a half can hold.
        Vector256<uint> quiet = (magnitude & Vector256.Create(0xFFFF_E000u)) | Vector256.Create(0x0040_0000u);
        result = Vector256.ConditionalSelect(isNaN, quiet, result);
        return (result | sign).AsSingle();
    }

    private static float* BuildTable()
    {
        var table = (float*)NativeMemory.AlignedAlloc(65536 * sizeof(float), 64);
        for (int i = 0; i < 65536; i++)
        {
            table[i] = ToSingleComputed((ushort)i);
        }

        return table;
    }
}
