using System.Buffers;
using System.Buffers.Text;

namespace Switchyard.Privacy.Detectors;

/// <summary>
/// Secrets and credentials, in three passes over the text:
/// <list type="number">
/// <item><b>Known formats</b>, found with one vectorised multi-prefix search and then checked for their exact body
/// (alphabet, length): OpenAI/Anthropic <c>sk-…</c>, Stripe <c>sk_live_…</c>/<c>rk_live_…</c>, AWS access key ids
/// (<c>AKIA…</c>, <c>ASIA…</c>), GitHub (<c>ghp_</c>, <c>gho_</c>, <c>ghu_</c>, <c>ghs_</c>, <c>ghr_</c>,
/// <c>github_pat_</c>), Slack (<c>xoxb-</c>…), Google API keys (<c>AIza…</c>), GitLab (<c>glpat-</c>), npm
/// (<c>npm_</c>), Hugging Face (<c>hf_</c>), SendGrid (<c>SG.</c>), PEM private-key blocks (BEGIN to END; a
/// truncated block to the end of its base64 body) and JWTs (three base64url parts whose header decodes to JSON with
/// an <c>"alg"</c>). Confidence <see cref="KnownFormatConfidence"/>.</item>
/// <item><b>Credentials by name</b>: the value after ':' or '=' (or "is") whose name has a segment such as
/// <c>password</c>, <c>passwd</c>, <c>secret</c>, <c>token</c>, <c>apikey</c>, <c>credential</c>,
/// <c>authorization</c>, or a pair such as <c>api_key</c>, <c>access_key</c>, <c>private_key</c> — so
/// <c>DB_PASSWORD=…</c>, <c>"client_secret": "…"</c>, <c>X-Api-Key: …</c>, <c>Authorization: Bearer …</c> and
/// "my password is …", but not <c>max_tokens: 4096</c> or <c>tokenizer: …</c>. The value must look like one: 6–200
/// characters (16+ after Bearer/Basic) of at least two kinds (lower, upper, digit, symbol) with no brackets or
/// <c>$</c> (so <c>token = getToken()</c> and <c>${API_KEY}</c> are not values). Confidence
/// <see cref="AssignedConfidence"/>.</item>
/// <item><b>High-entropy tokens</b>: runs of 20–256 base64/base64url characters with upper case, lower case and
/// digits, high Shannon entropy for their length, frequent changes of character kind and few lower-case words
/// (which identifiers, paths and prose lack). Single-case tokens — hexadecimal digests, UUIDs, commit ids, but also
/// lower-case API keys — are deliberately not reported here; named (pass 2) they are.
/// Confidence <see cref="HighEntropyConfidence"/>.</item>
/// </list>
/// </summary>
public sealed class SecretDetector : IPrivacyDetector
{
    /// <summary>Confidence of a value in a known secret format.</summary>
    public const double KnownFormatConfidence = 1.0;

    /// <summary>Confidence of a value assigned to a credential-like name.</summary>
    public const double AssignedConfidence = 0.75;

    /// <summary>Confidence of a random-looking token.</summary>
    public const double HighEntropyConfidence = 0.6;

    private const int MinTokenLength = 20;
    private const int MaxTokenLength = 256;

    private enum Body
    {
        /// <summary>[A-Za-z0-9].</summary>
        Alnum,

        /// <summary>[A-Za-z0-9_-].</summary>
        Url,

        /// <summary>[A-Z0-9].</summary>
        UpperAlnum,

        /// <summary>[A-Za-z0-9-].</summary>
        AlnumDash,

        /// <summary>[A-Za-z0-9_].</summary>
        AlnumUnderscore,
    }

    /// <summary>A prefix, the alphabet of what follows it, and the body's length range.</summary>
    private sealed record Format(string Prefix, Body Body, int MinLength, int MaxLength, bool NeedsDigit);

