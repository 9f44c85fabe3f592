using System.Text;
using System.Text.Json;

namespace Switchyard.Privacy.Egress;

/// <summary>
/// Defence in depth behind the privacy guard: scans the exact payload a provider client built (JSON as it will go on the
/// wire: every string value and property name, each alone and all joined in order, text data URLs decoded) just before
/// it is sent to a zone outside the boundary, and stops the attempt when it holds a value the policy keeps from that
/// zone. The guard decides the zones from the request; this check proves nothing slipped past it — a field the guard
/// does not know, a provider client that adds text of its own. Thread-safe.
/// </summary>
public sealed class EgressInspector
{
    private readonly PrivacyScanner _scanner;
    private readonly PrivacyPolicy _policy;

    /// <summary>Creates the inspector.</summary>
    /// <param name="scanner">The detectors payloads are scanned with: the guard's own, since texts passed as <c>scannedClean</c> are skipped on the strength of its scan.</param>
    /// <param name="policy">Classes to zones, and which zones are inside the boundary.</param>
    public EgressInspector(PrivacyScanner scanner, PrivacyPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(scanner);
        ArgumentNullException.ThrowIfNull(policy);
        _scanner = scanner;
        _policy = policy;
    }

    /// <summary>Whether <paramref name="zone"/> is inside the boundary (nothing to check).</summary>
    public bool IsInside(string zone) => _policy.InsideZones.Contains(zone, StringComparer.OrdinalIgnoreCase);

    /// <summary>Throws <see cref="PrivacyEgressException"/> when <paramref name="payload"/> holds a value the policy keeps from <paramref name="zone"/>.</summary>
    /// <param name="payload">The request body about to be sent.</param>
    /// <param name="zone">The zone it goes to.</param>
    /// <param name="scannedClean">
    /// Texts this request's guard already scanned with this scanner and found nothing in: read again only in the
    /// joined reading (the same scanner finds the same nothing in the same string), so a hosted request is not scanned
    /// twice. Null: scan everything.
    /// </param>
    public void Check(ReadOnlyMemory<byte> payload, string zone, IReadOnlySet<string>? scannedClean = null)
    {
        ArgumentNullException.ThrowIfNull(zone);
        if (IsInside(zone))
        {
            return;
        }

        List<PrivacyLocation> findings = Inspect(payload, scannedClean);
        if (findings.Count == 0)
        {
            return;
        }

        var blocked = new List<PrivacyLocation>();
        var verdicts = new Dictionary<string, bool>(StringComparer.Ordinal);
        foreach (PrivacyLocation finding in findings)
        {
            if (!verdicts.TryGetValue(finding.DataClass, out bool allowed))
            {
                allowed = _policy.Decide(new Dictionary<string, int>(StringComparer.Ordinal) { [finding.DataClass] = 1 }).Allows(zone);
                verdicts[finding.DataClass] = allowed;
            }

            if (!allowed)
            {
                blocked.Add(finding);
            }
        }

        if (blocked.Count > 0)
        {
            throw new PrivacyEgressException(zone, blocked);
        }
    }

    /// <summary>Every finding in the payload with its JSON path (<c>$.messages[1].content</c>).</summary>
    public List<PrivacyLocation> Inspect(ReadOnlyMemory<byte> payload, IReadOnlySet<string>? scannedClean = null)
    {
        var walk = new Walk(_scanner, scannedClean);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(payload, new JsonDocumentOptions { MaxDepth = 256 });
        }
        catch (JsonException)
        {
            // Not JSON: scan it as text, whole.
            walk.Text("$", Encoding.UTF8.GetString(payload.Span));
            return walk.Findings;
        }

        using (document)
        {
            walk.Element(document.RootElement, "$");
        }

