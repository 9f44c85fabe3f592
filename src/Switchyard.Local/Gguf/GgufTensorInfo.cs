namespace Switchyard.Local.Gguf;

/// <summary>One tensor's entry in a GGUF file: name, shape (ggml order: dimension 0 varies fastest), type and location.</summary>
/// <param name="Name">The tensor's name, e.g. <c>blk.0.attn_q.weight</c>.</param>
/// <param name="Dimensions">The shape in ggml order: <c>Dimensions[0]</c> is the row length.</param>
/// <param name="Type">The element type.</param>
/// <param name="Offset">The offset of the data from the start of the file's tensor data section.</param>
/// <param name="ByteSize">The number of bytes the data takes.</param>
public sealed record GgufTensorInfo(string Name, long[] Dimensions, GgmlType Type, long Offset, long ByteSize)
{
    /// <summary>The number of elements.</summary>
    public long ElementCount
    {
        get
        {
            long n = 1;
            foreach (long d in Dimensions)
            {
                n *= d;
            }

            return n;
        }
    }

    /// <summary>The row length (dimension 0).</summary>
    public long RowLength => Dimensions.Length == 0 ? 1 : Dimensions[0];

    /// <summary>The number of rows (the product of every dimension after the first).</summary>
    public long RowCount => Dimensions.Length == 0 ? 1 : ElementCount / Dimensions[0];

    /// <summary>The shape written as ggml prints it, e.g. <c>[64, 512]</c>.</summary>
    public string Shape => "[" + string.Join(", ", Dimensions) + "]";
}