    private static readonly Format[] Formats =
    [
        new("sk-", Body.Url, 20, 256, true),
        new("sk_live_", Body.Alnum, 16, 128, false),
        new("sk_test_", Body.Alnum, 16, 128, false),
        new("rk_live_", Body.Alnum, 16, 128, false),
        new("rk_test_", Body.Alnum, 16, 128, false),
        new("AKIA", Body.UpperAlnum, 16, 16, false),
        new("ASIA", Body.UpperAlnum, 16, 16, false),
        new("AGPA", Body.UpperAlnum, 16, 16, false),
        new("AIDA", Body.UpperAlnum, 16, 16, false),
        new("AROA", Body.UpperAlnum, 16, 16, false),
        new("ghp_", Body.Alnum, 36, 36, false),
        new("gho_", Body.Alnum, 36, 36, false),
        new("ghu_", Body.Alnum, 36, 36, false),
        new("ghs_", Body.Alnum, 36, 36, false),
        new("ghr_", Body.Alnum, 36, 36, false),
        new("github_pat_", Body.AlnumUnderscore, 22, 255, false),
        new("xoxb-", Body.AlnumDash, 10, 255, true),
        new("xoxp-", Body.AlnumDash, 10, 255, true),
        new("xoxa-", Body.AlnumDash, 10, 255, true),
        new("xoxr-", Body.AlnumDash, 10, 255, true),
        new("xoxs-", Body.AlnumDash, 10, 255, true),
        new("xoxe-", Body.AlnumDash, 10, 255, true),
        new("AIza", Body.Url, 35, 35, false),
        new("glpat-", Body.Url, 20, 64, false),
        new("npm_", Body.Alnum, 36, 36, false),
        new("hf_", Body.Alnum, 30, 40, false),
    ];

    private static readonly SearchValues<string> Prefixes = SearchValues.Create(
        [.. Formats.Select(f => f.Prefix), "SG.", "-----BEGIN ", "eyJ"], StringComparison.Ordinal);

    /// <summary>Identifier segments that name a credential ("DB_PASSWORD", "clientSecret", "x-auth-token").</summary>
    private static readonly string[] CredentialWords =
        [
            "password", "passwd", "passwort", "passphrase", "pwd", "secret", "token", "apikey", "credential", "credentials",
            "authorization", "contraseña", "contrasena", "senha",
        ];

    /// <summary>Pairs of segments that do ("API_KEY", "X-Api-Key", "accessKey", "private_key").</summary>
    private static readonly (string First, string Second)[] CredentialPairs =
        [("api", "key"), ("access", "key"), ("auth", "key"), ("private", "key"), ("secret", "key"), ("signing", "key"), ("master", "key")];

    private static readonly SearchValues<char> Assignments = SearchValues.Create(":=");

    private static readonly SearchValues<char> Base64Chars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=");

    private static readonly SearchValues<char> HeaderNameChars =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-");

    private static readonly SearchValues<char> ValueStops = SearchValues.Create(" \t\r\n\"'`,;&");

    private static readonly SearchValues<char> NotInValues = SearchValues.Create("()[]{}<>$\\");

    /// <inheritdoc />
    public IReadOnlyList<string> DataClasses { get; } = [Privacy.DataClasses.Secret];

    /// <inheritdoc />
    public void Detect(string text, List<PrivacyFinding> findings)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(findings);

