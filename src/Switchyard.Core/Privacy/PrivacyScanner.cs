namespace Switchyard.Privacy;

/// <summary>
/// Runs a set of detectors over text and returns their findings in order, without overlaps: where two findings
/// overlap, the more confident one is kept (then the longer, then the earlier). Thread-safe.
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
            return raw;
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
        var kept = new List<PrivacyFinding>(raw.Count);
        foreach (PrivacyFinding candidate in raw)
        {
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

        kept.Sort(static (a, b) => a.Start.CompareTo(b.Start));
        return kept;
    }
}
