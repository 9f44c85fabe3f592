using System.Buffers;
using System.Text.RegularExpressions;

namespace Switchyard.Privacy.Detectors;

/// <summary>
/// Values named in configuration, reported under one configured data class: literal terms (project code names,
/// customer names) matched case-insensitively as whole words, and regular expressions (customer ids, ticket keys).
/// Terms are searched with one vectorised multi-string search; patterns are compiled once here, culture-invariant,
/// with a match timeout. Every match is what the configuration asked for: confidence <see cref="DefaultConfidence"/> by default.
/// </summary>
/// <remarks>
/// A pattern that runs past its timeout throws <see cref="RegexMatchTimeoutException"/> from
/// <see cref="Detect"/>: the caller decides whether that blocks the request (fail closed) rather than this detector
/// silently reporting nothing.
/// </remarks>
public sealed class CustomTermDetector : IPrivacyDetector
{
    /// <summary>The default confidence of a configured match.</summary>
    public const double DefaultConfidence = 1.0;

    /// <summary>The default time one pattern may take over one text.</summary>
    public static readonly TimeSpan DefaultMatchTimeout = TimeSpan.FromMilliseconds(100);

    private readonly string _dataClass;
    private readonly string[] _terms;
    private readonly SearchValues<string>? _termSearch;
    private readonly Regex[] _patterns;
    private readonly double _confidence;

    /// <param name="dataClass">The data class to report (e.g. "project_codename", "customer_id").</param>
    /// <param name="terms">Literal terms, matched case-insensitively as whole words. Blank entries are ignored.</param>
    /// <param name="patterns">Regular expressions (.NET syntax); every match is reported. Use <c>(?i)</c> for case-insensitivity.</param>
    /// <param name="confidence">Confidence of the findings, 0 to 1.</param>
    /// <param name="matchTimeout">Time one pattern may take over one text; <see cref="DefaultMatchTimeout"/> when null.</param>
    /// <exception cref="ArgumentException">The data class is blank, nothing is configured, or a pattern is invalid.</exception>
    public CustomTermDetector(
        string dataClass,
        IEnumerable<string>? terms = null,
        IEnumerable<string>? patterns = null,
        double confidence = DefaultConfidence,
        TimeSpan? matchTimeout = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(dataClass);
        ArgumentOutOfRangeException.ThrowIfNegative(confidence);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(confidence, 1.0);
        _dataClass = dataClass;
        _confidence = confidence;
        DataClasses = [dataClass];

        _terms = [.. (terms ?? []).Where(t => !string.IsNullOrWhiteSpace(t)).Select(t => t.Trim()).Distinct(StringComparer.OrdinalIgnoreCase)
            .OrderByDescending(t => t.Length)];
        _termSearch = _terms.Length > 0 ? SearchValues.Create(_terms, StringComparison.OrdinalIgnoreCase) : null;

        TimeSpan timeout = matchTimeout ?? DefaultMatchTimeout;
        var compiled = new List<Regex>();
        foreach (string pattern in patterns ?? [])
        {
            if (string.IsNullOrEmpty(pattern))
            {
                continue;
            }

            try
            {
                compiled.Add(new Regex(pattern, RegexOptions.Compiled | RegexOptions.CultureInvariant, timeout));
            }
            catch (ArgumentException ex)
            {
                throw new ArgumentException($"Invalid pattern for data class '{dataClass}': {ex.Message}", nameof(patterns), ex);
            }
        }

        _patterns = [.. compiled];
        if (_terms.Length == 0 && _patterns.Length == 0)
        {
            throw new ArgumentException($"Custom data class '{dataClass}' needs at least one term or pattern.", nameof(terms));
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<string> DataClasses { get; }

    /// <inheritdoc />
    public void Detect(string text, List<PrivacyFinding> findings)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(findings);
        if (_termSearch is not null)
        {
            DetectTerms(text, findings);
        }

        foreach (Regex pattern in _patterns)
        {
            foreach (ValueMatch m in pattern.EnumerateMatches(text))
            {
                if (m.Length > 0)
                {
                    findings.Add(new PrivacyFinding(_dataClass, m.Index, m.Length, _confidence));
                }
            }
        }
    }

    private void DetectTerms(string text, List<PrivacyFinding> findings)
    {
        int from = 0;
        while (from < text.Length)
        {
            int i = text.AsSpan(from).IndexOfAny(_termSearch!);
            if (i < 0)
            {
                return;
            }

            i += from;
            int length = LongestWholeWordTerm(text, i);
            if (length > 0)
            {
                findings.Add(new PrivacyFinding(_dataClass, i, length, _confidence));
                from = i + length;
            }
            else
            {
                from = i + 1;
            }
        }
    }

    /// <summary>The length of the longest term at <paramref name="i"/> that stands as a whole word there, or 0.</summary>
    private int LongestWholeWordTerm(string text, int i)
    {
        ReadOnlySpan<char> rest = text.AsSpan(i);
        foreach (string term in _terms)
        {
            // Terms are sorted longest first.
            if (!rest.StartsWith(term, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            // Whole word: no word character glued on at either end (a term that starts or ends with punctuation
            // needs no boundary on that side).
            bool startOk = !DetectorText.IsWordChar(term[0]) || i == 0 || !DetectorText.IsWordChar(text[i - 1]);
            int end = i + term.Length;
            bool endOk = !DetectorText.IsWordChar(term[^1]) || end >= text.Length || !DetectorText.IsWordChar(text[end]);
            if (startOk && endOk)
            {
                return term.Length;
            }
        }

        return 0;
    }
}