        // Each earlier pass adds findings in order of position; the last pass skips what they cover.
        Span<int> passes = stackalloc int[4];
        passes[0] = findings.Count;
        DetectKnownFormats(text, findings);
        passes[1] = findings.Count;
        DetectAssignments(text, findings, afterIs: false);
        passes[2] = findings.Count;
        DetectAssignments(text, findings, afterIs: true);
        passes[3] = findings.Count;
        DetectHighEntropy(text, findings, passes);
    }

    /// <summary>Token characters: the base64 and base64url alphabets.</summary>
    private static bool IsTokenChar(char c) => c < 128 && TokenCharTable[c] != 0;

    /// <summary>1 for A-Z a-z 0-9 + / = _ - (a lookup beats the comparisons in the per-character loop).</summary>
    private static ReadOnlySpan<byte> TokenCharTable =>
    [
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0,
        0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 1,
        0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0,
    ];

    private static bool InBody(char c, Body body) => body switch
    {
        Body.Alnum => char.IsAsciiLetterOrDigit(c),
        Body.Url => char.IsAsciiLetterOrDigit(c) || c is '_' or '-',
        Body.UpperAlnum => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c),
        Body.AlnumDash => char.IsAsciiLetterOrDigit(c) || c == '-',
        _ => char.IsAsciiLetterOrDigit(c) || c == '_',
    };

    private static void DetectKnownFormats(string text, List<PrivacyFinding> findings)
    {
        int from = 0;
        while (from < text.Length)
        {
            int p = text.AsSpan(from).IndexOfAny(Prefixes);
            if (p < 0)
            {
                return;
            }

            p += from;
            int end = MatchKnownFormat(text, p);
            if (end > p)
            {
                findings.Add(new PrivacyFinding(Privacy.DataClasses.Secret, p, end - p, KnownFormatConfidence));
                from = end;
            }
            else
            {
                from = p + 1;
            }
        }
    }

    /// <summary>The end of a known-format secret starting at <paramref name="p"/>, or -1.</summary>
    private static int MatchKnownFormat(string text, int p)
    {
        ReadOnlySpan<char> rest = text.AsSpan(p);
        if (rest.StartsWith("-----BEGIN ", StringComparison.Ordinal))
        {
            return MatchPem(text, p);
        }

        // Every other format must not be glued to a preceding word ("risk-free", "task-sk-…"); "KEY=AKIA…" is fine.
        if (p > 0 && (char.IsAsciiLetterOrDigit(text[p - 1]) || text[p - 1] is '_' or '-' or '.' or '+' or '/'))
        {
            return -1;
        }

        if (rest.StartsWith("eyJ", StringComparison.Ordinal))
        {
            return MatchJwt(text, p);
        }

        if (rest.StartsWith("SG.", StringComparison.Ordinal))
        {
            // SendGrid: SG.<22>.<43>, base64url parts.
            int a = RunEnd(text, p + 3, Body.Url);
            if (a - (p + 3) < 16 || a >= text.Length || text[a] != '.')
            {
                return -1;
            }

            int b = RunEnd(text, a + 1, Body.Url);
            return b - (a + 1) >= 16 && !DetectorText.IsWordCharAt(text, b) ? b : -1;
        }

        // The longest matching prefix wins ("sk_live_" over nothing, "github_pat_" over nothing).
        Format? best = null;
        foreach (Format f in Formats)
        {
            if (rest.StartsWith(f.Prefix, StringComparison.Ordinal) && (best is null || f.Prefix.Length > best.Prefix.Length))
            {
                best = f;
            }
        }

        if (best is null)
        {
            return -1;
        }

        int bodyStart = p + best.Prefix.Length;
        int end = RunEnd(text, bodyStart, best.Body);
        int length = end - bodyStart;
        if (length < best.MinLength || length > best.MaxLength || (end < text.Length && IsTokenChar(text[end]) && text[end] != '='))
        {
            return -1;
        }

        if (best.NeedsDigit)
        {
            ReadOnlySpan<char> body = text.AsSpan(bodyStart, length);
            if (body.IndexOfAnyInRange('0', '9') < 0 || !body.ContainsAnyExceptInRange('0', '9'))
            {
                return -1;
            }
        }

        return end;
    }

    private static int RunEnd(string text, int i, Body body)
    {
        while (i < text.Length && InBody(text[i], body))
        {
            i++;
        }

        return i;
    }

    /// <summary>A PEM block whose label names a private key: to its END line, or to the end of its base64 body.</summary>
    private static int MatchPem(string text, int p)
    {
        int labelStart = p + "-----BEGIN ".Length;
        int labelEnd = text.IndexOf("-----", labelStart, Math.Min(80, text.Length - labelStart), StringComparison.Ordinal);
        if (labelEnd < 0)
        {
            return -1;
        }

        ReadOnlySpan<char> label = text.AsSpan(labelStart, labelEnd - labelStart);
        if (!label.Contains("PRIVATE KEY", StringComparison.Ordinal))
        {
            return -1;
        }

        int bodyStart = labelEnd + 5;
        int endMarker = text.IndexOf("-----END ", bodyStart, StringComparison.Ordinal);
        if (endMarker >= 0)
        {
            int close = text.IndexOf("-----", endMarker + 9, StringComparison.Ordinal);
            if (close >= 0 && close - endMarker < 100)
            {
                return close + 5;
            }
        }

        // Truncated: the lines of base64 (and PEM headers such as "Proc-Type: 4,ENCRYPTED") that follow.
        int i = bodyStart;
        int end = bodyStart;
        bool afterHeaders = false;
        while (i < text.Length)
        {
            int nl = text.IndexOf('\n', i);
            int lineEnd = nl < 0 ? text.Length : nl;
            ReadOnlySpan<char> line = text.AsSpan(i, lineEnd - i).Trim();
            bool body = !line.IsEmpty && !line.ContainsAnyExcept(Base64Chars);
            int colon = line.IndexOf(": ", StringComparison.Ordinal);
            bool header = colon > 0 && i - bodyStart < 200 && !line[..colon].ContainsAnyExcept(HeaderNameChars);
            bool blank = line.IsEmpty && (i == bodyStart || afterHeaders);
            if (!(body || header || blank))
            {
                break;
            }

            afterHeaders = header;

            end = i + text.AsSpan(i, lineEnd - i).TrimEnd().Length;
            i = nl < 0 ? text.Length : nl + 1;
        }

        return end;
    }

    /// <summary>A JWT: header.payload.signature in base64url, the header a JSON object naming its "alg".</summary>
    private static int MatchJwt(string text, int p)
    {
        int headerEnd = RunEnd(text, p, Body.Url);
        if (headerEnd - p < 10 || headerEnd - p > 1024 || headerEnd >= text.Length || text[headerEnd] != '.')
        {
            return -1;
        }

        int payloadEnd = RunEnd(text, headerEnd + 1, Body.Url);
        if (payloadEnd - (headerEnd + 1) < 4 || payloadEnd >= text.Length || text[payloadEnd] != '.')
        {
            return -1;
        }

        int end = RunEnd(text, payloadEnd + 1, Body.Url);
        if (DetectorText.IsWordCharAt(text, end) || (end < text.Length && text[end] == '.' && DetectorText.IsWordCharAt(text, end + 1)))
        {
            return -1;
        }

        Span<byte> header = stackalloc byte[768];
        if (!Base64Url.IsValid(text.AsSpan(p, headerEnd - p))
            || Base64Url.DecodeFromChars(text.AsSpan(p, headerEnd - p), header, out _, out int written) != OperationStatus.Done)
        {
            return -1;
        }

        ReadOnlySpan<byte> json = header[..written].Trim(" \t\r\n"u8);
        return json.Length > 0 && json[0] == (byte)'{' && json.IndexOf("\"alg\""u8) >= 0 ? end : -1;
    }

    /// <summary>
    /// Values assigned to credential names: after ':' or '=', or (<paramref name="afterIs"/>) after the word "is"
    /// ("my password is …"). Either way the search is for the operator, then back for the name before it.
    /// </summary>
    private static void DetectAssignments(string text, List<PrivacyFinding> findings, bool afterIs)
    {
        int from = 0;
        while (from < text.Length)
        {
            int j = afterIs ? text.AsSpan(from).IndexOf(" is ", StringComparison.Ordinal) : text.AsSpan(from).IndexOfAny(Assignments);
            if (j < 0)
            {
                return;
            }

            j += from;
            int operatorEnd = afterIs ? j + 3 : j + 1;
            from = Math.Max(operatorEnd, TryAssignment(text, j, operatorEnd, findings));
        }
    }

    /// <summary>
    /// If the identifier before <paramref name="operatorStart"/> names a credential, reports the value after
    /// <paramref name="operatorEnd"/> when it looks like one, and returns where it ends; otherwise returns 0.
    /// </summary>
    private static int TryAssignment(string text, int operatorStart, int operatorEnd, List<PrivacyFinding> findings)
    {
        // Before the operator: spaces, a closing quote (JSON, YAML), the identifier.
        int e = operatorStart;
        while (e > 0 && text[e - 1] is ' ' or '\t')
        {
            e--;
        }

        if (e > 0 && text[e - 1] is '"' or '\'')
        {
            e--;
        }

        int s = e;
        while (s > 0 && e - s < 64 && (char.IsLetterOrDigit(text[s - 1]) || text[s - 1] is '_' or '-' or '.'))
        {
            s--;
        }

        if (s == e || !NamesCredential(text, s, e))
        {
            return 0;
        }

        // After the operator: "==", "=>", ":=", spaces, an optional scheme and an optional opening quote.
        int i = operatorEnd;
        if (i < text.Length && text[i] is '=' or '>' && text[operatorStart] != ' ')
        {
            i++;
        }

        while (i < text.Length && text[i] is ' ' or '\t')
        {
            i++;
        }

        int minLength = 6;
        if (text.AsSpan(i).StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || text.AsSpan(i).StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            i = text.IndexOf(' ', i) + 1;
            minLength = 16;
        }

        bool quoted = false;
        if (i < text.Length && text[i] is '"' or '\'' or '`')
        {
            quoted = true;
            i++;
        }

        if (i >= text.Length)
        {
            return 0;
        }

        int valueStart = i;
        int valueEnd = text.AsSpan(valueStart).IndexOfAny(ValueStops);
        valueEnd = valueEnd < 0 ? text.Length : valueStart + valueEnd;
        if (!quoted)
        {
            // Sentence punctuation after an unquoted value.
            while (valueEnd > valueStart && text[valueEnd - 1] is '.' or ':')
            {
                valueEnd--;
            }
        }

        ReadOnlySpan<char> value = text.AsSpan(valueStart, valueEnd - valueStart);
        if (value.Length < minLength || value.Length > 200 || value.ContainsAny(NotInValues) || Kinds(value) < 2)
        {
            return 0;
        }

        findings.Add(new PrivacyFinding(Privacy.DataClasses.Secret, valueStart, value.Length, AssignedConfidence));
        return valueEnd;
    }

    /// <summary>
    /// Whether the identifier text[start..end) has a segment (split at '_', '-', '.' and lower-to-upper case changes)
    /// that names a credential, or two consecutive segments that do. "max_tokens" and "tokenizer" do not.
    /// </summary>
    private static bool NamesCredential(string text, int start, int end)
    {
        ReadOnlySpan<char> previous = default;
        int s = start;
        for (int i = start; i <= end; i++)
        {
            bool boundary = i == end || text[i] is '_' or '-' or '.'
                || (i > s && char.IsUpper(text[i]) && char.IsLower(text[i - 1]));
            if (!boundary)
            {
                continue;
            }

            ReadOnlySpan<char> segment = text.AsSpan(s, i - s);
            if (!segment.IsEmpty)
            {
                foreach (string word in CredentialWords)
                {
                    if (segment.Equals(word, StringComparison.OrdinalIgnoreCase))
                    {
                        return true;
                    }
                }

                foreach ((string first, string second) in CredentialPairs)
                {
                    if (previous.Equals(first, StringComparison.OrdinalIgnoreCase) && segment.Equals(second, StringComparison.OrdinalIgnoreCase))
                    {
                        return true;
                    }
                }

                // "mot de passe", spaces and all.
                if (segment.Equals("passe", StringComparison.OrdinalIgnoreCase) && start >= 7
                    && text.AsSpan(start - 7, 7).Equals("mot de ", StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }

                previous = segment;
            }

            s = i < end && text[i] is '_' or '-' or '.' ? i + 1 : i;
        }

        return false;
    }

    /// <summary>How many of lower case, upper case, digits and other characters occur.</summary>
    private static int Kinds(ReadOnlySpan<char> value)
    {
        bool lower = false, upper = false, digit = false, other = false;
        foreach (char c in value)
        {
            if (char.IsLower(c))
            {
                lower = true;
            }
            else if (char.IsUpper(c))
            {
                upper = true;
            }
            else if (char.IsDigit(c))
            {
                digit = true;
            }
            else
            {
                other = true;
            }
        }

        return (lower ? 1 : 0) + (upper ? 1 : 0) + (digit ? 1 : 0) + (other ? 1 : 0);
    }

    private static void DetectHighEntropy(string text, List<PrivacyFinding> findings, ReadOnlySpan<int> passes)
    {
        // One cursor per earlier pass (each pass's findings are in order of position): runs they cover are skipped.
        Span<int> cursor = stackalloc int[passes.Length - 1];
        for (int p = 0; p < cursor.Length; p++)
        {
            cursor[p] = passes[p];
        }

        int i = 0;
        while (i < text.Length)
        {
            if (!IsTokenChar(text[i]))
            {
                i++;
                continue;
            }

            int start = i;
            while (i < text.Length && IsTokenChar(text[i]))
            {
                i++;
            }

            if (i - start < MinTokenLength)
            {
                continue;
            }

            if (Covered(findings, passes, cursor, start, i))
            {
                continue;
            }

            // Glued to other text ("name@domain", "file.ext", non-ASCII letters) it is not a free-standing token.
            if ((start > 0 && (DetectorText.IsWordChar(text[start - 1]) || text[start - 1] is '@' or '.'))
                || (i < text.Length && (DetectorText.IsWordChar(text[i]) || text[i] == '@' || (text[i] == '.' && DetectorText.IsWordCharAt(text, i + 1)))))
            {
                continue;
            }

            int s = start;
            int e = i;
            while (e > s && text[e - 1] is '=' or '-' or '_' or '/' or '+')
            {
                e--;
            }

            while (s < e && text[s] is '-' or '_' or '/' or '+')
            {
                s++;
            }

            if (e - s >= MinTokenLength && e - s <= MaxTokenLength && LooksRandom(text.AsSpan(s, e - s)))
            {
                findings.Add(new PrivacyFinding(Privacy.DataClasses.Secret, s, e - s, HighEntropyConfidence));
            }
        }
    }

    /// <summary>Whether a finding of an earlier pass overlaps [start, end); moves the cursors past findings before start.</summary>
    private static bool Covered(List<PrivacyFinding> findings, ReadOnlySpan<int> passes, Span<int> cursor, int start, int end)
    {
        for (int p = 0; p < cursor.Length; p++)
        {
            while (cursor[p] < passes[p + 1] && findings[cursor[p]].End <= start)
            {
                cursor[p]++;
            }

            if (cursor[p] < passes[p + 1] && findings[cursor[p]].Start < end)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Upper case, lower case and digits; Shannon entropy close to the most a string of this length can have; the
    /// kind of character (upper, lower, digit, symbol) changing often; and few lower-case runs of three or more
    /// letters — as in random strings, and seldom in identifiers ("Utf8JsonWriterOptions"), paths and words.
    /// </summary>
    internal static bool LooksRandom(ReadOnlySpan<char> token)
    {
        Span<byte> counts = stackalloc byte[128];
        counts.Clear();
        bool lower = false, upper = false, digit = false;
        int switches = 0;
        int previousKind = -1;
        int lowerRun = 0;
        int inWords = 0; // characters in runs of three or more lower-case letters: the words of identifiers
        foreach (char c in token)
        {
            int kind = char.IsAsciiLetterLower(c) ? 0 : char.IsAsciiLetterUpper(c) ? 1 : char.IsAsciiDigit(c) ? 2 : 3;
            lower |= kind == 0;
            upper |= kind == 1;
            digit |= kind == 2;
            if (previousKind >= 0 && kind != previousKind)
            {
                switches++;
            }

            lowerRun = kind == 0 ? lowerRun + 1 : 0;
            inWords += lowerRun == 3 ? 3 : lowerRun > 3 ? 1 : 0;
            previousKind = kind;
            if (counts[c] < byte.MaxValue)
            {
                counts[c]++;
            }
        }

        if (!(lower && upper && digit) || inWords > 0.4 * token.Length)
        {
            return false;
        }

        double entropy = 0;
        double n = token.Length;
        foreach (byte count in counts)
        {
            if (count > 0)
            {
                double p = count / n;
                entropy -= p * Math.Log2(p);
            }
        }

        double ceiling = Math.Log2(Math.Min(n, 64));
        return entropy >= 0.8 * ceiling && switches >= 0.4 * (n - 1);
    }
}
