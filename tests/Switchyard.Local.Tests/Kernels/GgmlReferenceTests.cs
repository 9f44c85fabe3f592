using System.Runtime.InteropServices;
using Switchyard.Local.Gguf;
using Switchyard.Local.Kernels;
using Switchyard.Local.Tests.Infrastructure;

namespace Switchyard.Local.Tests.Kernels;

/// <summary>
/// Bit-for-bit comparisons with ggml itself: the shared libraries that node-llama-cpp ships (tests/js, installed by
/// <c>npm ci</c> there, as CI does) export ggml's reference quantizers, its dequantizers, and the AVX2 ("haswell")
/// build of the CPU backend's activation quantizers and dot products. Linux x64 only.
/// </summary>
public sealed unsafe class GgmlReferenceTests
{
    private static readonly Lazy<Ggml?> Library = new(Ggml.Load);

    public static TheoryData<GgmlType> QuantizedTypes => new(GgmlType.Q8_0, GgmlType.Q4_0, GgmlType.Q4_K, GgmlType.Q6_K);

    [Theory]
    [MemberData(nameof(QuantizedTypes))]
    public void Quantize_writes_the_bytes_of_ggmls_reference_quantizer(GgmlType type)
    {
        if (Library.Value is not { } ggml)
        {
            return;
        }

        var random = new Random(11);
        foreach (float[] row in SampleRows(random, 1024))
        {
            byte[] ours = new byte[GgmlTypeInfo.RowBytes(type, row.Length)];
            byte[] theirs = new byte[ours.Length];
            Quantize.Row(type, row, ours);
            fixed (float* x = row)
            fixed (byte* y = theirs)
            {
                ggml.QuantizeRef(type)(x, y, row.Length);
            }

            AssertSameBytes(theirs, ours, type);
        }
    }

    [Fact]
    public void F16_and_BF16_rows_match_ggmls_conversions()
    {
        if (Library.Value is not { } ggml)
        {
            return;
        }

        var random = new Random(12);
        var values = new List<float>(KernelTestData.Gaussian(random, 4096, 3f))
        {
            0f, -0f, 65504f, 65519.99f, 65520f, -70000f, 6.1e-5f, 5.96e-8f, 2.98e-8f, 2.99e-8f, 1e-9f, -3e-6f,
            float.PositiveInfinity, float.NegativeInfinity, float.NaN, -float.NaN, float.Epsilon, 1e-39f, -1e-40f,
            BitConverter.UInt32BitsToSingle(0x3F80_8000u), BitConverter.UInt32BitsToSingle(0x3F81_8000u),
        };
        for (int i = 0; i < 4096; i++)
        {
            values.Add(BitConverter.UInt32BitsToSingle((uint)random.NextInt64(0, 1L << 32)));
        }

        float[] row = [.. values];
        byte[] ours16 = new byte[row.Length * 2];
        byte[] theirs16 = new byte[row.Length * 2];
        byte[] oursBf = new byte[row.Length * 2];
        byte[] theirsBf = new byte[row.Length * 2];
        Quantize.Row(GgmlType.F16, row, ours16);
        Quantize.Row(GgmlType.BF16, row, oursBf);
        fixed (float* x = row)
        fixed (byte* h = theirs16)
        fixed (byte* b = theirsBf)
        {
            ggml.Fp32ToFp16Row(x, h, row.Length);
            ggml.Fp32ToBf16RowRef(x, b, row.Length);
        }

        AssertSameBytes(theirs16, ours16, GgmlType.F16);
        AssertSameBytes(theirsBf, oursBf, GgmlType.BF16);
    }

