using System.Net;
using System.Text.Json;
using Switchyard.Testing;
using Switchyard.Tests.Infrastructure;

namespace Switchyard.Tests.Gateway;

/// <summary>
/// llama.cpp / vLLM sampling fields on Chat Completions (<c>top_k</c>, <c>min_p</c>, <c>repetition_penalty</c>): passed to
/// OpenAI-compatible servers, dropped for OpenAI (which refuses them), validated like every other field.
/// </summary>
public sealed class NativeSamplingFieldsTests : GatewayTestBase
{
    [Fact]
    public async Task CompatibleServerGetsThem_OpenAIDoesNot()
    {
        const string Fields = "\"top_k\":20,\"min_p\":0.05,\"repetition_penalty\":1.1";
        using (var compatible = await Gateway.PostChatAsync($$"""{"model":"local",{{Fields}},"messages":[{"role":"user","content":"hi"}]}"""))
        {
            Assert.Equal(HttpStatusCode.OK, compatible.StatusCode);
        }

        using (var openai = await Gateway.PostChatAsync($$"""{"model":"backup",{{Fields}},"messages":[{"role":"user","content":"hi"}]}"""))
        {
            Assert.Equal(HttpStatusCode.OK, openai.StatusCode);
        }

        using var toCompatible = JsonDocument.Parse(Upstream.Requests.Single(r => r.Model == "local-up").Body);
        Assert.Equal(20, toCompatible.RootElement.GetProperty("top_k").GetInt32());
        Assert.Equal(0.05, toCompatible.RootElement.GetProperty("min_p").GetDouble(), 5);
        Assert.Equal(1.1, toCompatible.RootElement.GetProperty("repetition_penalty").GetDouble(), 5);
        using var toOpenAI = JsonDocument.Parse(Upstream.Requests.Single(r => r.Model == "backup-up").Body);
        foreach (var field in new[] { "top_k", "min_p", "repetition_penalty" })
        {
            Assert.False(toOpenAI.RootElement.TryGetProperty(field, out _), field + " reached OpenAI");
        }
    }

    [Theory]
    [InlineData("\"top_k\":-1", "top_k")]
    [InlineData("\"top_k\":\"ten\"", "top_k")]
    [InlineData("\"min_p\":1.5", "min_p")]
    [InlineData("\"repetition_penalty\":0", "repetition_penalty")]
    public async Task BadValues_Are400NamingTheField(string field, string param)
    {
        using var response = await Gateway.PostChatAsync($$"""{"model":"local",{{field}},"messages":[{"role":"user","content":"hi"}]}""");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(param, doc.RootElement.GetProperty("error").GetProperty("param").GetString());
        Assert.Empty(Upstream.Requests);
    }
}
