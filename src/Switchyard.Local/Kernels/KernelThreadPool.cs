using System.Diagnostics;

namespace Switchyard.Local.Kernels;

/// <summary>
/// A small set of dedicated threads for the matrix kernels. A call hands out numbered chunks of one job to the calling
/// thread and the workers; workers spin briefly between jobs (a decode step issues matrix products back to back) and
/// then sleep, so a call costs about a microsecond instead of a thread-pool round trip.
/// One job runs at a time; a call that finds the pool busy (another thread's product) runs its chunks itself.
/// </summary>
internal sealed unsafe class KernelThreadPool
{
    /// <summary>How long an idle worker spins before it sleeps.</summary>
    private static readonly long SpinTicks = Stopwatch.Frequency / 2000; // 0.5 ms

    private readonly Lock _gate = new();
    private readonly Worker[] _workers;

    // The claim word: generation (high 32 bits), chunk count (16 bits), next chunk (low 16 bits). Packing the count and
    // the generation with the counter means a worker still holding an old job can never claim a chunk of a new one.
    private long _state;
    private int _pending;
    private int _generation;
    private delegate*<void*, int, void> _body;
    private void* _context;

    private KernelThreadPool(int workers)
    {
        _workers = new Worker[workers];
        for (int i = 0; i < workers; i++)
        {
            var worker = new Worker(this);
            _workers[i] = worker;
            var thread = new Thread(worker.Loop, maxStackSize: 256 * 1024)
            {
                IsBackground = true,
                Name = $"switchyard-kernel-{i + 1}",
            };
            thread.Start();
        }
    }

    /// <summary>The pool, with one worker per processor besides the caller's.</summary>
    public static KernelThreadPool Shared { get; } = new(Math.Max(0, Environment.ProcessorCount - 1));

    /// <summary>Threads that share a job: the workers plus the caller.</summary>
    public int Concurrency => _workers.Length + 1;

    /// <summary>The largest chunk count one call can take.</summary>
    public static int MaxChunks => 0xFFFF;

    /// <summary>
    /// Calls <paramref name="body"/>(<paramref name="context"/>, i) once for every i in [0, <paramref name="chunks"/>),
    /// spread over the workers and the calling thread; returns when all calls are done. The body must not throw.
    /// </summary>
    public void Run(int chunks, delegate*<void*, int, void> body, void* context)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(chunks, MaxChunks);
        if (chunks <= 1 || _workers.Length == 0 || !_gate.TryEnter())
        {
            for (int i = 0; i < chunks; i++)
            {
                body(context, i);
            }

            return;
        }

        try
        {
            _body = body;
            _context = context;
            _pending = chunks;
            int generation = ++_generation;
            // Publishing the claim word is a full fence: the job fields above are visible to whoever reads it.
            Interlocked.Exchange(ref _state, ((long)generation << 32) | ((long)chunks << 16));
            foreach (Worker worker in _workers)
            {
                worker.Wake();
            }

            Work(generation);
            var spinner = default(SpinWait);
            while (Volatile.Read(ref _pending) != 0)
            {
                spinner.SpinOnce(sleep1Threshold: -1);
            }
        }
        finally
        {
            _gate.Exit();
        }
    }

    private int CurrentGeneration => (int)(Volatile.Read(ref _state) >> 32);

    private void Work(int generation)
    {
        while (true)
        {
            long state = Volatile.Read(ref _state);
            int next = (int)(state & 0xFFFF);
            if ((int)(state >> 32) != generation || next >= (int)((state >> 16) & 0xFFFF))
            {
                return;
            }

            if (Interlocked.CompareExchange(ref _state, state + 1, state) != state)
            {
                continue;
            }

            // The claimed chunk keeps this generation's job alive (its caller waits for it), so the fields are stable.
            _body(_context, next);
            Interlocked.Decrement(ref _pending);
        }
    }

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Workers live as long as the process; their semaphores are never released early.")]
    private sealed class Worker(KernelThreadPool pool)
    {
        private readonly SemaphoreSlim _signal = new(0);
        private int _sleeping;

        public void Wake()
        {
            if (Volatile.Read(ref _sleeping) == 1 && Interlocked.Exchange(ref _sleeping, 0) == 1)
            {
                _signal.Release();
            }
        }

        public void Loop()
        {
            int seen = pool.CurrentGeneration;
            while (true)
            {
                long spinUntil = Stopwatch.GetTimestamp() + SpinTicks;
                int generation;
                while ((generation = pool.CurrentGeneration) == seen && Stopwatch.GetTimestamp() < spinUntil)
                {
                    Thread.SpinWait(20);
                }

                if (generation == seen)
                {
                    Interlocked.Exchange(ref _sleeping, 1);
                    if (pool.CurrentGeneration == seen)
                    {
                        _signal.Wait();
                    }
                    else if (Interlocked.Exchange(ref _sleeping, 0) == 0)
                    {
                        // The caller saw us asleep and released the signal: take it so the count stays balanced.
                        _signal.Wait();
                    }

                    continue;
                }

                seen = generation;
                pool.Work(generation);
            }
        }
    }
}