    [Theory]
    [MemberData(nameof(QuantizedTypes))]
    public void Dequantize_gives_the_floats_of_ggmls_dequantizer(GgmlType type)
    {
        if (Library.Value is not { } ggml)
        {
            return;
        }

        var random = new Random(13);
        const int n = 2048;
        var blocks = new List<byte[]>();
        foreach (float[] row in SampleRows(random, n))
        {
            byte[] data = new byte[GgmlTypeInfo.RowBytes(type, n)];
            Quantize.Row(type, row, data);
            blocks.Add(data);
        }

        // Arbitrary bytes too (with finite fp16 scales), so every nibble, sign and packed scale pattern occurs.
        byte[] noise = new byte[GgmlTypeInfo.RowBytes(type, n)];
        random.NextBytes(noise);
        DequantizeTests.SanitizeScales(type, noise);
        blocks.Add(noise);

        foreach (byte[] data in blocks)
        {
            float[] theirs = new float[n];
            fixed (byte* x = data)
            fixed (float* y = theirs)
            {
                ggml.Dequantize(type)(x, y, n);
            }

            foreach (bool scalar in new[] { false, true })
            {
                float[] ours = new float[n];
                Dequantize.Row(type, data, ours, new KernelOptions { ForceScalar = scalar });
                for (int i = 0; i < n; i++)
                {
                    Assert.True(
                        BitConverter.SingleToUInt32Bits(theirs[i]) == BitConverter.SingleToUInt32Bits(ours[i]),
                        $"{type} (scalar: {scalar}) element {i}: ggml {theirs[i]:R}, ours {ours[i]:R}");
                }
            }
        }
    }

    [Fact]
    public void Half_and_bfloat16_widening_matches_ggml_for_every_value()
    {
        if (Library.Value is not { } ggml)
        {
            return;
        }

        var all = new ushort[65536];
        for (int i = 0; i < all.Length; i++)
        {
            all[i] = (ushort)i;
        }

        byte[] bytes = MemoryMarshal.AsBytes(all.AsSpan()).ToArray();
        foreach (GgmlType type in new[] { GgmlType.F16, GgmlType.BF16 })
        {
            float[] theirs = new float[all.Length];
            fixed (ushort* x = all)
            fixed (float* y = theirs)
            {
                (type == GgmlType.F16 ? ggml.Fp16ToFp32Row : ggml.Bf16ToFp32Row)((byte*)x, y, all.Length);
            }

            foreach (bool scalar in new[] { false, true })
            {
                float[] ours = new float[all.Length];
                Dequantize.Row(type, bytes, ours, new KernelOptions { ForceScalar = scalar });
                for (int i = 0; i < all.Length; i++)
                {
                    // NaNs only need to stay NaNs (the hardware conversion may quiet a signalling one).
                    bool same = BitConverter.SingleToUInt32Bits(theirs[i]) == BitConverter.SingleToUInt32Bits(ours[i])
                        || (float.IsNaN(theirs[i]) && float.IsNaN(ours[i]));
                    Assert.True(same, $"{type} (scalar: {scalar}) bits 0x{i:X4}: ggml {theirs[i]:R}, ours {ours[i]:R}");
                }
            }
        }
    }

