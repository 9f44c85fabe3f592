using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Switchyard.Local.Kernels;

/// <summary>
/// bfloat16 conversions as ggml does them: widening is a 16-bit shift; narrowing rounds to nearest, ties to even, and
/// turns NaN into a quiet NaN (ggml's <c>GGML_FP32_TO_BF16</c>).
/// </summary>
internal static class Bf16
{
    /// <summary>The float value of the bfloat16 with bits <paramref name="bits"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float ToSingle(ushort bits) => BitConverter.UInt32BitsToSingle((uint)bits << 16);

    /// <summary>Rounds <paramref name="value"/> to bfloat16, ties to even; NaN becomes a quiet NaN.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ushort FromSingle(float value)
    {
        uint bits = BitConverter.SingleToUInt32Bits(value);
        if ((bits & 0x7FFF_FFFFu) > 0x7F80_0000u)
        {
            return (ushort)((bits >> 16) | 0x40u);
        }

        return (ushort)((bits + 0x7FFFu + ((bits >> 16) & 1u)) >> 16);
    }

    /// <summary><paramref name="value"/> rounded to bfloat16 and widened back to float.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Round(float value) => ToSingle(FromSingle(value));

    /// <summary>Vector form of <see cref="Round(float)"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Round(Vector256<float> value)
    {
        Vector256<uint> bits = value.AsUInt32();
        Vector256<uint> odd = (bits >> 16) & Vector256<uint>.One;
        Vector256<uint> rounded = (bits + Vector256.Create(0x7FFFu) + odd) & Vector256.Create(0xFFFF_0000u);
        Vector256<uint> isNaN = Vector256.GreaterThan(
            (bits & Vector256.Create(0x7FFF_FFFFu)).AsInt32(), Vector256.Create(0x7F80_0000)).AsUInt32();
        Vector256<uint> quiet = (bits | Vector256.Create(0x0040_0000u)) & Vector256.Create(0xFFFF_0000u);
        return Vector256.ConditionalSelect(isNaN, quiet, rounded).AsSingle();
    }
}
