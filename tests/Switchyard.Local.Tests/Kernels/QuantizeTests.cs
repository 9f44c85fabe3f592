using System.Buffers.Binary;
using System.Globalization;
using Switchyard.Local.Gguf;
using Switchyard.Local.Kernels;
using Xunit.Abstractions;

namespace Switchyard.Local.Tests.Kernels;

public sealed class QuantizeTests(ITestOutputHelper output)
{
    /// <summary>
    /// Upper bounds on the relative RMS error of a quantize/dequantize round trip of Gaussian data, about 1.3x what
    /// ggml's reference quantizers give (measured, for sigma 1 and 0.02 alike: F16 2.1e-4, BF16 1.7e-3, Q8_0 0.53%,
    /// Q6_K 1.8%, Q4_K 7.1%, Q4_0 8.6%), so a wrong scale, level or packing fails while float noise does not.
    /// </summary>
    public static TheoryData<GgmlType, double> RoundTripBounds => new()
    {
        { GgmlType.F32, 0 },
        { GgmlType.F16, 2.8e-4 },
        { GgmlType.BF16, 2.2e-3 },
        { GgmlType.Q8_0, 0.007 },
        { GgmlType.Q6_K, 0.023 },
        { GgmlType.Q4_K, 0.092 },
        { GgmlType.Q4_0, 0.112 },
    };

    public static TheoryData<GgmlType> AllTypes => new(KernelTestData.AllTypes);

