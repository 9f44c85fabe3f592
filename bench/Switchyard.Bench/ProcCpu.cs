using System.Globalization;

namespace Switchyard.Bench;

/// <summary>
/// CPU time (user + system) of a process and its descendants from /proc, in clock ticks (USER_HZ = 100 on
/// Linux x86-64 and arm64), so at 10 ms resolution: meant for spans of seconds. Returns null off Linux.
/// </summary>
internal static class ProcCpu
{
    private const double TicksPerSecond = 100.0;

    public static TimeSpan? Read(int pid)
    {
        if (!Directory.Exists("/proc/self"))
        {
            return null;
        }

        var stats = new Dictionary<int, (int Parent, long Ticks)>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                continue;
            }

            if (TryReadStat(id, out var parent, out var ticks))
            {
                stats[id] = (parent, ticks);
            }
        }

        if (!stats.ContainsKey(pid))
        {
            return null;
        }

        long total = 0;
        var pending = new Stack<int>();
        pending.Push(pid);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            total += stats[current].Ticks;
            foreach (var (id, stat) in stats)
            {
                if (stat.Parent == current)
                {
                    pending.Push(id);
                }
            }
        }

        return TimeSpan.FromSeconds(total / TicksPerSecond);
    }

    /// <summary>
    /// Busy CPU time of the whole machine (all cores: user, nice, system, irq, softirq, steal) from /proc/stat.
    /// </summary>
    public static TimeSpan? SystemBusy()
    {
        try
        {
            var line = File.ReadLines("/proc/stat").First();
            var f = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            // cpu user nice system idle iowait irq softirq steal ...
            long busy = 0;
            foreach (var i in new[] { 1, 2, 3, 6, 7, 8 })
            {
                busy += long.Parse(f[i], NumberStyles.Integer, CultureInfo.InvariantCulture);
            }

            return TimeSpan.FromSeconds(busy / TicksPerSecond);
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>This process's CPU time plus that of its children already waited for (wrk runs end up there).</summary>
    public static TimeSpan? SelfAndReapedChildren()
    {
        try
        {
            var text = File.ReadAllText("/proc/self/stat");
            var f = text[(text.LastIndexOf(')') + 2)..].Split(' ');
            long ticks = 0;
            foreach (var i in new[] { 11, 12, 13, 14 })
            {
                ticks += long.Parse(f[i], NumberStyles.Integer, CultureInfo.InvariantCulture);
            }

            return TimeSpan.FromSeconds(ticks / TicksPerSecond);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static bool TryReadStat(int pid, out int parent, out long ticks)
    {
        parent = 0;
        ticks = 0;
        string text;
        try
        {
            text = File.ReadAllText($"/proc/{pid}/stat");
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }

        // "pid (comm) state ppid ... utime stime ...": comm may hold spaces and parentheses, so split after the last ')'.
        var close = text.LastIndexOf(')');
        if (close < 0)
        {
            return false;
        }

        var fields = text[(close + 2)..].Split(' ');
        // fields[0] = state (field 3), fields[1] = ppid (4), fields[11] = utime (14), fields[12] = stime (15)
        if (fields.Length < 13
            || !int.TryParse(fields[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out parent)
            || !long.TryParse(fields[11], NumberStyles.Integer, CultureInfo.InvariantCulture, out var user)
            || !long.TryParse(fields[12], NumberStyles.Integer, CultureInfo.InvariantCulture, out var system))
        {
            return false;
        }

        ticks = user + system;
        return true;
    }
}

/// <summary>
/// Busy CPU time of the machine that is not charged to the benchmark's own processes (driver, wrk, upstream, nginx,
/// gateway) over a span: a check that nothing else ran during the measurement. It also holds kernel time not charged
/// to any process (e.g. softirq work for loopback traffic), so a few percent is normal.
/// </summary>
internal sealed class ForeignCpu
{
    private readonly IReadOnlyList<int> _pids;
    private readonly TimeSpan? _busy;
    private readonly TimeSpan? _ours;
    private readonly long _start;

    private ForeignCpu(IReadOnlyList<int> pids)
    {
        _pids = pids;
        _busy = ProcCpu.SystemBusy();
        _ours = Ours(pids);
        _start = System.Diagnostics.Stopwatch.GetTimestamp();
    }

    public static ForeignCpu Start(IReadOnlyList<int> pids) => new(pids);

    /// <summary>Foreign busy time since <see cref="Start"/> as a percentage of all cores' capacity over the span; null off Linux.</summary>
    public double? StopPercent()
    {
        var busy = ProcCpu.SystemBusy();
        var ours = Ours(_pids);
        var wall = System.Diagnostics.Stopwatch.GetElapsedTime(_start);
        if (busy is null || ours is null || _busy is null || _ours is null || wall <= TimeSpan.Zero)
        {
            return null;
        }

        var foreign = (busy.Value - _busy.Value) - (ours.Value - _ours.Value);
        return Math.Max(0, foreign.TotalSeconds) / (wall.TotalSeconds * Environment.ProcessorCount) * 100;
    }

    private static TimeSpan? Ours(IReadOnlyList<int> pids)
    {
        var total = ProcCpu.SelfAndReapedChildren();
        foreach (var pid in pids)
        {
            total += ProcCpu.Read(pid) ?? TimeSpan.Zero;
        }

        return total;
    }
}
