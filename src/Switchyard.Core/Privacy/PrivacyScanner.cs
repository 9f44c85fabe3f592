using Switchyard.Privacy.Detectors;

namespace Switchyard.Privacy;

/// <summary>
/// Runs a set of detectors over text and returns their findings in order, without overlaps: where two findings
/// overlap, the more confident one is kept (then the longer, then the earlier); empty findings are dropped.
/// Overlaps are resolved in O(n log n). Thread-safe.
/// </summary>
public sealed class PrivacyScanner
{
    private readonly IPrivacyDetector[] _detectors;

    public PrivacyScanner(IEnumerable<IPrivacyDetector> detectors)
    {
        ArgumentNullException.ThrowIfNull(detectors);
        _detectors = [.. detectors];
    }

    /// <summary>The detectors, in the order they run.</summary>
    public IReadOnlyList<IPrivacyDetector> Detectors => _detectors;

    /// <summary>Every value found in <paramref name="text"/>, ordered by position, none overlapping.</summary>
    public IReadOnlyList<PrivacyFinding> Scan(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            return [];
        }

        var raw = new List<PrivacyFinding>();
        foreach (IPrivacyDetector detector in _detectors)
        {
            detector.Detect(text, raw);
        }

        if (raw.Count <= 1)
        {
            return raw.Count == 1 && raw[0].Length <= 0 ? [] : raw;
        }

        // Best first, then keep each finding that overlaps none kept before it.
        raw.Sort(static (a, b) =>
        {
            int c = b.Confidence.CompareTo(a.Confidence);
            if (c == 0)
            {
                c = b.Length.CompareTo(a.Length);
            }

            return c != 0 ? c : a.Start.CompareTo(b.Start);
        });
        List<PrivacyFinding> kept = raw.Count <= SmallCount ? KeepSmall(raw) : KeepLarge(raw);
        kept.Sort(static (a, b) => a.Start.CompareTo(b.Start));
        return kept;
    }

    /// <summary>Every built-in detector (see <see cref="DataClasses.All"/>), then <paramref name="extra"/> ones.</summary>
    /// <param name="extra">More detectors, e.g. <see cref="CustomTermDetector"/>s from configuration.</param>
    public static PrivacyScanner CreateDefault(IEnumerable<IPrivacyDetector>? extra = null)
    {
        IPrivacyDetector[] builtIn =
        [
            new EmailDetector(),
            new PhoneDetector(),
            new PaymentCardDetector(),
            new IbanDetector(),
            new UsSsnDetector(),
            new UkNinoDetector(),
            new IpAddressDetector(),
            new SecretDetector(),
        ];
        return new PrivacyScanner(extra is null ? builtIn : [.. builtIn, .. extra]);
    }

    /// <summary>Up to this many findings, comparing each with those kept is cheaper than the index below.</summary>
    private const int SmallCount = 16;

    private static List<PrivacyFinding> KeepSmall(List<PrivacyFinding> ranked)
    {
        var kept = new List<PrivacyFinding>(ranked.Count);
        foreach (PrivacyFinding candidate in ranked)
        {
            if (candidate.Length <= 0)
            {
                continue;
            }

            bool overlaps = false;
            foreach (PrivacyFinding k in kept)
            {
                if (candidate.Start < k.End && k.Start < candidate.End)
                {
                    overlaps = true;
                    break;
                }
            }

            if (!overlaps)
            {
                kept.Add(candidate);
            }
        }

        return kept;
    }

    /// <summary>
    /// The same greedy choice in O(n log n). Kept findings never overlap, so a candidate [s, e) overlaps one of them
    /// exactly when more kept findings start before e than end at or before s. Two Fenwick trees over the compressed
    /// start/end positions answer both counts in O(log n).
    /// </summary>
    private static List<PrivacyFinding> KeepLarge(List<PrivacyFinding> ranked)
    {
        int[] positions = new int[ranked.Count * 2];
        for (int i = 0; i < ranked.Count; i++)
        {
            positions[2 * i] = ranked[i].Start;
            positions[(2 * i) + 1] = ranked[i].End;
        }

        Array.Sort(positions);
        int distinct = 0;
        for (int i = 0; i < positions.Length; i++)
        {
            if (i == 0 || positions[i] != positions[distinct - 1])
            {
                positions[distinct++] = positions[i];
            }
        }

        var starts = new FenwickTree(distinct);
        var ends = new FenwickTree(distinct);
        var kept = new List<PrivacyFinding>();
        foreach (PrivacyFinding candidate in ranked)
        {
            if (candidate.Length <= 0)
            {
                continue;
            }

            int s = Array.BinarySearch(positions, 0, distinct, candidate.Start);
            int e = Array.BinarySearch(positions, 0, distinct, candidate.End);
            int startedBeforeEnd = starts.CountBelow(e);
            int endedByStart = ends.CountBelow(s + 1);
            if (startedBeforeEnd - endedByStart == 0)
            {
                kept.Add(candidate);
                starts.Add(s);
                ends.Add(e);
            }
        }

        return kept;
    }

    /// <summary>Counts per position with prefix sums, both in O(log n).</summary>
    private sealed class FenwickTree(int size)
    {
        private readonly int[] _tree = new int[size + 1];

        public void Add(int index)
        {
            for (int i = index + 1; i < _tree.Length; i += i & -i)
            {
                _tree[i]++;
            }
        }

        /// <summary>How many were added at positions below <paramref name="index"/>.</summary>
        public int CountBelow(int index)
        {
            int sum = 0;
            for (int i = index; i > 0; i -= i & -i)
            {
                sum += _tree[i];
            }

            return sum;
        }
    }
}
