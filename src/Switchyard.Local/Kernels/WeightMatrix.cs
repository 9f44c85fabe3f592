using Switchyard.Local.Gguf;

namespace Switchyard.Local.Kernels;

/// <summary>
/// A weight matrix in memory the caller keeps alive and in place (a memory-mapped GGUF file or pinned memory):
/// <see cref="Rows"/> rows of <see cref="Cols"/> elements of <see cref="Type"/>, row-major, each row
/// <see cref="RowBytes"/> bytes (ggml's block layout).
/// </summary>
internal readonly unsafe struct WeightMatrix
{
    /// <exception cref="ArgumentException">A dimension is not positive or a row is not a whole number of blocks.</exception>
    /// <exception cref="NotSupportedException">The type is unknown.</exception>
    public WeightMatrix(byte* data, GgmlType type, int rows, int cols)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(rows);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(cols);
        Data = data;
        Type = type;
        Rows = rows;
        Cols = cols;
        RowBytes = checked((int)GgmlTypeInfo.RowBytes(type, cols));
    }

    /// <summary>First byte of row 0.</summary>
    public byte* Data { get; }

    public GgmlType Type { get; }

    public int Rows { get; }

    /// <summary>Elements per row.</summary>
    public int Cols { get; }

    /// <summary>Bytes per row.</summary>
    public int RowBytes { get; }

    /// <summary>First byte of row <paramref name="row"/>.</summary>
    public byte* Row(int row) => Data + ((nint)row * RowBytes);
}
