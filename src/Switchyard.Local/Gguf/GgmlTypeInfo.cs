namespace Switchyard.Local.Gguf;

/// <summary>Block layout of each <see cref="GgmlType"/>: how many elements a block holds and how many bytes it takes.</summary>
public static class GgmlTypeInfo
{
    /// <summary>Gets the block layout of <paramref name="type"/>, or false for a type this build does not know.</summary>
    public static bool TryGetLayout(GgmlType type, out int blockElements, out int blockBytes)
    {
        (blockElements, blockBytes) = type switch
        {
            GgmlType.F32 => (1, 4),
            GgmlType.F16 => (1, 2),
            GgmlType.BF16 => (1, 2),
            GgmlType.F64 => (1, 8),
            GgmlType.I8 => (1, 1),
            GgmlType.I16 => (1, 2),
            GgmlType.I32 => (1, 4),
            GgmlType.I64 => (1, 8),
            GgmlType.Q4_0 => (32, 18),
            GgmlType.Q4_1 => (32, 20),
            GgmlType.Q5_0 => (32, 22),
            GgmlType.Q5_1 => (32, 24),
            GgmlType.Q8_0 => (32, 34),
            GgmlType.Q8_1 => (32, 36),
            GgmlType.IQ4_NL => (32, 18),
            GgmlType.Q2_K => (256, 84),
            GgmlType.Q3_K => (256, 110),
            GgmlType.Q4_K => (256, 144),
            GgmlType.Q5_K => (256, 176),
            GgmlType.Q6_K => (256, 210),
            GgmlType.Q8_K => (256, 292),
            GgmlType.IQ2_XXS => (256, 66),
            GgmlType.IQ2_XS => (256, 74),
            GgmlType.IQ3_XXS => (256, 98),
            GgmlType.IQ1_S => (256, 50),
            GgmlType.IQ3_S => (256, 110),
            GgmlType.IQ2_S => (256, 82),
            GgmlType.IQ4_XS => (256, 136),
            GgmlType.IQ1_M => (256, 56),
            GgmlType.TQ1_0 => (256, 54),
            GgmlType.TQ2_0 => (256, 66),
            _ => (0, 0),
        };
        return blockElements != 0;
    }

    /// <summary>Bytes taken by one row of <paramref name="elements"/> elements of <paramref name="type"/>.</summary>
    /// <exception cref="NotSupportedException">The type is unknown.</exception>
    /// <exception cref="ArgumentException">The row length is not a whole number of blocks.</exception>
    public static long RowBytes(GgmlType type, long elements)
    {
        if (!TryGetLayout(type, out int blockElements, out int blockBytes))
        {
            throw new NotSupportedException($"ggml type {(uint)type} is not known to this build.");
        }

        if (elements % blockElements != 0)
        {
            throw new ArgumentException($"A row of {elements} elements is not a whole number of {type} blocks of {blockElements}.", nameof(elements));
        }

        return elements / blockElements * blockBytes;
    }
}
