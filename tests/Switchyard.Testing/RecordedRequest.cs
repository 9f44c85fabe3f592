namespace Switchyard.Testing;

/// <summary>
/// One HTTP request received by <see cref="FakeUpstream"/>, captured before any behaviour ran.
/// </summary>
/// <param name="Path">The request path, for example <c>/v1/chat/completions</c> or <c>/v1/messages</c>.</param>
/// <param name="Model">The <c>model</c> property of the JSON body, or an empty string when there is none.</param>
/// <param name="Stream">Whether the JSON body asked for a streamed reply (<c>"stream": true</c>).</param>
/// <param name="Body">The raw request body, decoded as UTF-8.</param>
/// <param name="Headers">
/// The request headers (case-insensitive names; repeated values joined with a comma), including
/// <c>Authorization</c>, <c>x-api-key</c> and <c>anthropic-version</c> when the client sent them.
/// </param>
public sealed record RecordedRequest(
    string Path,
    string Model,
    bool Stream,
    string Body,
    IReadOnlyDictionary<string, string> Headers);
