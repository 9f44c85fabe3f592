namespace Switchyard.Privacy.Detectors;

/// <summary>
/// E-mail addresses: a hand-written scanner that starts only at '@' and checks both sides — a local part of at most
/// 64 characters without leading, trailing or doubled dots, and a domain of at least two labels (letters of any
/// script, digits, inner hyphens; at most 63 characters each, 253 in all) ending in an alphabetic or <c>xn--</c> top-level
/// label. <c>@handle</c>, <c>user@localhost</c>, <c>pkg@1.2.3</c> and <c>icon@2x.png</c> are not addresses.
/// </summary>
public sealed class EmailDetector : IPrivacyDetector
{
    /// <summary>Confidence of a syntactically valid address (not checksum-backed, but the shape is specific).</summary>
    public const double Confidence = 0.95;

    private static readonly string[] FileExtensions =
        ["png", "jpg", "jpeg", "gif", "svg", "webp", "ico", "bmp", "tif", "tiff", "pdf", "avif", "heic"];

    /// <inheritdoc />
    public IReadOnlyList<string> DataClasses { get; } = [Privacy.DataClasses.Email];

    /// <inheritdoc />
    public void Detect(string text, List<PrivacyFinding> findings)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(findings);
        int from = 0;
        while (from < text.Length)
        {
            int at = text.IndexOf('@', from);
            if (at < 0)
            {
                return;
            }

            int start = LocalPartStart(text, at);
            int end = start < 0 ? -1 : DomainEnd(text, at + 1);
            if (end < 0)
            {
                from = at + 1;
                continue;
            }

            findings.Add(new PrivacyFinding(Privacy.DataClasses.Email, start, end - start, Confidence));
            from = end;
        }
    }

    private static bool IsLocalChar(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '%' or '+' or '-' or '\''
        || (c > '\u007f' && char.IsLetterOrDigit(c));

    private static bool IsLabelChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '-' || (c > '\u007f' && char.IsLetterOrDigit(c));

    /// <summary>The index where the local part before '@' starts, or -1 when there is no valid one.</summary>
    private static int LocalPartStart(string text, int at)
    {
        int start = at;
        while (start > 0 && at - start <= 64 && IsLocalChar(text[start - 1]))
        {
            start--;
        }

        // Quotes, dashes and the like that merely precede the address are not part of it.
        while (start < at && !(char.IsLetterOrDigit(text[start]) || text[start] == '_'))
        {
            start++;
        }

        int length = at - start;
        if (length == 0 || length > 64 || text[at - 1] == '.')
        {
            return -1;
        }

        // "a@b@c.com" holds no address.
        if (start > 0 && text[start - 1] == '@')
        {
            return -1;
        }

        return text.AsSpan(start, length).Contains("..", StringComparison.Ordinal) ? -1 : start;
    }

    /// <summary>The index just past a valid domain that starts at <paramref name="start"/>, or -1.</summary>
    private static int DomainEnd(string text, int start)
    {
        int i = start;
        int labels = 0;
        int lastLabelStart = start;
        int lastLabelEnd = start;
        while (true)
        {
            int labelStart = i;
            while (i < text.Length && IsLabelChar(text[i]))
            {
                i++;
            }

            int labelLength = i - labelStart;
            if (labelLength == 0 || labelLength > 63 || text[labelStart] == '-' || text[i - 1] == '-')
            {
                // A bad label after two good ones ends the domain at the last good one ("a@b.com.-x" is "a@b.com").
                if (labels >= 2)
                {
                    break;
                }

                return -1;
            }

            labels++;
            lastLabelStart = labelStart;
            lastLabelEnd = i;
            if (i + 1 < text.Length && text[i] == '.' && IsLabelChar(text[i + 1]))
            {
                i++;
                continue;
            }

            break;
        }

        if (labels < 2 || lastLabelEnd - start > 253)
        {
            return -1;
        }

        // Running straight into another '@' or an identifier character means this was not a plain address.
        if (lastLabelEnd < text.Length && (text[lastLabelEnd] is '@' or '_'))
        {
            return -1;
        }

        ReadOnlySpan<char> tld = text.AsSpan(lastLabelStart, lastLabelEnd - lastLabelStart);
        if (tld.StartsWith("xn--", StringComparison.OrdinalIgnoreCase))
        {
            return tld.Length > 4 ? lastLabelEnd : -1;
        }

        if (tld.Length < 2)
        {
            return -1;
        }

        foreach (char c in tld)
        {
            if (!char.IsLetter(c))
            {
                return -1;
            }
        }

        if (labels == 2)
        {
            foreach (string extension in FileExtensions)
            {
                if (tld.Equals(extension, StringComparison.OrdinalIgnoreCase))
                {
                    return -1;
                }
            }
        }

        return lastLabelEnd;
    }
}
