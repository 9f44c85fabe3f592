using Microsoft.Extensions.AI;
using Switchyard.Routing;

namespace Switchyard.Privacy;

/// <summary>
/// Scans every request (all messages: system, earlier turns, tool calls and tool results) before it is routed,
/// adds the data classes the caller declared, and attaches the policy's <see cref="PrivacyDecision"/> to the
/// request's <see cref="RequestTrace"/>; the router then removes every candidate outside the allowed zones before it
/// tries any. Values found are never stored or logged: only their classes and counts.
/// </summary>
public sealed class PrivacyGuardChatClient : DelegatingChatClient
{
    /// <summary>
    /// Key in <see cref="ChatOptions.AdditionalProperties"/> for data classes the caller declares (a string,
    /// comma-separated, or a sequence of strings); the gateway fills it from the <c>x-switchyard-data-class</c> header.
    /// </summary>
    public const string DeclaredClassesKey = "switchyard.data_class";

    /// <summary>The class recorded for text a detector could not finish scanning (a custom pattern timed out).</summary>
    public const string UnscannedClass = "unscanned";

    private readonly PrivacyScanner _scanner;
    private readonly PrivacyPolicy _policy;
    private readonly Dictionary<string, IReadOnlyList<string>> _declaredByName;

    /// <param name="innerClient">The router (or any client) to guard.</param>
    /// <param name="scanner">The detectors.</param>
    /// <param name="policy">Classes to zones.</param>
    /// <param name="declaredByName">Data classes every request to a route or model carries, by requested name (case-insensitive).</param>
    public PrivacyGuardChatClient(IChatClient innerClient, PrivacyScanner scanner, PrivacyPolicy policy, IReadOnlyDictionary<string, IReadOnlyList<string>>? declaredByName = null)
        : base(innerClient)
    {
        ArgumentNullException.ThrowIfNull(scanner);
        ArgumentNullException.ThrowIfNull(policy);
        _scanner = scanner;
        _policy = policy;
        _declaredByName = declaredByName is null
            ? new Dictionary<string, IReadOnlyList<string>>()
            : new Dictionary<string, IReadOnlyList<string>>(declaredByName, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Scans the request, attaches the privacy decision to its <see cref="RequestTrace"/>, then passes it to the inner client.</summary>
    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var list = messages as IList<ChatMessage> ?? [.. messages];
        options = Guard(list, options);
        return base.GetResponseAsync(list, options, cancellationToken);
    }

    /// <summary>Scans the request, attaches the privacy decision to its <see cref="RequestTrace"/>, then streams it from the inner client.</summary>
    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var list = messages as IList<ChatMessage> ?? [.. messages];
        options = Guard(list, options);
        return base.GetStreamingResponseAsync(list, options, cancellationToken);
    }

    /// <summary>The classes found in <paramref name="messages"/> and <paramref name="options"/> plus those declared, with counts.</summary>
    public Dictionary<string, int> Classify(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return Inspect(messages, options, [.. Declared(options)]).Classes;
    }

    /// <summary>
    /// Scans every text of the request (<see cref="OutboundTexts"/>): each field alone, then the messages' texts joined in
    /// order (one line break between them), so a value split across two content parts or two messages is found too (only findings that cross a
    /// boundary count from the joined reading). Content the gateway cannot read is class
    /// <see cref="DataClasses.Uninspectable"/>.
    /// </summary>
    internal RequestFindings Inspect(IEnumerable<ChatMessage> messages, ChatOptions? options, List<string> declaredClasses)
    {
        var result = new RequestFindings();
        List<OutboundText> texts = OutboundTexts.Collect(messages, options);
        var shadowed = new HashSet<string>(StringComparer.Ordinal);
        int messageTexts = 0;
        foreach (OutboundText text in texts)
        {
            if (!text.Inspectable)
            {
                result.Add(DataClasses.Uninspectable, text.Path, pseudonymizable: false);
                continue;
            }

            messageTexts += text.Message >= 0 && text.Pseudonymizable ? 1 : 0;
            IReadOnlyList<PrivacyFinding> findings;
            try
            {
                shadowed.Clear();
                findings = _scanner.Scan(text.Text, shadowed);
                if (text.Opaque)
                {
                    findings = OpaqueTokens.Filter(findings);
                }
            }
            catch (System.Text.RegularExpressions.RegexMatchTimeoutException)
            {
                // A custom pattern ran out of time: the text may hold anything, so fail closed.
                result.Add(UnscannedClass, text.Path, pseudonymizable: false);
                continue;
            }

            if (findings.Count == 0 && shadowed.Count == 0)
            {
                result.Clean.Add(text.Text);
            }

            foreach (PrivacyFinding finding in findings)
            {
                result.Add(finding.DataClass, text.Path, text.Pseudonymizable);
            }

            foreach (string dataClass in shadowed)
            {
                result.Add(dataClass, text.Path, pseudonymizable: false);
            }
        }

        if (messageTexts > 1)
        {
            ScanJoined(texts, result);
        }

        foreach (var declared in declaredClasses)
        {
            result.Add(declared, null, pseudonymizable: false);
        }

        return result;
    }

