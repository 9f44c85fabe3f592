using System.Globalization;
using Switchyard.Local.Gguf;
using Switchyard.Local.Kernels;
using Xunit.Abstractions;

namespace Switchyard.Local.Tests.Kernels;

public sealed unsafe class MatMulTests(ITestOutputHelper output)
{
    /// <summary>
    /// Largest |kernel - reference| / sum|w*a| allowed against the double reference on converted activations
    /// (measured at most 1.6e-7 on every path: float rounding only).
    /// </summary>
    private const double ReferenceTolerance = 2e-6;

    /// <summary>Largest |SIMD - scalar| / sum|w*a| allowed (measured at most 1.7e-7).</summary>
    private const double ScalarTolerance = 2e-6;

    /// <summary>
    /// Largest |kernel - float reference| / sum|w*x| with x not converted: what converting the activations to the
    /// vec-dot type costs (measured: F32 1e-7, F16 5e-5, BF16 4.5e-4, the 8-bit activations of the quantized types 1.7e-3).
    /// </summary>
    private static readonly Dictionary<GgmlType, double> FloatTolerance = new()
    {
        [GgmlType.F32] = 2e-6,
        [GgmlType.F16] = 5e-4,
        [GgmlType.BF16] = 4e-3,
        [GgmlType.Q8_0] = 0.01,
        [GgmlType.Q4_0] = 0.01,
        [GgmlType.Q4_K] = 0.01,
        [GgmlType.Q6_K] = 0.01,
    };

    private static readonly int[] Batches = [1, 3, 4, 9];

    private static readonly (string Name, KernelOptions Options)[] Paths =
    [
        ("default", KernelOptions.Default),
        ("scalar", new KernelOptions { ForceScalar = true }),
        ("single-threaded", new KernelOptions { SingleThreaded = true }),
        ("parallel", new KernelOptions { ForceParallel = true }),
        ("scalar parallel", new KernelOptions { ForceScalar = true, ForceParallel = true }),
        ("scalar single-threaded", new KernelOptions { ForceScalar = true, SingleThreaded = true }),
    ];

