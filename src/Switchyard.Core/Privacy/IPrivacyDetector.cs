namespace Switchyard.Privacy;

/// <summary>
/// Finds values of one kind in text. Implementations validate what they find (checksums, ranges, known prefixes)
/// rather than trusting a bare pattern, are stateless and thread-safe, and never log or keep the values.
/// </summary>
public interface IPrivacyDetector
{
    /// <summary>The data classes this detector can report.</summary>
    IReadOnlyList<string> DataClasses { get; }

    /// <summary>Adds every value found in <paramref name="text"/> to <paramref name="findings"/>.</summary>
    void Detect(string text, List<PrivacyFinding> findings);
}
