using System.Net.Http.Headers;
using Switchyard.Testing;
using Switchyard.Tests.Infrastructure;

namespace Switchyard.Tests.Privacy;

/// <summary>
/// The privacy boundary holds for the Anthropic Messages and OpenAI Responses bodies too: a value the scanner detects,
/// in any position those formats have, never reaches a hosted upstream (the default policy keeps e-mail addresses in
/// zone <c>self</c>; <c>claude</c> is in zone <c>us</c>).
/// </summary>
public sealed class WireFormatBoundaryTests : GatewayTestBase
{
    private const string Email = "jane.doe@example.com";

    public static TheoryData<string, string> Bodies() => new()
    {
        { "v1/messages", $$$"""{"model":"claude","max_tokens":10,"messages":[{"role":"user","content":"write to {{{Email}}}"}]}""" },
        { "v1/messages", $$$"""{"model":"claude","max_tokens":10,"system":"reply to {{{Email}}}","messages":[{"role":"user","content":"hi"}]}""" },
        { "v1/messages", $$$"""{"model":"claude","max_tokens":10,"system":[{"type":"text","text":"cc {{{Email}}}"}],"messages":[{"role":"user","content":"hi"}]}""" },
        { "v1/messages", $$$"""{"model":"claude","max_tokens":10,"messages":[{"role":"user","content":"who?"},{"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"lookup","input":{"q":"{{{Email}}}"}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"ok"}]}]}""" },
        { "v1/messages", $$$"""{"model":"claude","max_tokens":10,"messages":[{"role":"user","content":"who?"},{"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"lookup","input":{}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":[{"type":"text","text":"found {{{Email}}}"}]}]}]}""" },
        { "v1/messages", $$$"""{"model":"claude","max_tokens":10,"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":[{"type":"thinking","thinking":"the user is {{{Email}}}","signature":"sig"},{"type":"text","text":"hello"}]},{"role":"user","content":"go on"}]}""" },
        { "v1/responses", $$$"""{"model":"claude","input":"write to {{{Email}}}"}""" },
        { "v1/responses", $$$"""{"model":"claude","instructions":"reply to {{{Email}}}","input":"hi"}""" },
        { "v1/responses", $$$"""{"model":"claude","input":[{"role":"user","content":"who?"},{"type":"function_call","call_id":"c1","name":"lookup","arguments":"{\"q\":\"{{{Email}}}\"}"},{"type":"function_call_output","call_id":"c1","output":"ok"}]}""" },
        { "v1/responses", $$$"""{"model":"claude","input":[{"role":"user","content":"who?"},{"type":"function_call","call_id":"c1","name":"lookup","arguments":"{}"},{"type":"function_call_output","call_id":"c1","output":"found {{{Email}}}"}]}""" },
    };

    [Theory]
    [MemberData(nameof(Bodies))]
    public async Task DetectedValue_InAnyPosition_NeverReachesAHostedUpstream(string path, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await Gateway.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == 503, $"{(int)response.StatusCode}: {text}");
        Assert.DoesNotContain(Upstream.Requests, r => r.Body.Contains(Email, StringComparison.Ordinal));
        Assert.Empty(Upstream.Requests);
    }
}