    public static TheoryData<GgmlType, int> Cases
    {
        get
        {
            var data = new TheoryData<GgmlType, int>();
            foreach (GgmlType type in KernelTestData.AllTypes)
            {
                // Rows not a multiple of 4; 37 is enough rows for ForceParallel to split.
                data.Add(type, 7);
                data.Add(type, 37);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_path_matches_the_reference(GgmlType type, int rows)
    {
        int cols = Columns(type);
        var random = new Random((int)type * 100 + rows);
        float[] values = KernelTestData.Gaussian(random, rows * cols, 0.05f);
        byte[] weights = KernelTestData.QuantizedMatrix(type, values, rows, cols);
        int maxBatch = Batches.Max();
        float[] x = KernelTestData.Gaussian(random, maxBatch * cols);
        x[5] = 6f; // an outlier column entry, as real activations have
        double[] reference = KernelTestData.Reference(type, weights, rows, cols, x, maxBatch, out double[] magnitude);
        double[] floatReference = FloatReference(type, weights, rows, cols, x, maxBatch, out double[] floatMagnitude);

        double worstReference = 0;
        double worstScalar = 0;
        double worstFloat = 0;
        fixed (byte* pw = weights)
        {
            var matrix = new WeightMatrix(pw, type, rows, cols);
            float[] single = Multiply(matrix, x, 1, KernelOptions.Default);
            foreach (int batch in Batches)
            {
                var results = new Dictionary<string, float[]>();
                foreach ((string name, KernelOptions options) in Paths)
                {
                    float[] y = Multiply(matrix, x, batch, options);
                    results[name] = y;
                    for (int i = 0; i < batch * rows; i++)
                    {
                        double error = Math.Abs(y[i] - reference[i]) / magnitude[i];
                        worstReference = Math.Max(worstReference, error);
                        Assert.True(
                            error <= ReferenceTolerance,
                            $"{type} {name} batch {batch} column {i / rows} row {i % rows}: {y[i]:R} vs reference {reference[i]:R} (relative {error:E2})");
                        double floatError = Math.Abs(y[i] - floatReference[i]) / floatMagnitude[i];
                        worstFloat = Math.Max(worstFloat, floatError);
                        Assert.True(
                            floatError <= FloatTolerance[type],
                            $"{type} {name} batch {batch} column {i / rows} row {i % rows}: {y[i]:R} vs float reference {floatReference[i]:R} (relative {floatError:E2})");
                    }
                }

                float[] simd = results["default"];
                float[] scalar = results["scalar"];
                for (int i = 0; i < batch * rows; i++)
                {
                    double error = Math.Abs(simd[i] - scalar[i]) / magnitude[i];
                    worstScalar = Math.Max(worstScalar, error);
                    Assert.True(
                        error <= ScalarTolerance,
                        $"{type} batch {batch} column {i / rows} row {i % rows}: SIMD {simd[i]:R} vs scalar {scalar[i]:R} (relative {error:E2})");
                }

                // Threads only split the rows; each output is computed the same way whoever computes it.
                Assert.Equal(Bits(simd), Bits(results["single-threaded"]));
                Assert.Equal(Bits(simd), Bits(results["parallel"]));
                Assert.Equal(Bits(scalar), Bits(results["scalar parallel"]));
                Assert.Equal(Bits(scalar), Bits(results["scalar single-threaded"]));

                // Four columns at a time (Dot4) give the bits of one column at a time (Dot).
                Assert.Equal(Bits(single), Bits(simd.AsSpan(0, rows).ToArray()));
                for (int c = 0; c < batch; c++)
                {
                    float[] alone = Multiply(matrix, x.AsSpan(c * cols, cols).ToArray(), 1, KernelOptions.Default);
                    Assert.Equal(Bits(alone), Bits(simd.AsSpan(c * rows, rows).ToArray()));
                }
            }
        }

        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{type} rows {rows} cols {cols}: worst vs reference {worstReference:E2}, SIMD vs scalar {worstScalar:E2}, vs unconverted activations {worstFloat:E2}"));
    }

    [Fact]
    public void Invalid_arguments_throw()
    {
        const int rows = 3;
        const int cols = 256;
        byte[] weights = KernelTestData.QuantizedMatrix(GgmlType.Q4_K, new float[rows * cols], rows, cols);
        fixed (byte* pw = weights)
        {
            var matrix = new WeightMatrix(pw, GgmlType.Q4_K, rows, cols);
            float[] x = new float[2 * cols];
            float[] y = new float[2 * rows];
            Assert.ThrowsAny<ArgumentException>(() => MatMul.Multiply(matrix, x, 0, y));
            Assert.ThrowsAny<ArgumentException>(() => MatMul.Multiply(matrix, x, -1, y));
            var shortX = Assert.ThrowsAny<ArgumentException>(() => MatMul.Multiply(matrix, x.AsSpan(1).ToArray(), 2, y));
            Assert.Equal("x", shortX.ParamName);
            var shortY = Assert.ThrowsAny<ArgumentException>(() => MatMul.Multiply(matrix, x, 2, y.AsSpan(1).ToArray()));
            Assert.Equal("y", shortY.ParamName);
            Assert.ThrowsAny<ArgumentException>(() => MatMul.Multiply(matrix, x, 3, y));

            // The exact sizes work.
            MatMul.Multiply(matrix, x, 2, y);
        }
    }

    [Fact]
    public void Invalid_matrices_throw()
    {
        byte[] data = new byte[4096];
        fixed (byte* p = data)
        {
            byte* pointer = p;
            Assert.ThrowsAny<ArgumentException>(() => new WeightMatrix(pointer, GgmlType.Q4_K, 2, 100));
            Assert.ThrowsAny<ArgumentException>(() => new WeightMatrix(pointer, GgmlType.Q8_0, 0, 32));
            Assert.ThrowsAny<ArgumentException>(() => new WeightMatrix(pointer, GgmlType.F32, 1, 0));
            var q5 = new WeightMatrix(pointer, GgmlType.Q5_K, 1, 256);
            Assert.Throws<NotSupportedException>(() => MatMul.Multiply(q5, new float[256], 1, new float[1]));
        }
    }

    private static int Columns(GgmlType type) => KernelTestData.BlockSize(type) switch
    {
        1 => 328, // 20 groups of 16 and a tail of 8
        32 => 352, // 11 blocks
        _ => 768, // 3 super-blocks
    };

    private static float[] Multiply(in WeightMatrix matrix, float[] x, int batch, KernelOptions options)
    {
        // A NaN sentinel after the outputs: nothing may be written past batch * rows.
        float[] y = new float[(batch * matrix.Rows) + 3];
        y.AsSpan().Fill(float.NaN);
        MatMul.Multiply(matrix, x, batch, y, options);
        Assert.All(y[(batch * matrix.Rows)..], v => Assert.True(float.IsNaN(v)));
        return y[..(batch * matrix.Rows)];
    }

    private static uint[] Bits(float[] values) => values.Select(BitConverter.SingleToUInt32Bits).ToArray();

    /// <summary>sum_i w[r, i] * x[c, i] in double with the activations as given (not converted).</summary>
    private static double[] FloatReference(
        GgmlType type, byte[] weights, int rows, int cols, float[] x, int batch, out double[] magnitude)
    {
        int rowBytes = (int)GgmlTypeInfo.RowBytes(type, cols);
        var w = new float[cols];
        var y = new double[batch * rows];
        magnitude = new double[batch * rows];
        for (int r = 0; r < rows; r++)
        {
            Dequantize.Row(type, weights.AsSpan(r * rowBytes, rowBytes), w);
            for (int c = 0; c < batch; c++)
            {
                double sum = 0;
                double abs = 0;
                for (int i = 0; i < cols; i++)
                {
                    double p = (double)w[i] * x[(c * cols) + i];
                    sum += p;
                    abs += Math.Abs(p);
                }

                y[(c * rows) + r] = sum;
                magnitude[(c * rows) + r] = abs;
            }
        }

        return y;
    }
}
