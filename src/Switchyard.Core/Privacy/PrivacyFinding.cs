namespace Switchyard.Privacy;

/// <summary>
/// One detected value: its data class, where it is in the scanned text, and how sure the detector is.
/// Holds no copy of the value, so findings can be logged and stored.
/// </summary>
/// <param name="DataClass">The data class (see <see cref="DataClasses"/>, or a custom class from configuration).</param>
/// <param name="Start">Index of the first character in the scanned text.</param>
/// <param name="Length">Characters the value spans.</param>
/// <param name="Confidence">0 to 1: 1 for a validated value (checksum, known prefix), lower for heuristics.</param>
public readonly record struct PrivacyFinding(string DataClass, int Start, int Length, double Confidence)
{
    /// <summary>Index just past the value.</summary>
    public int End => Start + Length;
}
