using System.Text.Json;
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

    public override Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var list = messages as IList<ChatMessage> ?? [.. messages];
        options = Guard(list, options);
        return base.GetResponseAsync(list, options, cancellationToken);
    }

    public override IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var list = messages as IList<ChatMessage> ?? [.. messages];
        options = Guard(list, options);
        return base.GetStreamingResponseAsync(list, options, cancellationToken);
    }

    /// <summary>The classes found in <paramref name="messages"/> plus those declared in <paramref name="options"/>, with counts.</summary>
    public Dictionary<string, int> Classify(IEnumerable<ChatMessage> messages, ChatOptions? options)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return Classify(messages, [.. Declared(options)]);
    }

    private Dictionary<string, int> Classify(IEnumerable<ChatMessage> messages, List<string> declaredClasses)
    {
        var classes = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var message in messages)
        {
            foreach (var content in message.Contents)
            {
                foreach (var text in TextsOf(content))
                {
                    IReadOnlyList<PrivacyFinding> findings;
                    try
                    {
                        findings = _scanner.Scan(text);
                    }
                    catch (System.Text.RegularExpressions.RegexMatchTimeoutException)
                    {
                        // A custom pattern ran out of time: the text may hold anything, so fail closed.
                        classes[UnscannedClass] = classes.GetValueOrDefault(UnscannedClass) + 1;
                        continue;
                    }

                    foreach (var finding in findings)
                    {
                        classes[finding.DataClass] = classes.GetValueOrDefault(finding.DataClass) + 1;
                    }
                }
            }
        }

        foreach (var declared in declaredClasses)
        {
            classes[declared] = classes.GetValueOrDefault(declared) + 1;
        }

        return classes;
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
        trace.Privacy = _policy.Decide(Classify(messages, declared), declared);
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

        foreach (var name in raw.Select(n => n.Trim().ToLowerInvariant()).Where(n => n.Length > 0).Distinct())
        {
            yield return name;
        }
    }

    /// <summary>Every piece of text a content carries that could reach a provider.</summary>
    private static IEnumerable<string> TextsOf(AIContent content)
    {
        switch (content)
        {
            case TextContent t when !string.IsNullOrEmpty(t.Text):
                yield return t.Text;
                break;
            case TextReasoningContent r when !string.IsNullOrEmpty(r.Text):
                yield return r.Text;
                break;
            case FunctionCallContent call when call.Arguments is { } args:
                foreach (var value in args.Values)
                {
                    foreach (var text in TextsOfValue(value))
                    {
                        yield return text;
                    }
                }

                break;
            case FunctionResultContent result:
                foreach (var text in TextsOfValue(result.Result))
                {
                    yield return text;
                }

                break;
        }
    }

    private static IEnumerable<string> TextsOfValue(object? value) => value switch
    {
        null => [],
        string s => [s],
        JsonElement e => [e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText()],
        IEnumerable<AIContent> contents => contents.SelectMany(TextsOf),
        _ => [Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? string.Empty],
    };
}
