using System.Net.Http.Headers;
using System.Text.Json;
using Switchyard.Testing;
using Switchyard.Tests.Infrastructure;

namespace Switchyard.Tests.Gateway;

/// <summary>
/// Errors from an Anthropic upstream reach the client as that upstream meant them: 529 <c>overloaded_error</c> is passed
/// on as 529 to Messages clients (503 in OpenAI's formats, which have no 529), and a 429's <c>Retry-After</c> — which the
/// Anthropic SDK's exceptions do not carry — is passed on in both formats.
/// </summary>
public sealed class AnthropicUpstreamErrorTests : GatewayTestBase
{
    private async Task<(int Status, JsonDocument Body, HttpResponseHeaders Headers)> PostAsync(string path, string body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await Gateway.Http.SendAsync(request);
        return ((int)response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()), response.Headers);
    }

    [Fact]
    public async Task Upstream529_IsA529OverloadedErrorForMessages_AndA503ForChatCompletions()
    {
        Upstream.DefaultBehavior = FakeBehavior.Status(529, "Overloaded");
        var (status, body, _) = await PostAsync("v1/messages", """{"model":"claude","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}""");
        Assert.Equal(529, status);
        Assert.Equal("overloaded_error", body.RootElement.GetProperty("error").GetProperty("type").GetString());

        (status, body, _) = await PostAsync("v1/chat/completions", """{"model":"claude","messages":[{"role":"user","content":"hi"}]}""");
        Assert.Equal(503, status);
        Assert.Equal("upstream_overloaded", body.RootElement.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public async Task Upstream429RetryAfter_IsPassedOn_InBothFormats()
    {
        Upstream.DefaultBehavior = FakeBehavior.Status(429, "Slow down", TimeSpan.FromSeconds(7));
        var (status, body, headers) = await PostAsync("v1/messages", """{"model":"claude","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}""");
        Assert.Equal(429, status);
        Assert.Equal("rate_limit_error", body.RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal(TimeSpan.FromSeconds(7), headers.RetryAfter?.Delta);

        (status, _, headers) = await PostAsync("v1/chat/completions", """{"model":"claude","messages":[{"role":"user","content":"hi"}]}""");
        Assert.Equal(429, status);
        Assert.Equal(TimeSpan.FromSeconds(7), headers.RetryAfter?.Delta);
    }
}
