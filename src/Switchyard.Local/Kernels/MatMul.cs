using Switchyard.Local.Gguf;

namespace Switchyard.Local.Kernels;

/// <summary>
/// Matrix times activations as llama.cpp's CPU backend computes it: the activations are converted to the weight
/// type's vec-dot type (<see cref="ActivationQuantizer"/>), then every output is a per-block dot product of one weight
/// row with one converted activation column.
/// </summary>
internal static unsafe class MatMul
{
    /// <summary>Below this many weight bytes per call, threads cost more than they save.</summary>
    private const long ParallelThresholdBytes = 96 * 1024;

    /// <summary>Smallest row chunk handed to a thread.</summary>
    private const int MinChunkRows = 4;

    /// <summary>
    /// y[b*Rows + r] = dot(row r of <paramref name="w"/>, x[b*Cols .. (b+1)*Cols]) for b in [0, <paramref name="batch"/>).
    /// </summary>
    /// <exception cref="ArgumentException">The spans are too short for the batch, or the batch is not positive.</exception>
    /// <exception cref="NotSupportedException">The weight type has no kernel.</exception>
    public static void Multiply(in WeightMatrix w, ReadOnlySpan<float> x, int batch, Span<float> y) =>
        Multiply(w, x, batch, y, KernelOptions.Default);

    /// <inheritdoc cref="Multiply(in WeightMatrix, ReadOnlySpan{float}, int, Span{float})"/>
    public static void Multiply(in WeightMatrix w, ReadOnlySpan<float> x, int batch, Span<float> y, KernelOptions options)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(batch);
        if (x.Length < (long)batch * w.Cols)
        {
            throw new ArgumentException($"x holds {x.Length} floats; a batch of {batch} columns of {w.Cols} needs {(long)batch * w.Cols}.", nameof(x));
        }

        if (y.Length < (long)batch * w.Rows)
        {
            throw new ArgumentException($"y holds {y.Length} floats; a batch of {batch} outputs of {w.Rows} needs {(long)batch * w.Rows}.", nameof(y));
        }

        GgmlType vecDotType = ActivationQuantizer.VecDotType(w.Type);
        bool simd = !options.ForceScalar && SimdOps.Avx2Available;
        fixed (float* px = x)
        fixed (float* py = y)
        {
            byte* scratch = ScratchBuffer.Get(ActivationQuantizer.ScratchBytes(vecDotType, w.Cols, batch));
            var job = new Job
            {
                Weights = w,
                Activations = ActivationQuantizer.Prepare(vecDotType, px, w.Cols, batch, scratch, simd),
                Batch = batch,
                Output = py,
                Simd = simd,
            };

            KernelThreadPool pool = KernelThreadPool.Shared;
            long work = (long)w.Rows * w.RowBytes * ((batch + 3) / 4);
            bool parallel = !options.SingleThreaded && pool.Concurrency > 1 && w.Rows >= 2 * MinChunkRows
                && (options.ForceParallel || work >= ParallelThresholdBytes);
            if (!parallel)
            {
                job.ChunkRows = w.Rows;
                Execute(&job, 0);
                return;
            }

            // A few chunks per thread balance the load when a thread is interrupted; for batches, keep each chunk at
            // least one row tile so the tiling in RowTile still pays.
            int chunks = Math.Min(pool.Concurrency * 4, w.Rows / MinChunkRows);
            job.ChunkRows = (w.Rows + chunks - 1) / chunks;
            chunks = (w.Rows + job.ChunkRows - 1) / job.ChunkRows;
            pool.Run(chunks, &Execute, &job);
        }
    }

    private static void Execute(void* context, int chunk)
    {
        var job = (Job*)context;
        int start = chunk * job->ChunkRows;
        int end = Math.Min(job->Weights.Rows, start + job->ChunkRows);
        switch (job->Weights.Type)
        {
            case GgmlType.F32:
                RowTile.Run<FloatDot<F32Row>>(job->Weights, job->Activations, job->Batch, job->Output, start, end, job->Simd);
                break;
            case GgmlType.F16:
                RowTile.Run<FloatDot<F16Row>>(job->Weights, job->Activations, job->Batch, job->Output, start, end, job->Simd);
                break;
            case GgmlType.BF16:
                RowTile.Run<FloatDot<BF16Row>>(job->Weights, job->Activations, job->Batch, job->Output, start, end, job->Simd);
                break;
            case GgmlType.Q8_0:
                RowTile.Run<Q8_0Dot>(job->Weights, job->Activations, job->Batch, job->Output, start, end, job->Simd);
                break;
            case GgmlType.Q4_0:
                RowTile.Run<Q4_0Dot>(job->Weights, job->Activations, job->Batch, job->Output, start, end, job->Simd);
                break;
            case GgmlType.Q4_K:
                RowTile.Run<Q4KDot>(job->Weights, job->Activations, job->Batch, job->Output, start, end, job->Simd);
                break;
            case GgmlType.Q6_K:
                RowTile.Run<Q6KDot>(job->Weights, job->Activations, job->Batch, job->Output, start, end, job->Simd);
                break;
            default:
                // VecDotType rejected every other type before any chunk ran.
                break;
        }
    }

    private struct Job
    {
        public WeightMatrix Weights;
        public Activations Activations;
        public int Batch;
        public float* Output;
        public bool Simd;
        public int ChunkRows;
    }
}
