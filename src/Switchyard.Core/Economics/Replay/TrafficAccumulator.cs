using Switchyard.Metering;

namespace Switchyard.Economics.Replay;

/// <summary>
/// Folds ledger records, one at a time, into a <see cref="TrafficSummary"/>: totals, per-model totals and output tokens
/// per minute for the peak. Memory is one counter per busy minute (43,200 for 30 days), whatever the request count.
/// </summary>
public sealed class TrafficAccumulator
{
    private readonly Dictionary<long, long> _outputPerMinute = [];
    private readonly Dictionary<long, long> _selfOutputPerMinute = [];
    private readonly Dictionary<string, (string? Zone, long Requests, long Input, long Cached, long Output, decimal Cost)> _byModel = new(StringComparer.Ordinal);
    private DateTimeOffset? _first;
    private long _requests, _input, _cached, _output;
    private decimal _cost;

    /// <summary>Adds one record; records that used no tokens (refused, failed before output) add only their cost.</summary>
    public void Add(LedgerRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        _first ??= record.Timestamp;
        _cost += record.Cost;
        if (record.InputTokens == 0 && record.OutputTokens == 0)
        {
            return;
        }

        _requests++;
        _input += record.InputTokens;
        _cached += record.CachedInputTokens;
        _output += record.OutputTokens;
        var minute = record.Timestamp.ToUnixTimeSeconds() / 60;
        _outputPerMinute[minute] = _outputPerMinute.GetValueOrDefault(minute) + record.OutputTokens;
        if (IsSelf(record.Zone))
        {
            _selfOutputPerMinute[minute] = _selfOutputPerMinute.GetValueOrDefault(minute) + record.OutputTokens;
        }
        var model = record.ServedModel ?? "(none)";
        var m = _byModel.GetValueOrDefault(model);
        _byModel[model] = (record.Zone ?? m.Zone, m.Requests + 1, m.Input + record.InputTokens, m.Cached + record.CachedInputTokens, m.Output + record.OutputTokens, m.Cost + record.Cost);
    }

    /// <summary>The summary of everything added, over [<paramref name="from"/>, <paramref name="to"/>).</summary>
    /// <param name="from">The window's start (rates are over the whole window, even when its first record is later).</param>
    /// <param name="to">The window's end.</param>
    public TrafficSummary Build(DateTimeOffset from, DateTimeOffset to)
    {
        var start = from;
        var seconds = Math.Max((to - start).TotalSeconds, 60);
        var peak = _outputPerMinute.Count == 0 ? 0 : _outputPerMinute.Values.Max() / 60.0;
        var models = _byModel
            .Select(kv => new ModelTraffic(kv.Key, kv.Value.Zone, kv.Value.Requests, kv.Value.Input, kv.Value.Cached, kv.Value.Output, kv.Value.Cost))
            .OrderByDescending(m => m.Requests)
            .ThenBy(m => m.Model, StringComparer.Ordinal)
            .ToList();
        return new TrafficSummary(start, to, _requests, _input, _cached, _output, _cost, _output / seconds, peak, models)
        {
            SelfPeakOutputTokensPerSecond = _selfOutputPerMinute.Count == 0 ? 0 : _selfOutputPerMinute.Values.Max() / 60.0,
            FirstRecord = _first,
        };
    }

    /// <summary>Whether a zone is inside the boundary (served by hardware you run).</summary>
    public static bool IsSelf(string? zone) => string.Equals(zone, "self", StringComparison.OrdinalIgnoreCase);
}
