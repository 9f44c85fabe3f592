using Switchyard.Local.Gguf;
using Switchyard.Local.Kernels;

namespace Switchyard.Local.Tests.Kernels;

/// <summary>
/// Seeded test data and an independent model of what the matrix kernels should compute: the activations converted the
/// way llama.cpp's x86 CPU backend converts them, then a double-precision dot product with the dequantized weights.
/// </summary>
internal static class KernelTestData
{
    public static readonly GgmlType[] AllTypes =
        [GgmlType.F32, GgmlType.F16, GgmlType.BF16, GgmlType.Q8_0, GgmlType.Q4_0, GgmlType.Q4_K, GgmlType.Q6_K];

    /// <summary>Elements per block of <paramref name="type"/> (1 for the float types).</summary>
    public static int BlockSize(GgmlType type) => GgmlTypeInfo.TryGetLayout(type, out int elements, out _) ? elements : 0;

    /// <summary><paramref name="n"/> normally distributed values with standard deviation <paramref name="sigma"/>.</summary>
    public static float[] Gaussian(Random random, int n, float sigma = 1f)
    {
        var values = new float[n];
        for (int i = 0; i < n; i++)
        {
            double u1 = 1.0 - random.NextDouble();
            double u2 = random.NextDouble();
            values[i] = (float)(sigma * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }

        return values;
    }

    /// <summary><paramref name="rows"/> rows of <paramref name="cols"/> Gaussian values, quantized row by row.</summary>
    public static byte[] QuantizedMatrix(GgmlType type, float[] values, int rows, int cols)
    {
        int rowBytes = (int)GgmlTypeInfo.RowBytes(type, cols);
        var data = new byte[rows * rowBytes];
        for (int r = 0; r < rows; r++)
        {
            Quantize.Row(type, values.AsSpan(r * cols, cols), data.AsSpan(r * rowBytes, rowBytes));
        }

        return data;
    }

    /// <summary>sqrt(sum (a - b)^2 / sum a^2).</summary>
    public static double RelativeRms(ReadOnlySpan<float> expected, ReadOnlySpan<float> actual)
    {
        double error = 0;
        double norm = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            double diff = (double)actual[i] - expected[i];
            error += diff * diff;
            norm += (double)expected[i] * expected[i];
        }

        return Math.Sqrt(error / norm);
    }

    /// <summary>
    /// One activation column as the dot kernels see it for weights of <paramref name="weightType"/>, as exact float
    /// values: F32 unchanged; F16 and BF16 rounded to nearest even; Q8_0 (for Q8_0 and Q4_0 weights) per 32 values
    /// d = fp16(amax/127) and q = nearest-even(x * 127/amax); Q8_K (for Q4_K and Q6_K weights) per 256 values
    /// q = min(127, nearest-even(x * -127/max)) with max the first value of largest magnitude, d = 1/(-127/max).
    /// Each value is q * d, computed in double.
    /// </summary>
    public static double[] ConvertedActivations(GgmlType weightType, ReadOnlySpan<float> x)
    {
        var result = new double[x.Length];
        switch (weightType)
        {
            case GgmlType.F32:
                for (int i = 0; i < x.Length; i++)
                {
                    result[i] = x[i];
                }

                break;
            case GgmlType.F16:
                for (int i = 0; i < x.Length; i++)
                {
                    result[i] = (double)(Half)x[i];
                }

                break;
            case GgmlType.BF16:
                for (int i = 0; i < x.Length; i++)
                {
                    uint bits = BitConverter.SingleToUInt32Bits(x[i]);
                    bits = (bits + 0x7FFFu + ((bits >> 16) & 1u)) & 0xFFFF_0000u;
                    result[i] = BitConverter.UInt32BitsToSingle(bits);
                }

                break;
            case GgmlType.Q8_0:
            case GgmlType.Q4_0:
                for (int b = 0; b < x.Length; b += 32)
                {
                    float amax = 0;
                    for (int j = 0; j < 32; j++)
                    {
                        amax = Math.Max(amax, Math.Abs(x[b + j]));
                    }

                    double d = (double)(Half)(amax / 127f);
                    float id = amax != 0 ? 127f / amax : 0f;
                    for (int j = 0; j < 32; j++)
                    {
                        result[b + j] = Math.Round(x[b + j] * id, MidpointRounding.ToEven) * d;
                    }
                }

                break;
            case GgmlType.Q4_K:
            case GgmlType.Q6_K:
                for (int b = 0; b < x.Length; b += 256)
                {
                    float amax = 0;
                    float max = 0;
                    for (int j = 0; j < 256; j++)
                    {
                        if (Math.Abs(x[b + j]) > amax)
                        {
                            amax = Math.Abs(x[b + j]);
                            max = x[b + j];
                        }
                    }

                    if (amax == 0)
                    {
                        continue;
                    }

                    float iscale = -127f / max;
                    float d = 1 / iscale;
                    for (int j = 0; j < 256; j++)
                    {
                        result[b + j] = Math.Min(127, Math.Round(iscale * x[b + j], MidpointRounding.ToEven)) * d;
                    }
                }

                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(weightType), weightType, null);
        }

        return result;
    }

    /// <summary>
    /// The reference product: y[c * rows + r] = sum_i w[r, i] * a[c, i] in double, with w dequantized and a converted
    /// as <see cref="ConvertedActivations"/>; <paramref name="magnitude"/> gets sum_i |w[r, i] * a[c, i]| for tolerances.
    /// </summary>
    public static double[] Reference(
        GgmlType type, byte[] weights, int rows, int cols, float[] x, int batch, out double[] magnitude)
    {
        int rowBytes = (int)GgmlTypeInfo.RowBytes(type, cols);
        var w = new float[rows * cols];
        for (int r = 0; r < rows; r++)
        {
            Dequantize.Row(type, weights.AsSpan(r * rowBytes, rowBytes), w.AsSpan(r * cols, cols), new KernelOptions { ForceScalar = true });
        }

        var y = new double[batch * rows];
        magnitude = new double[batch * rows];
        for (int c = 0; c < batch; c++)
        {
            double[] a = ConvertedActivations(type, x.AsSpan(c * cols, cols));
            for (int r = 0; r < rows; r++)
            {
                double sum = 0;
                double abs = 0;
                for (int i = 0; i < cols; i++)
                {
                    double p = w[(r * cols) + i] * a[i];
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
