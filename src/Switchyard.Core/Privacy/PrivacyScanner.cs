using Switchyard.Privacy.Detectors;
using Switchyard.Privacy.Scanning;

namespace Switchyard.Privacy;

/// <summary>
/// Runs a set of detectors over text and returns their findings in order, without overlaps: where two findings
/// overlap, the more confident one is kept (then the longer, then the earlier); empty findings are dropped.
/// Overlaps are resolved in O(n log n). Thread-safe.
/// </summary>
/// <remarks>
/// Detectors read the text as a person would: folded and decoded first (<see cref="Scanning.TextNormalizer"/>:
/// invisible characters removed, NFKC, HTML entities, percent-encoding; <see cref="Scanning.EmailObfuscations"/>:
/// <c>alice [at] example [dot] com</c>), then with digit groups joined for the number detectors
/// (<see cref="Scanning.DigitGroups"/>: <c>4111.1111.1111.1111</c>, cards inside words), and inside runs of base64
/// and hex that decode to text (<see cref="Scanning.EncodedSegments"/>, two levels deep). Every finding is reported
/// on the original text's characters, so pseudonymisation replaces exactly what was written.
/// </remarks>
public sealed class PrivacyScanner
{
    /// <summary>How deep encoded text inside encoded text is decoded.</summary>
    public const int MaxDecodeDepth = 2;

    /// <summary>Confidence factor of findings only seen with digit groups joined: the plain reading wins a tie.</summary>
    private const double JoinedFactor = 0.99;

    /// <summary>Confidence of a finding inside encoded text (at most the inner finding's).</summary>
    private const double EncodedConfidence = 0.9;

    private readonly IPrivacyDetector[] _detectors;
    private readonly IPrivacyDetector[] _numberDetectors;
    private readonly bool _cards;
    private readonly bool _ssns;
    private readonly bool _ibans;
    private readonly bool _ninos;

    /// <summary>Creates a scanner over exactly <paramref name="detectors"/> (<see cref="CreateDefault"/> adds the built-in ones).</summary>
    /// <param name="detectors">The detectors, in the order they run; the regrouped-digit readings run only for the built-in number detectors among them.</param>
    public PrivacyScanner(IEnumerable<IPrivacyDetector> detectors)
    {
        ArgumentNullException.ThrowIfNull(detectors);
        _detectors = [.. detectors];
        _numberDetectors = [.. _detectors.Where(d => d is PaymentCardDetector or IbanDetector or UsSsnDetector or UkNinoDetector or PhoneDetector)];

        // The regrouping readings belong to their detectors: a scanner without the card detector finds no cards.
        _cards = _detectors.Any(d => d is PaymentCardDetector);
        _ssns = _detectors.Any(d => d is UsSsnDetector);
        _ibans = _detectors.Any(d => d is IbanDetector);
        _ninos = _detectors.Any(d => d is UkNinoDetector);
    }

    /// <summary>The detectors, in the order they run.</summary>
    public IReadOnlyList<IPrivacyDetector> Detectors => _detectors;

    /// <summary>Every value found in <paramref name="text"/>, ordered by position, none overlapping.</summary>
    public IReadOnlyList<PrivacyFinding> Scan(string text) => Scan(text, null);

