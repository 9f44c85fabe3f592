namespace Switchyard.Local.Gguf;

/// <summary>Tensor element types as numbered by ggml and stored in GGUF tensor infos.</summary>
#pragma warning disable CA1707 // names follow ggml's spelling so they can be matched against llama.cpp's
public enum GgmlType : uint
{
    /// <summary>32-bit IEEE 754 float, 4 bytes per element.</summary>
    F32 = 0,

    /// <summary>16-bit IEEE 754 half-precision float, 2 bytes per element.</summary>
    F16 = 1,

    /// <summary>4-bit quantization: blocks of 32 weights, an fp16 scale and 16 bytes of nibbles (value = scale × (q − 8)); 18 bytes, 4.5 bits per weight.</summary>
    Q4_0 = 2,

    /// <summary>4-bit quantization with an offset: blocks of 32 weights, fp16 scale and minimum, 16 bytes of nibbles; 20 bytes, 5 bits per weight.</summary>
    Q4_1 = 3,

    /// <summary>5-bit quantization: blocks of 32 weights, an fp16 scale, 4 bytes of fifth bits and 16 bytes of nibbles; 22 bytes, 5.5 bits per weight.</summary>
    Q5_0 = 6,

    /// <summary>5-bit quantization with an offset: blocks of 32 weights, fp16 scale and minimum, fifth bits and nibbles; 24 bytes, 6 bits per weight.</summary>
    Q5_1 = 7,

    /// <summary>8-bit quantization: blocks of 32 weights, an fp16 scale and 32 int8 values; 34 bytes, 8.5 bits per weight.</summary>
    Q8_0 = 8,

    /// <summary>8-bit quantization with a stored sum: blocks of 32, fp16 scale and scaled sum, 32 int8 values; 36 bytes. llama.cpp quantizes activations to it for dot products with Q4_1 and Q5_1.</summary>
    Q8_1 = 9,

    /// <summary>2-bit K-quant: super-blocks of 256 weights in 16 blocks of 16 with 4-bit scales and minimums; 84 bytes, 2.625 bits per weight.</summary>
    Q2_K = 10,

    /// <summary>3-bit K-quant: super-blocks of 256 weights in 16 blocks of 16 with 6-bit scales; 110 bytes, 3.4375 bits per weight.</summary>
    Q3_K = 11,

    /// <summary>4-bit K-quant: super-blocks of 256 weights in 8 blocks of 32 with 6-bit scales and minimums; 144 bytes, 4.5 bits per weight.</summary>
    Q4_K = 12,

    /// <summary>5-bit K-quant: super-blocks of 256 weights in 8 blocks of 32 with 6-bit scales and minimums; 176 bytes, 5.5 bits per weight.</summary>
    Q5_K = 13,

    /// <summary>6-bit K-quant: super-blocks of 256 weights in 16 blocks of 16 with int8 scales; 210 bytes, 6.5625 bits per weight.</summary>
    Q6_K = 14,

    /// <summary>8-bit K-quant: super-blocks of 256 int8 values, a float32 scale and 16 int16 sums of 16; 292 bytes. The activation format for dot products with the K-quants.</summary>
    Q8_K = 15,

    /// <summary>2-bit codebook quantization (i-quant): super-blocks of 256 weights in 66 bytes, 2.0625 bits per weight.</summary>
    IQ2_XXS = 16,

    /// <summary>2-bit codebook quantization (i-quant) with per-block scales: super-blocks of 256 weights in 74 bytes, 2.3125 bits per weight.</summary>
    IQ2_XS = 17,

    /// <summary>3-bit codebook quantization (i-quant): super-blocks of 256 weights in 98 bytes, 3.0625 bits per weight.</summary>
    IQ3_XXS = 18,

    /// <summary>1-bit codebook quantization (i-quant): super-blocks of 256 weights in 50 bytes, 1.5625 bits per weight.</summary>
    IQ1_S = 19,

    /// <summary>4-bit non-linear quantization: blocks of 32 weights, an fp16 scale and 4-bit indices into a fixed table of 16 non-uniform levels; 18 bytes, 4.5 bits per weight.</summary>
    IQ4_NL = 20,

    /// <summary>3-bit codebook quantization (i-quant): super-blocks of 256 weights in 110 bytes, 3.4375 bits per weight.</summary>
    IQ3_S = 21,

    /// <summary>2-bit codebook quantization (i-quant): super-blocks of 256 weights in 82 bytes, 2.5625 bits per weight.</summary>
    IQ2_S = 22,

    /// <summary>4-bit non-linear quantization (the <see cref="IQ4_NL"/> levels) in super-blocks of 256 weights with 6-bit block scales; 136 bytes, 4.25 bits per weight.</summary>
    IQ4_XS = 23,

    /// <summary>8-bit signed integer.</summary>
    I8 = 24,

    /// <summary>16-bit signed integer.</summary>
    I16 = 25,

    /// <summary>32-bit signed integer.</summary>
    I32 = 26,

    /// <summary>64-bit signed integer.</summary>
    I64 = 27,

    /// <summary>64-bit IEEE 754 double-precision float.</summary>
    F64 = 28,

    /// <summary>1-bit codebook quantization (i-quant): super-blocks of 256 weights in 56 bytes, 1.75 bits per weight.</summary>
    IQ1_M = 29,

    /// <summary>bfloat16: the upper 16 bits of a float32 (8-bit exponent, 7-bit mantissa), 2 bytes per element.</summary>
    BF16 = 30,

    /// <summary>Ternary weights (−1, 0, 1) packed in base 3, mostly five to a byte, with an fp16 scale: super-blocks of 256 in 54 bytes, 1.6875 bits per weight.</summary>
    TQ1_0 = 34,

    /// <summary>Ternary weights (−1, 0, 1) at 2 bits each with an fp16 scale: super-blocks of 256 in 66 bytes, 2.0625 bits per weight.</summary>
    TQ2_0 = 35,
}
#pragma warning restore CA1707
