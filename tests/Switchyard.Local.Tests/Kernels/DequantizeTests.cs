using System.Buffers.Binary;
using Switchyard.Local.Gguf;
using Switchyard.Local.Kernels;

namespace Switchyard.Local.Tests.Kernels;

public sealed class DequantizeTests
{
    private static readonly KernelOptions Scalar = new() { ForceScalar = true };

    public static TheoryData<GgmlType> AllTypes => new(KernelTestData.AllTypes);

    [Fact]
    public void Q8_0_block_is_quants_times_d()
    {
        byte[] block = new byte[34];
        BinaryPrimitives.WriteUInt16LittleEndian(block, 0x3800); // 0.5
        for (int j = 0; j < 32; j++)
        {
            block[2 + j] = (byte)(sbyte)((j * 8) - 128);
        }

        float[] expected = Enumerable.Range(0, 32).Select(j => ((j * 8) - 128) * 0.5f).ToArray();
        AssertBothPaths(GgmlType.Q8_0, block, expected);
    }

    [Fact]
    public void Q4_0_block_has_low_nibbles_first_offset_by_8()
    {
        byte[] block = new byte[18];
        BinaryPrimitives.WriteUInt16LittleEndian(block, 0xC000); // -2
        for (int j = 0; j < 16; j++)
        {
            block[2 + j] = (byte)(j | ((15 - j) << 4));
        }

        float[] expected = new float[32];
        for (int j = 0; j < 16; j++)
        {
            expected[j] = (j - 8) * -2f;
            expected[j + 16] = (15 - j - 8) * -2f;
        }

        AssertBothPaths(GgmlType.Q4_0, block, expected);
    }

    /// <summary>
    /// Scales 1, 2, 3, 4, 17, 33, 50, 63 and mins 0, 5, 10, 20, 16, 40, 63, 1, packed by hand: sub-blocks 4-7 keep their
    /// low 4 bits in bytes 8-11 (scale low nibble, min high nibble) and their top 2 bits in bits 6-7 of bytes 0-3 (scales)
    /// and 4-7 (mins).
    /// </summary>
    private static readonly byte[] Q4KPackedScales = [0x41, 0x82, 0xC3, 0xC4, 0x40, 0x85, 0xCA, 0x14, 0x01, 0x81, 0xF2, 0x1F];
    private static readonly int[] Q4KScalesValues = [1, 2, 3, 4, 17, 33, 50, 63];
    private static readonly int[] Q4KMinsValues = [0, 5, 10, 20, 16, 40, 63, 1];

    [Fact]
    public void Q4_K_scale_and_min_packing_round_trips_for_all_sub_blocks()
    {
        var packed = new byte[12];
        for (int j = 0; j < 8; j++)
        {
            Q4KScales.Set(packed, j, Q4KScalesValues[j], Q4KMinsValues[j]);
        }

        Assert.Equal(Q4KPackedScales, packed);
        for (int j = 0; j < 8; j++)
        {
            Q4KScales.Get(Q4KPackedScales, j, out int scale, out int min);
            Assert.Equal((Q4KScalesValues[j], Q4KMinsValues[j]), (scale, min));
        }
    }

    [Fact]
    public void Q4_K_block_applies_each_sub_blocks_scale_and_min()
    {
        byte[] block = new byte[144];
        BinaryPrimitives.WriteUInt16LittleEndian(block, 0x3C00); // d = 1
        BinaryPrimitives.WriteUInt16LittleEndian(block.AsSpan(2), 0x3800); // dmin = 0.5
        Q4KPackedScales.CopyTo(block, 4);
        for (int k = 0; k < 128; k++)
        {
            int l = k % 32;
            block[16 + k] = (byte)((l & 0xF) | ((15 - (l & 0xF)) << 4));
        }

        float[] expected = new float[256];
        for (int e = 0; e < 256; e++)
        {
            int sub = e / 32;
            int within = e % 32;
            // Bytes 32k..32k+31 hold sub-block 2k in their low nibbles and sub-block 2k+1 in their high nibbles.
            int q = sub % 2 == 0 ? within & 0xF : 15 - (within & 0xF);
            expected[e] = (1f * Q4KScalesValues[sub] * q) - (0.5f * Q4KMinsValues[sub]);
        }

        AssertBothPaths(GgmlType.Q4_K, block, expected);
        // Spot checks of sub-blocks 4-7, whose scales and mins need the top bits.
        Assert.Equal((17f * 0) - 8f, expected[128]);
        Assert.Equal((33f * 15) - 20f, expected[160]);
        Assert.Equal((50f * 3) - 31.5f, expected[195]);
        Assert.Equal((63f * 15) - 0.5f, expected[224]);
    }