    [Theory]
    [MemberData(nameof(RoundTripBounds))]
    public void Round_trip_error_is_within_the_types_bound(GgmlType type, double bound)
    {
        var random = new Random(31);
        const int n = 64 * 256;
        foreach (float sigma in new[] { 1f, 0.02f })
        {
            float[] x = KernelTestData.Gaussian(random, n, sigma);
            byte[] q = new byte[GgmlTypeInfo.RowBytes(type, n)];
            Quantize.Row(type, x, q);
            float[] y = new float[n];
            Dequantize.Row(type, q, y);
            double error = KernelTestData.RelativeRms(x, y);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{type} sigma {sigma}: relative RMS error {error:E3}"));
            Assert.True(error <= bound, $"{type}: relative RMS error {error:E3} above {bound:E3}");
            if (type != GgmlType.F32)
            {
                // A kernel that lost all precision would still pass a loose bound on an easy row; these types keep some error.
                Assert.True(error > bound / 20, $"{type}: relative RMS error {error:E3} is implausibly small");
            }
        }
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void Round_trip_keeps_offsets_outliers_and_zero_blocks_close(GgmlType type)
    {
        var random = new Random(32);
        const int n = 8 * 256;
        float[] x = KernelTestData.Gaussian(random, n);
        for (int i = 0; i < 256; i++)
        {
            x[i] = MathF.Abs(x[i]) + 2f; // all positive: the Q4_K min goes to zero
        }

        x[300] = 30f;
        x.AsSpan(512, 256).Clear();
        byte[] q = new byte[GgmlTypeInfo.RowBytes(type, n)];
        Quantize.Row(type, x, q);
        float[] y = new float[n];
        Dequantize.Row(type, q, y);
        for (int i = 512; i < 768; i++)
        {
            Assert.Equal(0f, y[i]);
        }

        Assert.True(Math.Abs(y[300] - 30f) < 30f * 0.05f, $"{type}: the outlier 30 came back as {y[300]}");
        double error = KernelTestData.RelativeRms(x, y);
        Assert.True(error < 0.2, $"{type}: relative RMS error {error:E3}");
    }

    [Fact]
    public void Q8_0_rounds_half_away_from_zero_and_stores_d_as_fp16()
    {
        float[] x = new float[32];
        x[0] = 127f; // amax 127: d = 1, so the quants are round(x)
        x[1] = 0.5f;
        x[2] = -0.5f;
        x[3] = 2.5f;
        x[4] = -3.5f;
        x[5] = 1.49f;
        x[6] = -127f;
        byte[] block = new byte[34];
        Quantize.Row(GgmlType.Q8_0, x, block);
        Assert.Equal(0x3C00, BinaryPrimitives.ReadUInt16LittleEndian(block));
        Assert.Equal(new sbyte[] { 127, 1, -1, 3, -4, 1, -127, 0 }, block.AsSpan(2, 8).ToArray().Select(b => (sbyte)b));
    }

    [Fact]
    public void Q4_0_maps_the_largest_magnitude_to_level_0()
    {
        float[] x = new float[32];
        for (int j = 0; j < 32; j++)
        {
            x[j] = (j % 16) - 8; // -8 .. 7, twice
        }

        x[31] = 4f;
        byte[] block = new byte[18];
        Quantize.Row(GgmlType.Q4_0, x, block);
        // max = -8 (the first value of largest magnitude), d = max / -8 = 1.
        Assert.Equal(0x3C00, BinaryPrimitives.ReadUInt16LittleEndian(block));
        for (int j = 0; j < 16; j++)
        {
            int low = block[2 + j] & 0xF;
            int high = block[2 + j] >> 4;
            Assert.Equal((int)x[j] + 8, low);
            Assert.Equal((int)x[j + 16] + 8, high);
        }
    }

    [Fact]
    public void Q4_0_with_a_positive_extreme_has_a_negative_d()
    {
        float[] x = new float[32];
        x[5] = 16f;
        x[6] = -14f;
        byte[] block = new byte[18];
        Quantize.Row(GgmlType.Q4_0, x, block);
        Assert.Equal(-2f, (float)BitConverter.UInt16BitsToHalf(BinaryPrimitives.ReadUInt16LittleEndian(block)));
        float[] y = new float[32];
        Dequantize.Row(GgmlType.Q4_0, block, y);
        Assert.Equal(16f, y[5]);
        Assert.Equal(-14f, y[6]);
        Assert.Equal(0f, y[0]);
    }

    [Fact]
    public void Q6_K_and_Q4_K_of_a_zero_row_are_all_zero_bytes()
    {
        foreach (GgmlType type in new[] { GgmlType.Q4_K, GgmlType.Q6_K, GgmlType.Q8_0, GgmlType.Q4_0 })
        {
            byte[] block = new byte[GgmlTypeInfo.RowBytes(type, 256)];
            block.AsSpan().Fill(0xAB);
            Quantize.Row(type, new float[256], block);
            float[] y = new float[256];
            Dequantize.Row(type, block, y);
            Assert.All(y, v => Assert.Equal(0f, v));
            if (type is GgmlType.Q4_K or GgmlType.Q6_K)
            {
                Assert.All(block, b => Assert.Equal(0, b));
            }
        }
    }

    [Fact]
    public void Q6_K_stores_minus_128_for_the_largest_scale()
    {
        var random = new Random(33);
        float[] x = KernelTestData.Gaussian(random, 256);
        byte[] block = new byte[210];
        Quantize.Row(GgmlType.Q6_K, x, block);
        sbyte[] scales = block.AsSpan(192, 16).ToArray().Select(b => (sbyte)b).ToArray();
        Assert.Contains((sbyte)-128, scales);
        Assert.Contains(scales, s => s > 0); // sub-blocks whose extreme has the other sign keep their own sign
    }

    [Fact]
    public void Q4_K_scales_use_the_full_6_bit_range()
    {
        var random = new Random(34);
        float[] x = KernelTestData.Gaussian(random, 256);
        byte[] block = new byte[144];
        Quantize.Row(GgmlType.Q4_K, x, block);
        var scales = new List<int>();
        var mins = new List<int>();
        for (int j = 0; j < 8; j++)
        {
            Q4KScales.Get(block.AsSpan(4, 12), j, out int scale, out int min);
            scales.Add(scale);
            mins.Add(min);
        }

        Assert.Equal(63, scales.Max());
        Assert.Equal(63, mins.Max());
    }

    [Fact]
    public void Float_types_store_rounded_values()
    {
        float[] x = [1f, -2.5f, 1.00048828125f, 1.0009765625f, 70000f, 3.3f];
        byte[] f32 = new byte[x.Length * 4];
        byte[] f16 = new byte[x.Length * 2];
        byte[] bf16 = new byte[x.Length * 2];
        Quantize.Row(GgmlType.F32, x, f32);
        Quantize.Row(GgmlType.F16, x, f16);
        Quantize.Row(GgmlType.BF16, x, bf16);
        for (int i = 0; i < x.Length; i++)
        {
            Assert.Equal(BitConverter.SingleToUInt32Bits(x[i]), BinaryPrimitives.ReadUInt32LittleEndian(f32.AsSpan(4 * i)));
            Assert.Equal(BitConverter.HalfToUInt16Bits((Half)x[i]), BinaryPrimitives.ReadUInt16LittleEndian(f16.AsSpan(2 * i)));
        }

        Assert.Equal(0x3F80, BinaryPrimitives.ReadUInt16LittleEndian(bf16));
        Assert.Equal(0x4053, BinaryPrimitives.ReadUInt16LittleEndian(bf16.AsSpan(10))); // 3.3 = 0x40533333 rounds down
    }

    [Fact]
    public void Extra_destination_bytes_are_left_alone()
    {
        byte[] destination = new byte[34 + 3];
        destination.AsSpan().Fill(0xEE);
        Quantize.Row(GgmlType.Q8_0, new float[32], destination);
        Assert.Equal(new byte[] { 0xEE, 0xEE, 0xEE }, destination[34..]);
    }

    [Theory]
    [InlineData(GgmlType.Q8_0, 33)]
    [InlineData(GgmlType.Q4_0, 16)]
    [InlineData(GgmlType.Q4_K, 288)]
    [InlineData(GgmlType.Q6_K, 32)]
    public void Source_that_is_not_whole_blocks_throws(GgmlType type, int n)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => Quantize.Row(type, new float[n], new byte[4096]));
        Assert.Equal("source", e.ParamName);
        Assert.Contains(type.ToString(), e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(AllTypes))]
    public void Short_destination_throws(GgmlType type)
    {
        const int n = 512;
        byte[] destination = new byte[GgmlTypeInfo.RowBytes(type, n) - 1];
        var e = Assert.ThrowsAny<ArgumentException>(() => Quantize.Row(type, new float[n], destination));
        Assert.Equal("destination", e.ParamName);
    }

    [Theory]
    [InlineData(GgmlType.Q5_0)]
    [InlineData(GgmlType.Q2_K)]
    [InlineData(GgmlType.Q8_K)]
    public void Unsupported_type_throws_naming_it(GgmlType type)
    {
        var e = Assert.Throws<NotSupportedException>(() => Quantize.Row(type, new float[256], new byte[4096]));
        Assert.Contains(type.ToString(), e.Message, StringComparison.Ordinal);
    }
}
