using System.Buffers;

namespace Switchyard.Privacy.Detectors;

/// <summary>
/// US Social Security numbers in the 3-2-4 form (<c>123-45-6789</c>, or with spaces) and, only after a keyword such
/// as "SSN" or "social security", as nine bare digits. The SSA's never-issued ranges are rejected: area 000, 666 or
/// 900–999, group 00, serial 0000, and the well-known advertising numbers (078-05-1120, 219-09-9999, 457-55-5462).
/// SSNs carry no check digit, so confidence comes from the form: <see cref="DashedConfidence"/> for hyphens,
/// <see cref="SpacedConfidence"/> for spaces, both raised to <see cref="KeywordConfidence"/> near a keyword.
/// </summary>
public sealed class UsSsnDetector : IPrivacyDetector
{
    /// <summary>Confidence of a valid 123-45-6789.</summary>
    public const double DashedConfidence = 0.85;

    /// <summary>Confidence of a valid 123 45 6789.</summary>
    public const double SpacedConfidence = 0.7;

    /// <summary>Confidence of a valid number right after "SSN", "social security" or the like (any form).</summary>
    public const double KeywordConfidence = 0.95;

    private const int KeywordWindow = 32;
    private const int BareKeywordWindow = 20;

    private static readonly SearchValues<string> Keywords = SearchValues.Create(
        ["ssn", "social security", "security number", "security no", "soc. sec", "ss#", "ss no", "ss number", "taxpayer id", "tin:"],
        StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public IReadOnlyList<string> DataClasses { get; } = [Privacy.DataClasses.UsSsn];

    /// <inheritdoc />
    public void Detect(string text, List<PrivacyFinding> findings)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(findings);
        int from = 0;
        while (from < text.Length)
        {
            int d = text.AsSpan(from).IndexOfAnyInRange('0', '9');
            if (d < 0)
            {
                return;
            }

            d += from;
            int runEnd = DetectorText.DigitRunEnd(text, d);
            from = runEnd;
            int length = runEnd - d;
            if (length is not (3 or 9) || !DetectorText.IsNumberStartBoundary(text, d))
            {
                continue;
            }

            int end;
            double confidence;
            if (length == 3)
            {
                // 123-45-6789 or 123 45 6789: the same separator twice.
                char sep = runEnd < text.Length ? text[runEnd] : '\0';
                if (sep is not ('-' or ' ')
                    || DetectorText.DigitRunEnd(text, runEnd + 1) != runEnd + 3
                    || runEnd + 3 >= text.Length || text[runEnd + 3] != sep
                    || DetectorText.DigitRunEnd(text, runEnd + 4) != runEnd + 8)
                {
                    continue;
                }

                end = runEnd + 8;
                confidence = sep == '-' ? DashedConfidence : SpacedConfidence;
            }
            else
            {
                end = runEnd;
                confidence = 0; // bare digits count only after a keyword
            }

            if (!DetectorText.IsNumberEndBoundary(text, end))
            {
                from = end;
                continue;
            }

            int area = DetectorText.Number(text, d, 3);
            int group = length == 3 ? DetectorText.Number(text, d + 4, 2) : DetectorText.Number(text, d + 3, 2);
            int serial = length == 3 ? DetectorText.Number(text, d + 7, 4) : DetectorText.Number(text, d + 5, 4);
            if (!IsValid(area, group, serial))
            {
                from = end;
                continue;
            }

            // Bare digits need the keyword right before them ("SSN: 123456789"); the formatted kinds anywhere near.
            if (DetectorText.HasKeywordRightBefore(text, d, length == 3 ? KeywordWindow : BareKeywordWindow, Keywords))
            {
                confidence = length == 3 ? KeywordConfidence : KeywordConfidence - 0.1;
            }

            if (confidence > 0)
            {
                findings.Add(new PrivacyFinding(Privacy.DataClasses.UsSsn, d, end - d, confidence));
            }

            from = end;
        }
    }

    /// <summary>Whether the parts fall in ranges the SSA issues.</summary>
    internal static bool IsValid(int area, int group, int serial) =>
        area is > 0 and not 666 and < 900
        && group > 0
        && serial > 0
        && !(area == 78 && group == 5 && serial == 1120)
        && !(area == 219 && group == 9 && serial == 9999)
        && !(area == 457 && group == 55 && serial == 5462);
}