    [Fact]
    public void Q6_K_block_centres_levels_on_32_and_keeps_scale_signs()
    {
        sbyte[] scales = [-1, 2, -3, 4, -128, 127, 5, -6, 7, -8, 9, -10, 11, -12, 13, -14];
        int[] levels = Enumerable.Range(0, 256).Select(e => (e * 7) % 64).ToArray();
        byte[] block = PackQ6K(levels, scales, 0x3400); // d = 0.25
        float[] expected = new float[256];
        for (int e = 0; e < 256; e++)
        {
            expected[e] = 0.25f * scales[e / 16] * (levels[e] - 32);
        }

        AssertBothPaths(GgmlType.Q6_K, block, expected);
        Assert.Equal(0.25f * -1 * -32, expected[0]); // level 0 is -32
        Assert.Equal(0.25f * -1 * 31, expected[9]); // level 63 is +31
        Assert.Equal(0.25f * -128 * ((64 * 7 % 64) - 32), expected[64]);
    }

    [Fact]
    public void Q6_K_negative_scale_flips_the_sign()
    {
        byte[] block = new byte[210];
        BinaryPrimitives.WriteUInt16LittleEndian(block.AsSpan(208), 0x3C00); // d = 1
        block[192] = 0xFF; // scale 0 = -1; all levels 0, i.e. -32
        block[193] = 0x02; // scale 1 = 2
        float[] expected = new float[256];
        for (int e = 0; e < 256; e++)
        {
            expected[e] = e < 16 ? 32f : e < 32 ? -64f : 0f;
        }

        AssertBothPaths(GgmlType.Q6_K, block, expected);
    }

    [Fact]
    public void Float_types_widen_exactly()
    {
        float[] values = [0f, -0f, 1f, -2.5f, 65504f, 6.1035156e-05f, 5.9604645e-08f, float.PositiveInfinity, 3.140625f];
        byte[] f32 = new byte[values.Length * 4];
        Buffer.BlockCopy(values, 0, f32, 0, f32.Length);
        AssertBothPaths(GgmlType.F32, f32, values);

        byte[] f16 = new byte[values.Length * 2];
        byte[] bf16 = new byte[values.Length * 2];
        for (int i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(f16.AsSpan(2 * i), BitConverter.HalfToUInt16Bits((Half)values[i]));
            BinaryPrimitives.WriteUInt16LittleEndian(bf16.AsSpan(2 * i), (ushort)(BitConverter.SingleToUInt32Bits(values[i]) >> 16));
        }

        AssertBothPaths(GgmlType.F16, f16, values);
        // BF16 keeps the top 16 bits: 65504 becomes 65280, 3.140625 stays.
        AssertBothPaths(GgmlType.BF16, bf16, values.Select(v => BitConverter.UInt32BitsToSingle(BitConverter.SingleToUInt32Bits(v) & 0xFFFF_0000u)).ToArray());
    }

