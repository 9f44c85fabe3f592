using System.Text.RegularExpressions;

namespace Switchyard.Privacy;

/// <summary>
/// Provider-issued opaque tokens that travel back in a conversation's history: an Anthropic thinking block's
/// <c>signature</c> and a <c>redacted_thinking</c> block's <c>data</c> (encrypted by the provider, which refuses any
/// altered value). They are random-looking by design, so the high-entropy pass of <see cref="Detectors.SecretDetector"/>
/// would flag every one and keep every conversation with thinking from a hosted zone; in them only that pass is
/// ignored — a known secret format, a named credential, an e-mail address or any other class still counts.
/// </summary>
public static partial class OpaqueTokens
{
    /// <summary><paramref name="findings"/> without random-looking-token findings.</summary>
    public static IReadOnlyList<PrivacyFinding> Filter(IReadOnlyList<PrivacyFinding> findings)
    {
        ArgumentNullException.ThrowIfNull(findings);
        var noise = 0;
        foreach (var f in findings)
        {
            noise += IsRandomToken(f) ? 1 : 0;
        }

        return noise == 0 ? findings : [.. findings.Where(f => !IsRandomToken(f))];
    }

    /// <summary>Whether a JSON path of an outgoing payload is such a token: <c>$.messages[i].content[j].signature</c> or <c>.data</c> of the block itself.</summary>
    public static bool IsOpaquePath(string path) =>
        (path.EndsWith(".signature", StringComparison.Ordinal) || path.EndsWith(".data", StringComparison.Ordinal)) && OpaquePath().IsMatch(path);

    private static bool IsRandomToken(PrivacyFinding finding) =>
        finding.DataClass == DataClasses.Secret && finding.Confidence == Detectors.SecretDetector.HighEntropyConfidence;

    [GeneratedRegex(@"^\$\.messages\[\d+\]\.content\[\d+\]\.(signature|data)$", RegexOptions.CultureInvariant)]
    private static partial Regex OpaquePath();
}
