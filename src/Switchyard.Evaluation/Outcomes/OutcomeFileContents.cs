namespace Switchyard.Evaluation;

/// <summary>What <see cref="OutcomeJsonl"/> found in an outcome file: its records and where its valid content ends.</summary>
/// <param name="Records">The records, lines with the same id merged, in order of first appearance.</param>
/// <param name="ValidLength">Bytes of the file that hold complete lines (the whole file unless a torn last line was discarded).</param>
/// <param name="TornLine">The 1-based number of the discarded torn last line, if one was discarded.</param>
/// <param name="EndsWithNewline">Whether the valid content is empty or ends with a line break (else the next append must start one).</param>
internal sealed record OutcomeFileContents(IReadOnlyList<OutcomeRecord> Records, long ValidLength, long? TornLine, bool EndsWithNewline);
