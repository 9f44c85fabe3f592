namespace Switchyard.Local.Kernels;

/// <summary>Byte offsets inside ggml's quantization blocks (see ggml-common.h), and the block sizes.</summary>
internal static class BlockLayout
{
    /// <summary>Elements in a Q4_0 / Q8_0 block.</summary>
    public const int QK = 32;

    /// <summary>Elements in a K-quant super-block (Q4_K, Q6_K, Q8_K).</summary>
    public const int QKK = 256;

    /// <summary>Q8_0: fp16 d, then 32 int8 quants.</summary>
    public const int Q8_0Bytes = 34;

    /// <summary>Q4_0: fp16 d, then 16 bytes of nibbles (element j in the low nibble of byte j, element j+16 in the high one).</summary>
    public const int Q4_0Bytes = 18;

    /// <summary>Q4_K: fp16 d, fp16 dmin, 12 bytes of packed 6-bit scales and mins, 128 bytes of nibbles.</summary>
    public const int Q4KBytes = 144;

    /// <summary>Offset of the packed scales in a Q4_K block.</summary>
    public const int Q4KScales = 4;

    /// <summary>Offset of the nibbles in a Q4_K block.</summary>
    public const int Q4KQs = 16;

    /// <summary>Q6_K: 128 bytes of low nibbles, 64 bytes of high 2-bit pairs, 16 int8 scales, fp16 d.</summary>
    public const int Q6KBytes = 210;

    /// <summary>Offset of the high bits in a Q6_K block.</summary>
    public const int Q6KQh = 128;

    /// <summary>Offset of the int8 scales in a Q6_K block.</summary>
    public const int Q6KScales = 192;

    /// <summary>Offset of the fp16 d in a Q6_K block.</summary>
    public const int Q6KD = 208;

    /// <summary>Q8_K: float d, 256 int8 quants, 16 int16 sums of 16 quants each.</summary>
    public const int Q8KBytes = 292;

    /// <summary>Offset of the quants in a Q8_K block.</summary>
    public const int Q8KQs = 4;

    /// <summary>Offset of the int16 sums in a Q8_K block.</summary>
    public const int Q8KSums = 260;
}
