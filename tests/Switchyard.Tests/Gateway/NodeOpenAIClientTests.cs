using System.Text.Json;
using Switchyard.Testing;
using Switchyard.Tests.Infrastructure;

namespace Switchyard.Tests.Gateway;

/// <summary>The npm <c>openai</c> package, driven by a Node script, against the real gateway.</summary>
public sealed class NodeOpenAIClientTests : GatewayTestBase
{
    protected override void Configure(Switchyard.Configuration.SwitchyardOptions options) =>
        options.Models["embed"] = new Switchyard.Configuration.ModelConfig { Provider = "fake-openai", UpstreamModel = "embed-up", Kind = Switchyard.Configuration.ModelKinds.Embedding };

    [Theory]
    [InlineData("embeddings")] // the SDK's default: base64, decoded by the SDK
    [InlineData("embeddings-float")]
    public async Task Embeddings(string scenario)
    {
        var result = await NodeClient.RunAsync(scenario, Gateway.OpenAIBaseUri, "embed");
        Assert.Equal(JsonValueKind.Null, result.GetProperty("error").ValueKind);
        Assert.Equal(("list", "embed"), (result.GetProperty("object").GetString(), result.GetProperty("model").GetString()));
        var data = result.GetProperty("data").EnumerateArray().ToArray();
        string[] inputs = ["alpha", "be", "gamma ray"];
        Assert.Equal(3, data.Length);
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal((i, "embedding", 4), (data[i].GetProperty("index").GetInt32(), data[i].GetProperty("object").GetString(), data[i].GetProperty("length").GetInt32()));
            Assert.Equal(inputs[i].Length, data[i].GetProperty("head")[0].GetDouble());
            Assert.Equal(i, data[i].GetProperty("head")[1].GetDouble());
        }

        Assert.Equal(6, result.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        var sent = Assert.Single(Upstream.Requests);
        Assert.Equal("/v1/embeddings", sent.Path);
        Assert.Contains("\"dimensions\":4", sent.Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plain()
    {
        var result = await NodeClient.RunAsync("plain", Gateway.OpenAIBaseUri, "default");
        Assert.Equal("echo: hello from node", result.GetProperty("content").GetString());
        Assert.Equal("local", result.GetProperty("model").GetString());
        Assert.Equal("stop", result.GetProperty("finish_reason").GetString());
        Assert.Equal(11, result.GetProperty("usage").GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(3, result.GetProperty("usage").GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt32());
        Assert.StartsWith("route=default; model=local", result.GetProperty("route").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream()
    {
        var result = await NodeClient.RunAsync("stream", Gateway.OpenAIBaseUri, "default");
        Assert.Equal("echo: hello from node", result.GetProperty("content").GetString());
        Assert.Equal("stop", result.GetProperty("finish_reason").GetString());
        Assert.Equal(7, result.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.Equal("local", result.GetProperty("model").GetString());
    }

    [Fact]
    public async Task Tools()
    {
        Upstream.Once("local-up", FakeBehavior.ToolCall("get_weather", """{"city":"Paris"}""", "call_node"));
        var result = await NodeClient.RunAsync("tools", Gateway.OpenAIBaseUri, "local");
        Assert.Equal("get_weather", result.GetProperty("tool_name").GetString());
        Assert.Equal("Paris", result.GetProperty("tool_arguments").GetProperty("city").GetString());
        Assert.Equal("call_node", result.GetProperty("tool_call_id").GetString());
        Assert.Equal("echo: weather in Paris?", result.GetProperty("second_content").GetString());

        using var second = JsonDocument.Parse(Upstream.Requests[1].Body);
        var toolMessage = second.RootElement.GetProperty("messages")[2];
        Assert.Equal("tool", toolMessage.GetProperty("role").GetString());
        Assert.Equal("call_node", toolMessage.GetProperty("tool_call_id").GetString());
    }

    [Fact]
    public async Task JsonMode()
    {
        var result = await NodeClient.RunAsync("json", Gateway.OpenAIBaseUri, "default");
        Assert.Equal("give json", result.GetProperty("parsed").GetProperty("echo").GetString());
    }

    [Fact]
    public async Task StreamCutMidway_SurfacesAsAnError()
    {
        Upstream.When("local-up", FakeBehavior.CutMidStream(2));
        var result = await NodeClient.RunAsync("stream-error", Gateway.OpenAIBaseUri, "default");
        Assert.Equal(JsonValueKind.Object, result.GetProperty("error").ValueKind);
        Assert.Equal("one two", result.GetProperty("content").GetString());
    }

    [Fact]
    public async Task NGreaterThanOne_IsA400NamingTheParam()
    {
        var result = await NodeClient.RunAsync("bad-request", Gateway.OpenAIBaseUri, "default");
        var error = result.GetProperty("error");
        Assert.Equal(400, error.GetProperty("status").GetInt32());
        Assert.Equal("n", error.GetProperty("param").GetString());
        Assert.Equal("unsupported_parameter", error.GetProperty("code").GetString());
    }
}