        walk.Joined();
        return walk.Findings;
    }

    private sealed class Walk(PrivacyScanner scanner, IReadOnlySet<string>? scannedClean)
    {
        private readonly StringBuilder _joined = new();
        private readonly List<int> _starts = [];
        private readonly List<string> _paths = [];
        private readonly HashSet<string> _shadowed = new(StringComparer.Ordinal);

        public List<PrivacyLocation> Findings { get; } = [];

        public void Element(JsonElement element, string path)
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    Object(element, path);
                    break;
                case JsonValueKind.Array:
                    int k = 0;
                    foreach (JsonElement item in element.EnumerateArray())
                    {
                        Element(item, $"{path}[{k++}]");
                    }

                    break;
                case JsonValueKind.String:
                    String(element.GetString()!, path);
                    break;
                case JsonValueKind.Number:
                    Text(path, element.GetRawText());
                    break;
            }
        }

        private void Object(JsonElement element, string path)
        {
            // Media whose bytes are not text: Anthropic's {"type":"base64","media_type":…,"data":…} and URL sources, the
            // OpenAI "image_url" part, an "input_audio" part. Their text (media type, URL) is still scanned.
            string? type = element.TryGetProperty("type", out JsonElement t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            string? mediaType = element.TryGetProperty("media_type", out JsonElement m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            foreach (JsonProperty property in element.EnumerateObject())
            {
                string child = $"{path}.{property.Name}";
                Text(child + " (name)", property.Name);
                if (property.Value.ValueKind == JsonValueKind.String)
                {
                    string value = property.Value.GetString()!;
                    if (property.Name == "data" && type == "base64" && mediaType is not null)
                    {
                        if (OutboundTexts.IsTextMediaType(mediaType) && TryBase64(value) is { } decoded)
                        {
                            Text(child, decoded);
                        }
                        else
                        {
                            Uninspectable(child);
                        }

                        continue;
                    }

                    if (property.Name == "url" && (type is "url" or "image_url" or "input_image" or "image" or "document" || path.EndsWith(".image_url", StringComparison.Ordinal)))
                    {
                        String(value, child);
                        if (!value.StartsWith("data:", StringComparison.OrdinalIgnoreCase))
                        {
                            Uninspectable(child);
                        }

                        continue;
                    }

                    if (property.Name == "data" && path.EndsWith(".input_audio", StringComparison.Ordinal))
                    {
                        Uninspectable(child);
                        continue;
                    }
                }

                Element(property.Value, child);
            }
        }

        private void String(string value, string path)
        {
            if (value.StartsWith("data:", StringComparison.OrdinalIgnoreCase) && DataUrl(value) is var (media, bytes))
            {
                if (OutboundTexts.IsTextMediaType(media) && bytes is not null)
                {
                    Text(path, OutboundTexts.DecodeText(bytes));
                }
                else
                {
                    Uninspectable(path);
                }

                return;
            }

            Text(path, value);
        }

        public void Text(string path, string text)
        {
            if (text.Length == 0)
            {
                return;
            }

            _shadowed.Clear();
            IReadOnlyList<PrivacyFinding> findings;
            try
            {
                findings = scannedClean is not null && scannedClean.Contains(text) ? [] : scanner.Scan(text, _shadowed);
                if (OpaqueTokens.IsOpaquePath(path))
                {
                    findings = OpaqueTokens.Filter(findings);
                }
            }
            catch (System.Text.RegularExpressions.RegexMatchTimeoutException)
            {
                Findings.Add(new PrivacyLocation(PrivacyGuardChatClient.UnscannedClass, path));
                return;
            }

            foreach (PrivacyFinding finding in findings)
            {
                Findings.Add(new PrivacyLocation(finding.DataClass, path));
            }

            foreach (string dataClass in _shadowed)
            {
                Findings.Add(new PrivacyLocation(dataClass, path));
            }

            if (IsMessageText(path))
            {
                if (_joined.Length > 0)
                {
                    _joined.Append('\n');
                }

                _starts.Add(_joined.Length);
                _paths.Add(path);
                _joined.Append(text);
            }
        }

        /// <summary>
        /// Values joined for the across-parts reading: message text in the OpenAI and Anthropic wires (content, text parts,
        /// tool-call arguments and inputs, thinking), as the guard joins them; not roles, ids, model names or schemas.
        /// </summary>
        private static bool IsMessageText(string path) =>
            path.StartsWith("$.messages[", StringComparison.Ordinal) && !path.EndsWith(" (name)", StringComparison.Ordinal)
            && (path.EndsWith(".content", StringComparison.Ordinal) || path.EndsWith(".text", StringComparison.Ordinal)
                || path.EndsWith(".arguments", StringComparison.Ordinal) || path.EndsWith(".thinking", StringComparison.Ordinal)
                || path.Contains(".input", StringComparison.Ordinal));

        private void Uninspectable(string path) => Findings.Add(new PrivacyLocation(DataClasses.Uninspectable, path));

        /// <summary>Findings of all string values joined in order that span two or more of them.</summary>
        public void Joined()
        {
            if (_starts.Count < 2)
            {
                return;
            }

            IReadOnlyList<PrivacyFinding> findings;
            try
            {
                findings = scanner.Scan(_joined.ToString());
            }
            catch (System.Text.RegularExpressions.RegexMatchTimeoutException)
            {
                Findings.Add(new PrivacyLocation(PrivacyGuardChatClient.UnscannedClass, "$"));
                return;
            }

            foreach (PrivacyFinding finding in findings)
            {
                int first = PieceAt(finding.Start);
                int last = PieceAt(finding.End - 1);
                if (first != last)
                {
                    Findings.Add(new PrivacyLocation(finding.DataClass, $"{_paths[first]} … {_paths[last]}"));
                }
            }
        }

        private int PieceAt(int offset)
        {
            int index = _starts.BinarySearch(offset);
            return index >= 0 ? index : ~index - 1;
        }

        /// <summary>The media type and bytes of a data URL (bytes null when it is malformed).</summary>
        private static (string MediaType, byte[]? Bytes)? DataUrl(string url)
        {
            int comma = url.IndexOf(',', StringComparison.Ordinal);
            if (comma < 0)
            {
                return null;
            }

            string header = url[5..comma];
            bool base64 = header.EndsWith(";base64", StringComparison.OrdinalIgnoreCase);
            string media = base64 ? header[..^7] : header;
            string data = url[(comma + 1)..];
            byte[]? bytes;
            if (base64)
            {
                bytes = TryBase64Bytes(data);
            }
            else
            {
                bytes = Encoding.UTF8.GetBytes(Uri.UnescapeDataString(data));
            }

            return (media.Length == 0 ? "text/plain" : media, bytes);
        }

        private static string? TryBase64(string value) => TryBase64Bytes(value) is { } bytes ? Encoding.UTF8.GetString(bytes) : null;

        private static byte[]? TryBase64Bytes(string value)
        {
            try
            {
                return Convert.FromBase64String(value);
            }
            catch (FormatException)
            {
                return null;
            }
        }
    }
}
