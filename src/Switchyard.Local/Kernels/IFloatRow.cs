using System.Runtime.Intrinsics;

namespace Switchyard.Local.Kernels;

/// <summary>How to read elements of a float-typed weight row (F32, F16, BF16) as floats.</summary>
internal unsafe interface IFloatRow
{
    /// <summary>Elements <paramref name="index"/> .. +7 as floats.</summary>
    static abstract Vector256<float> Load8(byte* row, int index);

    /// <summary>Element <paramref name="index"/> as a float.</summary>
    static abstract float Load(byte* row, int index);
}
