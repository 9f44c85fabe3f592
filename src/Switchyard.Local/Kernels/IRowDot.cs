namespace Switchyard.Local.Kernels;

/// <summary>
/// Dot products of one weight row (of one ggml type) with activation columns (in that type's vec-dot form).
/// <see cref="Dot4"/> gives, per column, exactly the bits <see cref="Dot"/> gives; <see cref="DotScalar"/> is the
/// portable reference with ggml's per-block math in plain scalar order.
/// </summary>
internal unsafe interface IRowDot
{
    /// <summary>The SIMD path: dot of <paramref name="row"/> with column <paramref name="column"/> of <paramref name="a"/>.</summary>
    static abstract float Dot(byte* row, in Activations a, int column);

    /// <summary>The SIMD path for columns <paramref name="column"/> .. +3, reading the weight row once.</summary>
    static abstract void Dot4(byte* row, in Activations a, int column, float* results);

    /// <summary>The scalar path.</summary>
    static abstract float DotScalar(byte* row, in Activations a, int column);
}
