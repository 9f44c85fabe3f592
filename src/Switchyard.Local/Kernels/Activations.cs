using Switchyard.Local.Gguf;

namespace Switchyard.Local.Kernels;

/// <summary>
/// A batch of activation vectors converted to a weight type's vec-dot type, laid out for the dot kernels: column
/// <c>b</c> (one token) is <see cref="Cols"/> elements. F32, F16 and BF16 keep float values (for F16/BF16 already
/// rounded to that precision); Q8_0 and Q8_K keep int8 quants plus a float scale per block (the scale's exact value:
/// for Q8_0 the fp16-rounded one ggml stores), and Q8_K also the int16 sums of each 16 quants.
/// </summary>
internal readonly unsafe struct Activations
{
    public Activations(GgmlType type, int cols, float* values, sbyte* quants, float* scales, short* sums)
    {
        Type = type;
        Cols = cols;
        Values = values;
        Quants = quants;
        Scales = scales;
        Sums = sums;
    }

    /// <summary>F32 (values as given), F16, BF16 (values rounded), Q8_0 or Q8_K.</summary>
    public GgmlType Type { get; }

    /// <summary>Elements per column.</summary>
    public int Cols { get; }

    /// <summary>Float values, <see cref="Cols"/> per column (F32, F16, BF16).</summary>
    public float* Values { get; }

    /// <summary>Int8 quants, <see cref="Cols"/> per column (Q8_0, Q8_K).</summary>
    public sbyte* Quants { get; }

    /// <summary>Block scales: Cols/32 per column (Q8_0) or Cols/256 per column (Q8_K).</summary>
    public float* Scales { get; }

    /// <summary>Q8_K only: sums of each 16 consecutive quants, Cols/16 per column.</summary>
    public short* Sums { get; }

    /// <summary>Elements per scale for this type (1 for the float types).</summary>
    public int BlockSize => Type switch
    {
        GgmlType.Q8_0 => BlockLayout.QK,
        GgmlType.Q8_K => BlockLayout.QKK,
        _ => 1,
    };

    public float* ValuesOf(int column) => Values + (nint)column * Cols;

    public sbyte* QuantsOf(int column) => Quants + (nint)column * Cols;

    public float* ScalesOf(int column) => Scales + (nint)column * (Cols / BlockSize);

    public short* SumsOf(int column) => Sums + (nint)column * (Cols / 16);
}