    /// <summary>
    /// The SIMD kernels against ggml's AVX2 <c>ggml_vec_dot_*</c> fed by its own activation quantizer: the same bits.
    /// </summary>
    [Theory]
    [MemberData(nameof(QuantizedTypes))]
    public void MatMul_matches_ggmls_avx2_dot_products(GgmlType type)
    {
        if (Library.Value is not { Cpu: not null } ggml)
        {
            return;
        }

        var random = new Random(14);
        const int rows = 13;
        const int cols = 1024;
        const int batch = 5;
        byte[] weights = KernelTestData.QuantizedMatrix(type, KernelTestData.Gaussian(random, rows * cols, 0.05f), rows, cols);
        float[] x = KernelTestData.Gaussian(random, batch * cols);
        x[17] = 9f; // an outlier, as real activations have
        int rowBytes = (int)GgmlTypeInfo.RowBytes(type, cols);
        GgmlType vecDot = ActivationQuantizer.VecDotType(type);
        byte[] converted = new byte[GgmlTypeInfo.RowBytes(vecDot, cols)];

        var theirs = new float[batch * rows];
        fixed (float* px = x)
        fixed (byte* pw = weights)
        fixed (byte* pa = converted)
        fixed (float* py = theirs)
        {
            for (int c = 0; c < batch; c++)
            {
                ggml.QuantizeActivations(vecDot)(px + (c * cols), pa, cols);
                for (int r = 0; r < rows; r++)
                {
                    ggml.VecDot(type)(cols, py + (c * rows) + r, 0, pw + (r * rowBytes), 0, pa, 0, 1);
                }
            }

            foreach (bool single in new[] { true, false })
            {
                var ours = new float[batch * rows];
                var matrix = new WeightMatrix(pw, type, rows, cols);
                MatMul.Multiply(matrix, x, batch, ours, new KernelOptions { SingleThreaded = single, ForceParallel = !single });
                for (int i = 0; i < ours.Length; i++)
                {
                    Assert.True(
                        BitConverter.SingleToUInt32Bits(theirs[i]) == BitConverter.SingleToUInt32Bits(ours[i]),
                        $"{type} column {i / rows} row {i % rows}: ggml {theirs[i]:R}, ours {ours[i]:R}");
                }
            }
        }
    }

    /// <summary>Rows of 1024 values with different shapes: the ones the quantizers' edge cases come from.</summary>
    private static IEnumerable<float[]> SampleRows(Random random, int n)
    {
        yield return KernelTestData.Gaussian(random, n);
        yield return KernelTestData.Gaussian(random, n, 0.02f);

        float[] uniform = new float[n];
        for (int i = 0; i < n; i++)
        {
            uniform[i] = (float)(random.NextDouble() * 2) - 0.5f;
        }

        yield return uniform;

        float[] positive = KernelTestData.Gaussian(random, n);
        for (int i = 0; i < n; i++)
        {
            positive[i] = MathF.Abs(positive[i]) + 0.25f;
        }

        yield return positive;

        float[] negative = KernelTestData.Gaussian(random, n);
        for (int i = 0; i < n; i++)
        {
            negative[i] = -MathF.Abs(negative[i]) - 1f;
        }

        yield return negative;

        // Outliers, an all-zero stretch, a constant stretch and tiny values.
        float[] mixed = KernelTestData.Gaussian(random, n);
        mixed[3] = 40f;
        mixed[300] = -25f;
        mixed.AsSpan(512, 256).Clear();
        mixed.AsSpan(256, 64).Fill(0.75f);
        for (int i = 768; i < 800; i++)
        {
            mixed[i] *= 1e-6f;
        }

        yield return mixed;

        // Values on a grid, where rounding ties are common.
        float[] grid = new float[n];
        for (int i = 0; i < n; i++)
        {
            grid[i] = (random.Next(-64, 65) * 0.125f) + (i % 7 == 0 ? 0.0625f : 0f);
        }

        yield return grid;
    }

    private static void AssertSameBytes(byte[] expected, byte[] actual, GgmlType type)
    {
        int first = expected.AsSpan().CommonPrefixLength(actual);
        Assert.True(
            first == expected.Length,
            first == expected.Length ? "" : $"{type}: first difference at byte {first}: ggml 0x{expected[first]:X2}, ours 0x{actual[first]:X2}");
    }

    /// <summary>Function pointers into node-llama-cpp's ggml build; null when that build is not installed here.</summary>
    private sealed class Ggml
    {
        private readonly nint _base;

