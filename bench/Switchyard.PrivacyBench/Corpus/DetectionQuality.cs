using System.Globalization;
using System.Text;
using Switchyard.Privacy;

namespace Switchyard.PrivacyBench.Corpus;

/// <summary>Counts for one data class over a corpus.</summary>
internal sealed class ClassScore(string dataClass)
{
    public string DataClass { get; } = dataClass;

    /// <summary>Labelled values of this class.</summary>
    public int Labels { get; set; }

    public int TruePositives { get; set; }

    public int FalsePositives { get; set; }

    public int FalseNegatives { get; set; }

    /// <summary>True positives whose span is exactly the label's.</summary>
    public int Exact { get; set; }

    public double Precision => TruePositives + FalsePositives == 0 ? 1 : (double)TruePositives / (TruePositives + FalsePositives);

    public double Recall => TruePositives + FalseNegatives == 0 ? 1 : (double)TruePositives / (TruePositives + FalseNegatives);
}

/// <summary>A finding that matched no label, or a label no finding matched, with its sample (for looking into errors).</summary>
internal readonly record struct DetectionError(LabelledSample Sample, string DataClass, int Start, int Length, bool FalsePositive)
{
    public string Value => Sample.Text.Substring(Start, Length);
}

/// <summary>
/// Precision and recall per data class of a scanner on labelled samples. A finding matches an unmatched label of its
/// class when it covers at least half of the label; every other finding is a false positive, every unmatched label
/// a false negative.
/// </summary>
internal static class DetectionQuality
{
    public static Dictionary<string, ClassScore> Evaluate(
        PrivacyScanner scanner, IEnumerable<LabelledSample> samples, List<DetectionError>? errors = null)
    {
        ArgumentNullException.ThrowIfNull(scanner);
        ArgumentNullException.ThrowIfNull(samples);
        var scores = new Dictionary<string, ClassScore>(StringComparer.Ordinal);
        foreach (string dataClass in DataClasses.All)
        {
            scores[dataClass] = new ClassScore(dataClass);
        }

        foreach (LabelledSample sample in samples)
        {
            IReadOnlyList<PrivacyFinding> findings = scanner.Scan(sample.Text);
            var matched = new bool[sample.Labels.Count];
            foreach (LabelledSpan label in sample.Labels)
            {
                Score(scores, label.DataClass).Labels++;
            }

            foreach (PrivacyFinding finding in findings)
            {
                ClassScore score = Score(scores, finding.DataClass);
                int hit = -1;
                for (int l = 0; l < sample.Labels.Count; l++)
                {
                    LabelledSpan label = sample.Labels[l];
                    int overlap = Math.Min(label.End, finding.End) - Math.Max(label.Start, finding.Start);
                    if (!matched[l] && label.DataClass == finding.DataClass && overlap * 2 >= label.Length)
                    {
                        hit = l;
                        break;
                    }
                }

                if (hit < 0)
                {
                    score.FalsePositives++;
                    errors?.Add(new DetectionError(sample, finding.DataClass, finding.Start, finding.Length, FalsePositive: true));
                    continue;
                }

                matched[hit] = true;
                score.TruePositives++;
                if (sample.Labels[hit].Start == finding.Start && sample.Labels[hit].Length == finding.Length)
                {
                    score.Exact++;
                }
            }

            for (int l = 0; l < sample.Labels.Count; l++)
            {
                if (!matched[l])
                {
                    LabelledSpan label = sample.Labels[l];
                    Score(scores, label.DataClass).FalseNegatives++;
                    errors?.Add(new DetectionError(sample, label.DataClass, label.Start, label.Length, FalsePositive: false));
                }
            }
        }

        return scores;
    }

    private static ClassScore Score(Dictionary<string, ClassScore> scores, string dataClass)
    {
        if (!scores.TryGetValue(dataClass, out ClassScore? score))
        {
            score = new ClassScore(dataClass);
            scores[dataClass] = score;
        }

        return score;
    }

    /// <summary>A fixed-width table: class, labels, TP, FP, FN, precision, recall, exact-span share.</summary>
    public static string FormatTable(IReadOnlyDictionary<string, ClassScore> scores)
    {
        ArgumentNullException.ThrowIfNull(scores);
        var sb = new StringBuilder();
        sb.AppendLine("class          labels      TP     FP     FN  precision  recall  exact");
        foreach (ClassScore s in scores.Values.OrderBy(s => s.DataClass, StringComparer.Ordinal))
        {
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"{s.DataClass,-13} {s.Labels,7} {s.TruePositives,7} {s.FalsePositives,6} {s.FalseNegatives,6} {s.Precision,10:P2} {s.Recall,7:P2} {(s.TruePositives == 0 ? 0 : (double)s.Exact / s.TruePositives),6:P1}");
        }

        return sb.ToString();
    }
}
