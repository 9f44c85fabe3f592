using System.Buffers;

namespace Switchyard.Privacy.Detectors;

/// <summary>
/// IP addresses. IPv4: four dot-separated decimal octets 0–255 without leading zeros, not part of a longer dotted
/// number (<c>1.2.3.4.5</c>, OIDs) and not right after "version"/"release"/"build"; a port may follow. IPv6: hexadecimal
/// groups with at most one <c>::</c>, eight groups in all (an IPv4 tail counts as two), e.g. <c>2001:db8::1</c>,
/// <c>::ffff:192.0.2.1</c>; compressed forms of fewer than three groups need a decimal digit, so C++'s
/// <c>a::b</c> is not an address. Both are validated by structure: confidence <see cref="Confidence"/>.
/// </summary>
public sealed class IpAddressDetector : IPrivacyDetector
{
    /// <summary>Confidence of a structurally valid address.</summary>
    public const double Confidence = 0.9;

    private static readonly SearchValues<string> VersionWords = SearchValues.Create(
        ["version", "ver.", "release", "build", "firmware"], StringComparison.OrdinalIgnoreCase);

    /// <inheritdoc />
    public IReadOnlyList<string> DataClasses { get; } = [Privacy.DataClasses.IpAddress];

    /// <inheritdoc />
    public void Detect(string text, List<PrivacyFinding> findings)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(findings);
        DetectV4(text, findings);
        DetectV6(text, findings);
    }

    private static void DetectV4(string text, List<PrivacyFinding> findings)
    {
        int from = 0;
        while (from < text.Length)
        {
            int d = text.AsSpan(from).IndexOfAnyInRange('0', '9');
            if (d < 0)
            {
                return;
            }

            d += from;
            int length = V4Length(text.AsSpan(d));
            int end = length < 0 ? -1 : d + length;
            if (end < 0)
            {
                from = DetectorText.DigitRunEnd(text, d);
                continue;
            }

            bool cleanStart = d == 0 || !(DetectorText.IsWordChar(text[d - 1]) || text[d - 1] == '.');
            bool cleanEnd = end >= text.Length || !(DetectorText.IsWordChar(text[end]) || (text[end] == '.' && DetectorText.IsDigitAt(text, end + 1)));
            if (cleanStart && cleanEnd && !DetectorText.HasKeywordBefore(text, d, 12, VersionWords))
            {
                findings.Add(new PrivacyFinding(Privacy.DataClasses.IpAddress, d, end - d, Confidence));
            }

            // Skip the whole dotted run, so "1.2.3.4.5" is not retried as "2.3.4.5".
            while (end < text.Length && (char.IsAsciiDigit(text[end]) || (text[end] == '.' && DetectorText.IsDigitAt(text, end + 1))))
            {
                end++;
            }

            from = end;
        }
    }

    /// <summary>The length of the dotted quad at the start of <paramref name="s"/>, or -1.</summary>
    private static int V4Length(ReadOnlySpan<char> s)
    {
        int i = 0;
        for (int octet = 0; octet < 4; octet++)
        {
            if (octet > 0)
            {
                if (i >= s.Length || s[i] != '.')
                {
                    return -1;
                }

                i++;
            }

            int v = 0;
            int n = 0;
            while (i + n < s.Length && char.IsAsciiDigit(s[i + n]) && n < 4)
            {
                v = (v * 10) + (s[i + n] - '0');
                n++;
            }

            if (n is 0 or > 3 || (n > 1 && s[i] == '0') || v > 255)
            {
                return -1;
            }

            i += n;
        }

        return i;
    }

    private static void DetectV6(string text, List<PrivacyFinding> findings)
    {
        int from = 0;
        while (from < text.Length)
        {
            int colon = text.IndexOf(':', from);
            if (colon < 0)
            {
                return;
            }

            int s = colon;
            while (s > 0 && (char.IsAsciiHexDigit(text[s - 1]) || text[s - 1] == ':'))
            {
                s--;
            }

            int e = colon + 1;
            while (e < text.Length && (char.IsAsciiHexDigit(text[e]) || text[e] is ':' or '.'))
            {
                e++;
            }

            from = e;

            // Sentence punctuation and a lone trailing colon ("at fe80::1: it…") are not part of the address.
            int end = e;
            while (end > s && text[end - 1] == '.')
            {
                end--;
            }

            if (end - s > 2 && text[end - 1] == ':' && text[end - 2] != ':')
            {
                end--;
            }

            if (end - s < 3 || DetectorText.IsWordCharAt(text, s - 1) || DetectorText.IsWordCharAt(text, end)
                || (s > 0 && text[s - 1] == '.'))
            {
                continue;
            }

            if (IsV6(text.AsSpan(s, end - s)))
            {
                findings.Add(new PrivacyFinding(Privacy.DataClasses.IpAddress, s, end - s, Confidence));
                continue;
            }

            // "2001:db8::1:8080" is ambiguous, but a full address with a port after it ("…:7334:8080") is not.
            int port = text.LastIndexOf(':', end - 1, end - s);
            if (port > s + 1 && text[port - 1] != ':' && end - port is > 2 and <= 6
                && !text.AsSpan(port + 1, end - port - 1).ContainsAnyExceptInRange('0', '9')
                && IsV6(text.AsSpan(s, port - s)))
            {
                findings.Add(new PrivacyFinding(Privacy.DataClasses.IpAddress, s, port - s, Confidence));
            }
        }
    }

    /// <summary>Whether <paramref name="s"/> is a complete IPv6 address in text form (no zone, no brackets).</summary>
    internal static bool IsV6(ReadOnlySpan<char> s)
    {
        int groups = 0;
        bool compressed = false;
        bool decimalDigit = false;
        int i = 0;
        if (s.StartsWith("::"))
        {
            compressed = true;
            i = 2;
            if (i == s.Length)
            {
                return false; // "::" alone says nothing
            }
        }

        while (i < s.Length)
        {
            int j = i;
            while (j < s.Length && char.IsAsciiHexDigit(s[j]))
            {
                decimalDigit |= char.IsAsciiDigit(s[j]);
                j++;
            }

            if (j < s.Length && s[j] == '.')
            {
                // An IPv4 tail ends the address and stands for two groups.
                if (V4Length(s[i..]) != s.Length - i)
                {
                    return false;
                }

                groups += 2;
                decimalDigit = true;
                break;
            }

            int length = j - i;
            if (length is 0 or > 4)
            {
                return false;
            }

            groups++;
            if (j == s.Length)
            {
                break;
            }

            if (s[j] != ':')
            {
                return false;
            }

            if (j + 1 < s.Length && s[j + 1] == ':')
            {
                if (compressed)
                {
                    return false;
                }

                compressed = true;
                i = j + 2;
            }
            else
            {
                i = j + 1;
                if (i == s.Length)
                {
                    return false;
                }
            }
        }

        if (!compressed)
        {
            return groups == 8;
        }

        return groups <= 7 && (decimalDigit || groups >= 3);
    }
}
