namespace Switchyard.Local.Kernels;

/// <summary>Switches for the matrix kernels (tests use them to pin down a path).</summary>
internal readonly record struct KernelOptions
{
    /// <summary>SIMD kernels where the CPU has them, threads when the product is big enough.</summary>
    public static KernelOptions Default => default;

    /// <summary>Use the portable scalar kernels and quantizers even where SIMD is available.</summary>
    public bool ForceScalar { get; init; }

    /// <summary>Run on the calling thread only.</summary>
    public bool SingleThreaded { get; init; }

    /// <summary>Split over threads even when the product is small (tests of the split itself).</summary>
    public bool ForceParallel { get; init; }
}
