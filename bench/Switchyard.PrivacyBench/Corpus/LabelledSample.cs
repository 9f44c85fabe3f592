namespace Switchyard.PrivacyBench.Corpus;

/// <summary>A span of a sample's text that holds a value of <paramref name="DataClass"/>.</summary>
internal readonly record struct LabelledSpan(string DataClass, int Start, int Length)
{
    public int End => Start + Length;
}

/// <summary>One generated text, the Bogus locale it was made with, and where its sensitive values are.</summary>
/// <remarks>
/// Look-alike decoys (invalid checksums, dates, order numbers, UUIDs…) are in the text but not in
/// <see cref="Labels"/>: a finding on one is a false positive.
/// </remarks>
internal sealed record LabelledSample(string Locale, string Text, IReadOnlyList<LabelledSpan> Labels);
