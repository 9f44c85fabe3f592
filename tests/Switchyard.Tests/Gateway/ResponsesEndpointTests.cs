using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using OpenAI.Responses;
using Switchyard.Testing;
using Switchyard.Tests.Infrastructure;

namespace Switchyard.Tests.Gateway;

/// <summary><c>POST /v1/responses</c> driven by the official OpenAI .NET SDK's ResponsesClient, served by an OpenAI-compatible and an Anthropic upstream.</summary>
public sealed class ResponsesEndpointTests : GatewayTestBase
{
    private ResponsesClient Sdk() =>
        new(new System.ClientModel.ApiKeyCredential("client-key"), new ResponsesClientOptions { Endpoint = Gateway.OpenAIBaseUri, RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(0) });

    [Theory]
    [InlineData("local")]
    [InlineData("claude")]
    public async Task Plain_ThroughTheOpenAISdk(string model)
    {
        Upstream.DefaultBehavior = FakeBehavior.Text("Hello from upstream", new FakeUsage(12, 4));
        var options = new CreateResponseOptions(model, [ResponseItem.CreateUserMessageItem("hi")]) { StoredOutputEnabled = false, Instructions = "be brief" };
        ResponseResult result = await Sdk().CreateResponseAsync(options);
        Assert.Equal("Hello from upstream", result.GetOutputText());
        Assert.Equal(4, result.Usage.OutputTokenCount);
        Assert.StartsWith("resp_", result.Id, StringComparison.Ordinal);
        var row = Assert.Single(await Gateway.StopAndReadLedgerAsync());
        Assert.Equal(model, row.ServedModel);
        Assert.Equal(result.Id, row.RequestId);
    }

    [Fact]
    public async Task Streamed_ThroughTheOpenAISdk()
    {
        Upstream.DefaultBehavior = FakeBehavior.Text("one two three", new FakeUsage(9, 3));
        var options = new CreateResponseOptions("default", [ResponseItem.CreateUserMessageItem("count")]) { StoredOutputEnabled = false, StreamingEnabled = true };
        var text = new System.Text.StringBuilder();
        ResponseResult? completed = null;
        await foreach (var update in await Sdk().CreateResponseStreamingAsync(options))
        {
            if (update is StreamingResponseOutputTextDeltaUpdate delta)
            {
                text.Append(delta.Delta);
            }
            else if (update is StreamingResponseCompletedUpdate done)
            {
                completed = done.Response;
            }
        }

        Assert.Equal("one two three", text.ToString());
        Assert.NotNull(completed);
        Assert.Equal(3, completed.Usage.OutputTokenCount);
    }

    [Fact]
    public async Task FunctionCall_ReachesTheSdk()
    {
        Upstream.DefaultBehavior = FakeBehavior.ToolCall("get_weather", """{"city":"Paris"}""");
        var options = new CreateResponseOptions("local", [ResponseItem.CreateUserMessageItem("weather?")])
        {
            StoredOutputEnabled = false,
            Tools = { ResponseTool.CreateFunctionTool("get_weather", BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}}}"""), strictModeEnabled: false, "Weather for a city") },
        };
        ResponseResult result = await Sdk().CreateResponseAsync(options);
        var call = Assert.Single(result.OutputItems.OfType<FunctionCallResponseItem>());
        Assert.Equal("get_weather", call.FunctionName);
        using var args = JsonDocument.Parse(call.FunctionArguments.ToString());
        Assert.Equal("Paris", args.RootElement.GetProperty("city").GetString());
    }

    [Theory]
    [InlineData("""{"model":"local","input":"hi","store":true}""", "store")]
    [InlineData("""{"model":"local","input":"hi","previous_response_id":"resp_1"}""", "previous_response_id")]
    [InlineData("""{"input":"hi"}""", "model")]
    [InlineData("""{"model":"local","input":"hi","bogus":1}""", "bogus")]
    public async Task BadRequests_Are400NamingTheField(string body, string param)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/responses") { Content = new StringContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await Gateway.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(param, doc.RootElement.GetProperty("error").GetProperty("param").GetString());
        Assert.Empty(Upstream.Requests);
    }
}