    /// <summary>
    /// Every value found in <paramref name="text"/>, ordered by position, none overlapping; classes of findings that lost
    /// an overlap to a finding of another class (the same characters read two ways, or several values inside one
    /// encoded run) are added to <paramref name="shadowed"/>, so a policy can count every class the text carries.
    /// </summary>
    public IReadOnlyList<PrivacyFinding> Scan(string text, ISet<string>? shadowed)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            return [];
        }

        var raw = new List<PrivacyFinding>();
        Collect(text, raw, 0);
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
        if (shadowed is not null && kept.Count < raw.Count)
        {
            AddShadowed(raw, kept, shadowed);
        }

        return kept;
    }

    /// <summary>Runs every reading of <paramref name="text"/>; findings are on its original characters.</summary>
    private void Collect(string text, List<PrivacyFinding> raw, int depth)
    {
        TextView normalized = TextNormalizer.Normalize(text);
        TextView folded = EmailObfuscations.Rewrite(normalized);
        if (!ReferenceEquals(normalized, folded))
        {
            normalized.Release(); // the rewritten view maps to the original text directly
        }

        var scratch = new Scratch(folded);
        try
        {
            CollectView(folded, raw, depth, minimumPhone: 0, scratch);

            // A value broken over two lines inside a token: read the tokens around each break joined; keep what spans it.
            scratch.Found.Clear();
            LineBreaks.Windows(folded, scratch.Builder, window =>
            {
                TextView rewritten = EmailObfuscations.Rewrite(window, words: false);
                WindowShape shape = WindowShape.Of(rewritten.Text);
                foreach (IPrivacyDetector detector in _detectors)
                {
                    // Only the detectors the window could satisfy (most windows are two words meeting at a break).
                    bool possible = detector switch
                    {
                        EmailDetector => shape.At,
                        IpAddressDetector => shape.Address,
                        SecretDetector => shape.LongToken,
                        PaymentCardDetector or IbanDetector or UsSsnDetector or UkNinoDetector or PhoneDetector => shape.SixDigits,
                        _ => true,
                    };
                    if (possible)
                    {
                        DetectOne(detector, rewritten, scratch.Found, 1.0, PhoneDetector.InternationalConfidence, scratch.Detected);
                    }
                }

                if (!ReferenceEquals(rewritten, window))
                {
                    rewritten.Release();
                }
            });
        }
        finally
        {
            scratch.Builder.Return();
            folded.Release();
        }

        foreach (PrivacyFinding finding in scratch.Found)
        {
            // Only what spans a break, and no key guessed from randomness alone: joined lines of a log look random.
            if (text.AsSpan(finding.Start, finding.Length).IndexOfAny('\n', '\r') >= 0
                && !(finding.DataClass == DataClasses.Secret && finding.Confidence < SecretDetector.KnownFormatConfidence))
            {
                raw.Add(finding with { Confidence = finding.Confidence * JoinedFactor });
            }
        }
    }

    /// <summary>The detectors over one view, then over its digit groups joined, cards inside words, and encoded runs.</summary>
    private void CollectView(TextView folded, List<PrivacyFinding> raw, int depth, double minimumPhone, Scratch scratch)
    {
        Detect(_detectors, folded, raw, 1.0, minimumPhone, scratch.Detected);

        // Joining groups can make a phone number out of a date and a time; only international numbers count here.
        bool numbers = DigitGroups.Windows(folded, scratch.Builder, number =>
        {
            // Only the detectors the joined number could satisfy: a run of 13-19 digits for a card, of 9 (or the 3 of 3-2-4) for an SSN,
            // a '+' for an international phone number, capitals for an IBAN or a NINO. In a table of numbers most
            // windows need none of them.
            var shape = NumberShape.Of(number.Text);
            foreach (IPrivacyDetector detector in _numberDetectors)
            {
                bool possible = detector switch
                {
                    PaymentCardDetector => shape.CardRun,
                    UsSsnDetector => shape.NineRun,
                    PhoneDetector => shape.Plus,
                    IbanDetector or UkNinoDetector => shape.Capitals,
                    _ => true,
                };
                if (possible)
                {
                    DetectOne(detector, number, raw, JoinedFactor, PhoneDetector.InternationalConfidence, scratch.Detected);
                }
            }

            if (_cards && shape.CardRun)
            {
                DigitGroups.FindCardsInWords(number, raw, PaymentCardDetector.Confidence * JoinedFactor);
            }
        });

        if (_cards)
        {
            DigitGroups.FindCardsInWords(folded, raw, PaymentCardDetector.Confidence * JoinedFactor);
        }

        if (_ssns)
        {
            DigitGroups.FindSsnGroups(folded, raw, UsSsnDetector.SpacedConfidence * JoinedFactor);
        }

        if (numbers && (_ibans || _ninos))
        {
            DigitGroups.FindRegrouped(folded, raw, _ibans ? IbanDetector.Confidence * JoinedFactor : 0, _ninos ? UkNinoDetector.Confidence * JoinedFactor : 0);
        }

        if (depth < MaxDecodeDepth)
        {
            EncodedSegments.Find(folded.Text, (start, end, decoded) =>
            {
                var (from, to) = folded.ToOriginal(start, end);

                // A run that decodes to text is encoded text, not a random key: drop what only its randomness suggested.
                raw.RemoveAll(f => f.DataClass == DataClasses.Secret && f.Confidence < SecretDetector.AssignedConfidence && f.Start >= from && f.End <= to);
                var inner = new List<PrivacyFinding>();
                Collect(decoded, inner, depth + 1);
                foreach (PrivacyFinding finding in inner)
                {
                    raw.Add(new PrivacyFinding(finding.DataClass, from, to - from, Math.Min(finding.Confidence, EncodedConfidence)));
                }
            });
        }
    }

    /// <summary>What a line-break window holds, to skip the detectors it cannot satisfy.</summary>
    private readonly record struct WindowShape(bool At, bool Address, bool LongToken, bool SixDigits)
    {
        public static WindowShape Of(string text)
        {
            int digits = 0, dots = 0, colons = 0, run = 0, longest = 0;
            foreach (char c in text)
            {
                digits += char.IsAsciiDigit(c) ? 1 : 0;
                dots += c == '.' ? 1 : 0;
                colons += c == ':' ? 1 : 0;
                run = char.IsWhiteSpace(c) ? 0 : run + 1;
                longest = Math.Max(longest, run);
            }

            return new WindowShape(text.Contains('@', StringComparison.Ordinal), digits > 0 && (dots >= 3 || colons >= 2), longest >= 16, digits >= 6);
        }
    }

    /// <summary>What a joined number window holds, to skip the detectors it cannot satisfy.</summary>
    private readonly record struct NumberShape(bool CardRun, bool NineRun, bool Plus, bool Capitals)
    {
        public static NumberShape Of(string text)
        {
            bool card = false, nine = false;
            int i = 0;
            while (i < text.Length)
            {
                int d = text.AsSpan(i).IndexOfAnyInRange('0', '9');
                if (d < 0)
                {
                    break;
                }

                d += i;
                int end = DetectorText.DigitRunEnd(text, d);
                int length = end - d;
                card |= length is >= 13 and <= 19;
                nine |= length is 9 or 3; // bare after a keyword, or the 3-2-4 form
                i = end;
            }

            return new NumberShape(card, nine, text.Contains('+', StringComparison.Ordinal), text.AsSpan().ContainsAnyInRange('A', 'Z'));
        }
    }

    /// <summary>Buffers one scan reuses for its many small views (number and line-break windows).</summary>
    private sealed class Scratch(TextView folded)
    {
        public ViewBuilder Builder { get; } = new(folded, 128);

        public List<PrivacyFinding> Found { get; } = [];

        public List<PrivacyFinding> Detected { get; } = [];
    }

    private static void DetectOne(IPrivacyDetector detector, TextView view, List<PrivacyFinding> raw, double factor, double minimumPhone, List<PrivacyFinding> scratch)
    {
        scratch.Clear();
        detector.Detect(view.Text, scratch);
        MapBack(scratch, view, raw, factor, minimumPhone);
    }

    private static void MapBack(List<PrivacyFinding> found, TextView view, List<PrivacyFinding> raw, double factor, double minimumPhone)
    {
        foreach (PrivacyFinding finding in found)
        {
            if (finding.Length <= 0 || (finding.DataClass == DataClasses.Phone && finding.Confidence < minimumPhone))
            {
                continue;
            }

            var (start, end) = view.ToOriginal(finding.Start, finding.End);
            raw.Add(new PrivacyFinding(finding.DataClass, start, end - start, finding.Confidence * factor));
        }
    }

    private static void Detect(IPrivacyDetector[] detectors, TextView view, List<PrivacyFinding> raw, double factor, double minimumPhone, List<PrivacyFinding> scratch)
    {
        if (view.IsIdentity && factor == 1.0)
        {
            foreach (IPrivacyDetector detector in detectors)
            {
                detector.Detect(view.Text, raw);
            }

            return;
        }

        scratch.Clear();
        foreach (IPrivacyDetector detector in detectors)
        {
            detector.Detect(view.Text, scratch);
        }

        MapBack(scratch, view, raw, factor, minimumPhone);
    }

    private static void AddShadowed(List<PrivacyFinding> raw, List<PrivacyFinding> kept, ISet<string> shadowed)
    {
        foreach (PrivacyFinding lost in raw)
        {
            if (lost.Length <= 0)
            {
                continue;
            }

            foreach (PrivacyFinding k in kept)
            {
                if (k.Start < lost.End && lost.Start < k.End && k.DataClass != lost.DataClass)
                {
                    shadowed.Add(lost.DataClass);
                    break;
                }
            }
        }
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
