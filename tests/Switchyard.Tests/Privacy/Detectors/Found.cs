using Switchyard.Privacy;

namespace Switchyard.Tests.Privacy.Detectors;

/// <summary>What a detector reports in a text, as the values themselves, overlaps resolved as the scanner does.</summary>
internal static class Found
{
    public static List<string> Values(IPrivacyDetector detector, string text) =>
        [.. Findings(detector, text).Select(f => text.Substring(f.Start, f.Length))];

    public static IReadOnlyList<PrivacyFinding> Findings(IPrivacyDetector detector, string text) =>
        new PrivacyScanner([detector]).Scan(text);

    /// <summary>The single value found in <paramref name="text"/>, failing if there is not exactly one.</summary>
    public static string Single(IPrivacyDetector detector, string text)
    {
        List<string> values = Values(detector, text);
        Assert.True(values.Count == 1, $"expected one value in «{text}», found [{string.Join(" | ", values)}]");
        return values[0];
    }
}