    [Fact]
    public void Every_half_widens_like_dotnets_half()
    {
        byte[] all = new byte[65536 * 2];
        for (int i = 0; i < 65536; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(all.AsSpan(2 * i), (ushort)i);
        }

        foreach (var options in new[] { KernelOptions.Default, Scalar })
        {
            float[] values = new float[65536];
            Dequantize.Row(GgmlType.F16, all, values, options);
            for (int i = 0; i < 65536; i++)
            {
                float expected = (float)BitConverter.UInt16BitsToHalf((ushort)i);
                Assert.True(
                    BitConverter.SingleToUInt32Bits(expected) == BitConverter.SingleToUInt32Bits(values[i]) || (float.IsNaN(expected) && float.IsNaN(values[i])),
                    $"half 0x{i:X4}: expected {expected:R}, got {values[i]:R}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void Simd_and_scalar_paths_give_identical_bits_on_arbitrary_blocks(GgmlType type)
    {
        var random = new Random(21 + (int)type);
        int n = 4 * 256 + (KernelTestData.BlockSize(type) == 1 ? 13 : 0);
        byte[] data = new byte[GgmlTypeInfo.RowBytes(type, n)];
        random.NextBytes(data);
        SanitizeScales(type, data);

        float[] simd = new float[n];
        float[] scalar = new float[n];
        Dequantize.Row(type, data, simd);
        Dequantize.Row(type, data, scalar, Scalar);
        for (int i = 0; i < n; i++)
        {
            Assert.True(
                BitConverter.SingleToUInt32Bits(scalar[i]) == BitConverter.SingleToUInt32Bits(simd[i]) || (float.IsNaN(scalar[i]) && float.IsNaN(simd[i])),
                $"{type} element {i}: scalar {scalar[i]:R}, simd {simd[i]:R}");
        }
    }

    [Fact]
    public void Only_the_needed_prefix_of_the_source_is_read()
    {
        byte[] block = new byte[34 + 7];
        BinaryPrimitives.WriteUInt16LittleEndian(block, 0x3C00);
        block[2] = 5;
        float[] values = new float[32];
        Dequantize.Row(GgmlType.Q8_0, block, values);
        Assert.Equal(5f, values[0]);
        Dequantize.Row(GgmlType.Q8_0, block, Span<float>.Empty);
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void Short_source_throws(GgmlType type)
    {
        int n = 2 * Math.Max(KernelTestData.BlockSize(type), 8);
        byte[] data = new byte[GgmlTypeInfo.RowBytes(type, n) - 1];
        var e = Assert.ThrowsAny<ArgumentException>(() => Dequantize.Row(type, data, new float[n]));
        Assert.Equal("source", e.ParamName);
    }

    [Theory]
    [InlineData(GgmlType.Q8_0, 48)]
    [InlineData(GgmlType.Q4_0, 31)]
    [InlineData(GgmlType.Q4_K, 128)]
    [InlineData(GgmlType.Q6_K, 300)]
    public void Destination_that_is_not_whole_blocks_throws(GgmlType type, int n)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => Dequantize.Row(type, new byte[4096], new float[n]));
        Assert.Equal("destination", e.ParamName);
        Assert.Contains(type.ToString(), e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(GgmlType.Q5_K)]
    [InlineData(GgmlType.Q8_K)]
    [InlineData(GgmlType.IQ4_NL)]
    [InlineData((GgmlType)999)]
    public void Unsupported_type_throws_naming_it(GgmlType type)
    {
        var e = Assert.Throws<NotSupportedException>(() => Dequantize.Row(type, new byte[4096], new float[256]));
        Assert.Contains(type.ToString(), e.Message, StringComparison.Ordinal);
        Assert.False(Dequantize.Supports(type));
    }

    /// <summary>
    /// Packs a Q6_K block from its documented layout: element e = 128h + 32g + l (half h, group g, 0 &lt;= l &lt; 32) keeps
    /// its low 4 bits in ql[64h + l + 32(g mod 2)] (low nibble for g &lt; 2, high for g &gt;= 2) and its top 2 bits in
    /// bits 2g, 2g+1 of qh[32h + l]; its scale is scales[e / 16]; d is the fp16 at byte 208.
    /// </summary>
    internal static byte[] PackQ6K(int[] levels, sbyte[] scales, ushort d)
    {
        byte[] block = new byte[210];
        for (int e = 0; e < 256; e++)
        {
            int h = e / 128;
            int g = e % 128 / 32;
            int l = e % 32;
            int ql = (64 * h) + l + (32 * (g % 2));
            block[ql] |= (byte)((levels[e] & 0xF) << (g >= 2 ? 4 : 0));
            block[128 + (32 * h) + l] |= (byte)((levels[e] >> 4) << (2 * g));
        }

        for (int i = 0; i < 16; i++)
        {
            block[192 + i] = (byte)scales[i];
        }

        BinaryPrimitives.WriteUInt16LittleEndian(block.AsSpan(208), d);
        return block;
    }

    /// <summary>Overwrites the fp16 scale fields of random blocks with finite values below 1 in magnitude.</summary>
    internal static void SanitizeScales(GgmlType type, byte[] data)
    {
        (int blockBytes, int[] offsets) = type switch
        {
            GgmlType.Q8_0 => (34, new[] { 0 }),
            GgmlType.Q4_0 => (18, new[] { 0 }),
            GgmlType.Q4_K => (144, new[] { 0, 2 }),
            GgmlType.Q6_K => (210, new[] { 208 }),
            _ => (0, Array.Empty<int>()),
        };
        for (int b = 0; b + blockBytes <= data.Length && blockBytes > 0; b += blockBytes)
        {
            foreach (int offset in offsets)
            {
                ushort bits = BinaryPrimitives.ReadUInt16LittleEndian(data.AsSpan(b + offset));
                BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(b + offset), (ushort)(bits & 0xBBFF));
            }
        }
    }

    private static void AssertBothPaths(GgmlType type, byte[] data, float[] expected)
    {
        foreach (var options in new[] { KernelOptions.Default, Scalar })
        {
            float[] actual = new float[expected.Length];
            Dequantize.Row(type, data, actual, options);
            Assert.Equal(expected, actual);
        }
    }
}