    /// <summary>The messages' texts joined by line breaks; findings that span two or more texts.</summary>
    private void ScanJoined(List<OutboundText> texts, RequestFindings result)
    {
        var joined = new System.Text.StringBuilder();
        var starts = new List<int>();
        var paths = new List<string>();
        foreach (OutboundText text in texts)
        {
            // Message text as the provider reads it (content, reasoning, argument values, results), not names and ids.
            if (text.Inspectable && text.Message >= 0 && text.Pseudonymizable)
            {
                if (joined.Length > 0)
                {
                    joined.Append('\n'); // a line break: the scanner reads values broken across one
                }

                starts.Add(joined.Length);
                paths.Add(text.Path);
                joined.Append(text.Text);
            }
        }

        IReadOnlyList<PrivacyFinding> findings;
        try
        {
            findings = _scanner.Scan(joined.ToString());
        }
        catch (System.Text.RegularExpressions.RegexMatchTimeoutException)
        {
            result.Add(UnscannedClass, "messages", pseudonymizable: false);
            return;
        }

        foreach (PrivacyFinding finding in findings)
        {
            int first = PieceAt(starts, finding.Start);
            int last = PieceAt(starts, finding.End - 1);
            if (first != last)
            {
                result.Add(finding.DataClass, $"{paths[first]} … {paths[last]}", pseudonymizable: false);
            }
        }
    }

    private static int PieceAt(List<int> starts, int offset)
    {
        int index = starts.BinarySearch(offset);
        return index >= 0 ? index : ~index - 1;
    }

    private ChatOptions Guard(IList<ChatMessage> messages, ChatOptions? options)
    {
        options ??= new ChatOptions();
        var trace = RequestTrace.Get(options);
        if (trace is null)
        {
            trace = new RequestTrace(Guid.NewGuid().ToString("N"));
            trace.AttachTo(options);
        }

        List<string> declared = [.. Declared(options)];
        RequestFindings found = Inspect(messages, options, declared);
        var decision = _policy.Decide(found.Classes, found.NotPseudonymizable);
        trace.Privacy = found.Locations.Count == 0 ? decision : decision with { Locations = found.Locations };
        trace.PrivacyScannedClean = found.Clean;

        // The caller id comes from the request's `user`: a value found there must not land in the ledger either.
        if (trace.Caller is not null && found.Locations.FirstOrDefault(l => l.Path == "user") is { } inUser)
        {
            trace.Caller = $"[{inUser.DataClass}]";
        }
        trace.PrivacyScanner = _scanner;
        return options;
    }

    private IEnumerable<string> Declared(ChatOptions? options)
    {
        object? value = null;
        _ = options?.AdditionalProperties?.TryGetValue(DeclaredClassesKey, out value);
        IEnumerable<string> raw = value switch
        {
            string s => s.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            IEnumerable<string> many => many,
            _ => [],
        };
        if (options?.ModelId is { } requested && _declaredByName.TryGetValue(requested, out var byName))
        {
            raw = raw.Concat(byName);
        }

        // Classes declared on the API key travel with every request made with it.
        if (RequestTrace.Get(options)?.Principal is { DataClasses.Count: > 0 } principal)
        {
            raw = raw.Concat(principal.DataClasses);
        }

        foreach (var name in raw.Select(n => n.Trim().ToLowerInvariant()).Where(n => n.Length > 0).Distinct())
        {
            yield return name;
        }
    }
}
