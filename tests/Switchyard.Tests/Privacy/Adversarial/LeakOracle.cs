using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Switchyard.Tests.Privacy.Adversarial;

/// <summary>
/// Decides, independently of the product's scanner, whether a value can be recovered from a request body an
/// upstream received. It reads every JSON string of the body (and of JSON documents inside strings, such as tool-call
/// arguments), joins them, and looks for the value in the text as received and after each of: removing format
/// characters (Unicode category Cf) and folding compatibility forms (full-width letters, digits and punctuation);
/// URL-decoding (twice); HTML-entity decoding; reading the e-mail spellings <c>[at]</c>, <c>(at)</c>, <c> at </c>,
/// <c>[dot]</c>, <c>(dot)</c>, <c> dot </c>; decoding base64 and base64url runs of 12 or more characters, hex runs of
/// 16 or more and <c>data:</c> URLs, and the same once more inside what they decode to. A value is found when it
/// occurs as is (ignoring case) or, with whitespace and format characters removed from both, as a contiguous run;
/// for card, IBAN, SSN, phone and NINO values, their letters and digits must occur contiguously once whitespace,
/// <c>.</c>, <c>-</c>, <c>/</c> and format characters are removed from the text.
/// </summary>
/// <remarks>
/// It errs towards "recoverable": it knows nothing of where a value may legitimately travel, so it is only asked
/// about bodies a hosted upstream received. Values of role, type, model and id fields are skipped: they are wire
/// structure, and would otherwise sit between the halves of a value split across two messages.
/// </remarks>
internal static partial class LeakOracle
{
    private static readonly string[] StructuralKeys = ["role", "type", "model", "id", "tool_call_id"];

    /// <summary>Whether <paramref name="value"/> (of class <paramref name="dataClass"/>) can be read back from <paramref name="receivedBody"/>.</summary>
    public static bool Contains(string receivedBody, string value, string dataClass) => Read(receivedBody).Contains(value, dataClass);

    /// <summary>Every readable form of <paramref name="receivedBody"/>, to check many values against one body.</summary>
    public static Received Read(string receivedBody)
    {
        ArgumentNullException.ThrowIfNull(receivedBody);
        var strings = new List<string>();
        try
        {
            using var document = JsonDocument.Parse(receivedBody);
            CollectStrings(document.RootElement, strings, depth: 0);
        }
        catch (JsonException)
        {
            strings.Add(receivedBody);
        }

        var views = new List<string>();
        AddViews(string.Join('\n', strings), views, depth: 0);
        return new Received([.. views.Distinct(StringComparer.Ordinal)]);
    }