        private Ggml(nint baseLibrary, nint cpuLibrary)
        {
            _base = baseLibrary;
            Cpu = cpuLibrary == 0 ? null : cpuLibrary;
            Fp32ToFp16Row = (delegate* unmanaged<float*, byte*, long, void>)Export(_base, "ggml_fp32_to_fp16_row");
            Fp32ToBf16RowRef = (delegate* unmanaged<float*, byte*, long, void>)Export(_base, "ggml_fp32_to_bf16_row_ref");
            Fp16ToFp32Row = (delegate* unmanaged<byte*, float*, long, void>)Export(_base, "ggml_fp16_to_fp32_row");
            Bf16ToFp32Row = (delegate* unmanaged<byte*, float*, long, void>)Export(_base, "ggml_bf16_to_fp32_row");
        }

        /// <summary>The AVX2 CPU backend, when this machine can run it.</summary>
        public nint? Cpu { get; }

        public delegate* unmanaged<float*, byte*, long, void> Fp32ToFp16Row { get; }

        public delegate* unmanaged<float*, byte*, long, void> Fp32ToBf16RowRef { get; }

        public delegate* unmanaged<byte*, float*, long, void> Fp16ToFp32Row { get; }

        public delegate* unmanaged<byte*, float*, long, void> Bf16ToFp32Row { get; }

        public static Ggml? Load()
        {
            // No silent pass elsewhere: the comparison needs the linux-x64 ggml build node-llama-cpp ships.
            Assert.True(
                OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64,
                "These tests compare with ggml's linux-x64 libraries from node-llama-cpp (tests/js); run them on Linux x64.");

            string dir = Path.Combine(TestPaths.RepoRoot, "tests", "js", "node_modules", "@node-llama-cpp", "linux-x64", "bins", "linux-x64");
            string basePath = Path.Combine(dir, "libggml-base.so");
            Assert.True(File.Exists(basePath), $"{basePath} is missing: run 'npm ci' in tests/js (CI does).");
            nint baseLibrary = NativeLibrary.Load(basePath);
            nint cpuLibrary = 0;
            if (SimdOps.Avx2Available)
            {
                cpuLibrary = NativeLibrary.Load(Path.Combine(dir, "libggml-cpu-haswell.so"));
                ((delegate* unmanaged<void>)Export(cpuLibrary, "ggml_cpu_init"))();
            }

            return new Ggml(baseLibrary, cpuLibrary);
        }

        public delegate* unmanaged<float*, byte*, long, void> QuantizeRef(GgmlType type) =>
            (delegate* unmanaged<float*, byte*, long, void>)Export(_base, $"quantize_row_{Name(type)}_ref");

        public delegate* unmanaged<byte*, float*, long, void> Dequantize(GgmlType type) =>
            (delegate* unmanaged<byte*, float*, long, void>)Export(_base, $"dequantize_row_{Name(type)}");

        /// <summary>The CPU backend's <c>quantize_row_q8_0</c> / <c>quantize_row_q8_K</c>.</summary>
        public delegate* unmanaged<float*, byte*, long, void> QuantizeActivations(GgmlType vecDotType) =>
            (delegate* unmanaged<float*, byte*, long, void>)Export(Cpu!.Value, $"quantize_row_{Name(vecDotType)}");

        /// <summary><c>ggml_vec_dot_{type}_{vec dot type}(n, s, bs, vx, bx, vy, by, nrc)</c>.</summary>
        public delegate* unmanaged<int, float*, nuint, byte*, nuint, byte*, nuint, int, void> VecDot(GgmlType type) =>
            (delegate* unmanaged<int, float*, nuint, byte*, nuint, byte*, nuint, int, void>)Export(
                Cpu!.Value, $"ggml_vec_dot_{Name(type)}_{Name(ActivationQuantizer.VecDotType(type))}");

        private static string Name(GgmlType type) => type switch
        {
            GgmlType.Q4_K => "q4_K",
            GgmlType.Q6_K => "q6_K",
            GgmlType.Q8_K => "q8_K",
            _ => type.ToString().ToLowerInvariant(),
        };

        private static void* Export(nint library, string name) => (void*)NativeLibrary.GetExport(library, name);
    }
}
