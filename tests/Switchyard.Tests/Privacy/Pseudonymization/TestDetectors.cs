using Switchyard.Privacy;

namespace Switchyard.Tests.Privacy.Pseudonymization;

/// <summary>Finds <c>local@domain.tld</c>-style e-mail addresses with a plain character scan (test-only, no validation).</summary>
internal sealed class TestEmailDetector : IPrivacyDetector
{
    public IReadOnlyList<string> DataClasses { get; } = [Switchyard.Privacy.DataClasses.Email];

    public void Detect(string text, List<PrivacyFinding> findings)
    {
        for (int at = text.IndexOf('@', StringComparison.Ordinal); at >= 0; at = text.IndexOf('@', at + 1))
        {
            int start = at;
            while (start > 0 && IsLocal(text[start - 1]))
            {
                start--;
            }

            int end = at + 1;
            while (end < text.Length && IsDomain(text[end]))
            {
                end++;
            }

            while (end > at + 1 && text[end - 1] == '.')
            {
                end--; // a sentence's full stop is not part of the domain
            }

            if (start < at && text.AsSpan(at + 1, end - at - 1).Contains('.'))
            {
                findings.Add(new PrivacyFinding(Switchyard.Privacy.DataClasses.Email, start, end - start, 0.9));
            }
        }
    }

    private static bool IsLocal(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '+' or '-';

    private static bool IsDomain(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '-';
}

/// <summary>Finds every occurrence of one fixed term (a code name, say) as the given class.</summary>
internal sealed class TestTermDetector(string term, string dataClass) : IPrivacyDetector
{
    public IReadOnlyList<string> DataClasses { get; } = [dataClass];

    public void Detect(string text, List<PrivacyFinding> findings)
    {
        for (int i = text.IndexOf(term, StringComparison.Ordinal); i >= 0; i = text.IndexOf(term, i + term.Length, StringComparison.Ordinal))
        {
            findings.Add(new PrivacyFinding(dataClass, i, term.Length, 1.0));
        }
    }
}