    /// <summary>Every string value in document order; strings that hold a JSON object or array are read into as well.</summary>
    private static void CollectStrings(JsonElement element, List<string> strings, int depth)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Value.ValueKind == JsonValueKind.String && StructuralKeys.Contains(property.Name))
                    {
                        continue;
                    }

                    CollectStrings(property.Value, strings, depth);
                }

                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    CollectStrings(item, strings, depth);
                }

                break;
            case JsonValueKind.String:
                string text = element.GetString()!;
                strings.Add(text);
                string trimmed = text.TrimStart();
                if (depth < 3 && trimmed.Length > 1 && trimmed[0] is '{' or '[')
                {
                    try
                    {
                        using var inner = JsonDocument.Parse(text);
                        CollectStrings(inner.RootElement, strings, depth + 1);
                    }
                    catch (JsonException)
                    {
                        // Not JSON after all: the string itself was added.
                    }
                }

                break;
        }
    }

    /// <summary>The forms a body can be read in: as received, folded, URL- and HTML-decoded, and what its encoded runs decode to.</summary>
    internal sealed class Received
    {
        private readonly string[] _views;
        private readonly string[] _compact;
        private readonly string[] _compactDigits;
        private readonly string[] _spelled;
        private readonly string[] _spelledCompact;

        public Received(string[] views)
        {
            _views = views;
            _compact = [.. views.Select(v => CompactText(v, stripPunctuation: false))];
            _compactDigits = [.. views.Select(v => CompactText(v, stripPunctuation: true))];
            _spelled = [.. views.Select(EmailSpellings)];
            _spelledCompact = [.. _spelled.Select(v => CompactText(v, stripPunctuation: false))];
        }

        /// <summary>Whether <paramref name="value"/> of class <paramref name="dataClass"/> occurs in any form.</summary>
        public bool Contains(string value, string dataClass)
        {
            ArgumentNullException.ThrowIfNull(value);
            bool digits = AdversarialCorpus.DigitClasses.Contains(dataClass);
            string compact = digits ? new string([.. value.Where(char.IsAsciiLetterOrDigit)]) : CompactText(value, stripPunctuation: false);
            if (compact.Length == 0)
            {
                return false;
            }

            bool Any(string[] texts, string what) => texts.Any(t => t.Contains(what, StringComparison.OrdinalIgnoreCase));
            return Any(_views, value)
                || Any(digits ? _compactDigits : _compact, compact)
                || (dataClass == AdversarialCorpus.Email && (Any(_spelled, value) || Any(_spelledCompact, compact)));
        }
    }

    /// <summary>Adds the text's decoded views, and (up to two levels deep) those of what its encoded runs decode to.</summary>
    private static void AddViews(string text, List<string> views, int depth)
    {
        string urlDecoded = UrlDecode(UrlDecode(text));
        string html = WebUtility.HtmlDecode(text);
        views.Add(text);
        views.Add(Fold(text));
        views.Add(urlDecoded);
        views.Add(Fold(urlDecoded));
        views.Add(Fold(html));
        views.Add(Fold(WebUtility.HtmlDecode(urlDecoded)));
        views.Add(Fold(UrlDecode(html)));
        if (depth >= 2)
        {
            return;
        }

        // Encoded runs, in the text as received and in its URL-decoded form (a query string may escape base64's + / =).
        foreach (string decoded in DecodedRuns(text).Concat(urlDecoded == text ? [] : DecodedRuns(urlDecoded)).Where(IsMostlyText).Distinct(StringComparer.Ordinal))
        {
            AddViews(decoded, views, depth + 1);
        }
    }

    /// <summary>Whether decoded bytes read as text: at most a fifth of the characters are invalid UTF-8 or control characters.</summary>
    private static bool IsMostlyText(string decoded) =>
        decoded.Count(c => c == '\uFFFD' || (char.IsControl(c) && c is not ('\n' or '\r' or '\t'))) * 5 <= decoded.Length;

    /// <summary>Format characters (Cf) removed, full-width and ideographic-space forms folded to ASCII, then NFKC where available.</summary>
    public static string Fold(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            if (char.GetUnicodeCategory(c) == UnicodeCategory.Format)
            {
                continue;
            }

            sb.Append(c switch
            {
                >= '\uFF01' and <= '\uFF5E' => (char)(c - 0xFEE0),
                '\u3000' => ' ',
                _ => c,
            });
        }

        string folded = sb.ToString();
        try
        {
            // A no-op under invariant globalization (the test project's setting); kept for hosts with ICU.
            return folded.Normalize(NormalizationForm.FormKC);
        }
        catch (ArgumentException)
        {
            return folded;
        }
    }

    /// <summary>Whitespace and format characters removed, and for digit classes also '.', '-' and '/'.</summary>
    private static string CompactText(string text, bool stripPunctuation)
    {
        var sb = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            if (char.IsWhiteSpace(c) || char.GetUnicodeCategory(c) == UnicodeCategory.Format || (stripPunctuation && c is '.' or '-' or '/'))
            {
                continue;
            }

            sb.Append(c);
        }

        return sb.ToString();
    }

    private static string UrlDecode(string text)
    {
        if (!text.Contains('%', StringComparison.Ordinal))
        {
            return text;
        }

        try
        {
            return Uri.UnescapeDataString(text);
        }
        catch (UriFormatException)
        {
            return text;
        }
    }

    private static string EmailSpellings(string text) =>
        text.Replace("[at]", "@", StringComparison.OrdinalIgnoreCase)
            .Replace("(at)", "@", StringComparison.OrdinalIgnoreCase)
            .Replace(" at ", "@", StringComparison.OrdinalIgnoreCase)
            .Replace("[dot]", ".", StringComparison.OrdinalIgnoreCase)
            .Replace("(dot)", ".", StringComparison.OrdinalIgnoreCase)
            .Replace(" dot ", ".", StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(@"data:[^,\s""]*?;base64,([A-Za-z0-9+/=_-]+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex DataUrl();

    [GeneratedRegex(@"[A-Za-z0-9+/]{12,}={0,2}", RegexOptions.CultureInvariant)]
    private static partial Regex Base64Run();

    [GeneratedRegex(@"[A-Za-z0-9_-]{12,}", RegexOptions.CultureInvariant)]
    private static partial Regex Base64UrlRun();

    [GeneratedRegex(@"[0-9A-Fa-f]{16,}", RegexOptions.CultureInvariant)]
    private static partial Regex HexRun();

    /// <summary>What every data URL, base64/base64url run (at each of the four alignments) and hex run in the text decodes to, as UTF-8.</summary>
    private static IEnumerable<string> DecodedRuns(string text)
    {
        foreach (Match m in DataUrl().Matches(text))
        {
            if (FromBase64(m.Groups[1].Value) is { } data)
            {
                yield return data;
            }
        }

        foreach (Regex run in (Regex[])[Base64Run(), Base64UrlRun()])
        {
            foreach (Match m in run.Matches(text))
            {
                string s = m.Value;
                for (int offset = 0; offset < 4 && s.Length - offset >= 12; offset++)
                {
                    if (FromBase64(s[offset..]) is { } decoded)
                    {
                        yield return decoded;
                    }
                }
            }
        }

        foreach (Match m in HexRun().Matches(text))
        {
            for (int offset = 0; offset < 2; offset++)
            {
                string s = m.Value[offset..];
                s = s[..(s.Length & ~1)];
                if (s.Length >= 16)
                {
                    yield return Encoding.UTF8.GetString(Convert.FromHexString(s));
                }
            }
        }
    }

    /// <summary>Standard or URL-safe base64, padded or not; a dangling last character is dropped. Null when it is not base64.</summary>
    private static string? FromBase64(string run)
    {
        string s = run.TrimEnd('=').Replace('-', '+').Replace('_', '/');
        if (s.Length % 4 == 1)
        {
            s = s[..^1];
        }

        s = s.PadRight(s.Length + ((4 - (s.Length % 4)) % 4), '=');
        byte[] buffer = new byte[s.Length];
        return Convert.TryFromBase64String(s, buffer, out int written) ? Encoding.UTF8.GetString(buffer, 0, written) : null;
    }
}
