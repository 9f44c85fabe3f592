using System.ClientModel;
using System.Text.Json;
using OpenAI;
using OpenAI.Chat;
using Switchyard.Testing;
using Switchyard.Tests.Infrastructure;

namespace Switchyard.Tests.Gateway;

/// <summary>The official OpenAI .NET SDK against the real gateway, in front of a fake upstream.</summary>
public sealed class OpenAISdkTests : GatewayTestBase
{
    private ChatClient Client(string model) => Gateway.OpenAIClient(model);

    [Fact]
    public async Task Plain_CompletionComesBackWithServedModelUsageAndRouteHeader()
    {
        var result = await Client("default").CompleteChatAsync([new SystemChatMessage("Be terse."), new UserChatMessage("hello there")]);
        var completion = result.Value;

        Assert.Equal("echo: hello there", completion.Content[0].Text);
        Assert.Equal("local", completion.Model);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal(11, completion.Usage.InputTokenCount);
        Assert.Equal(7, completion.Usage.OutputTokenCount);
        Assert.Equal(18, completion.Usage.TotalTokenCount);
        Assert.Equal(3, completion.Usage.InputTokenDetails.CachedTokenCount);
        var route = result.GetRawResponse().Headers.TryGetValue("x-switchyard-route", out var header) ? header : null;
        Assert.Equal("route=default; model=local; reason=first candidate", route);

        var upstream = Assert.Single(Upstream.Requests);
        Assert.Equal("local-up", upstream.Model);
        using var body = JsonDocument.Parse(upstream.Body);
        Assert.Equal("system", body.RootElement.GetProperty("messages")[0].GetProperty("role").GetString());
    }

    [Fact]
    public async Task Stream_DeliversAllTextThenUsage()
    {
        Upstream.When("local-up", FakeBehavior.Text("one two three four", new FakeUsage(20, 4, 5)));
        var text = new System.Text.StringBuilder();
        ChatTokenUsage? usage = null;
        string? model = null;
        ChatFinishReason? finish = null;
        await foreach (var update in Client("default").CompleteChatStreamingAsync([new UserChatMessage("count")]))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            usage = update.Usage ?? usage;
            model ??= update.Model;
            finish = update.FinishReason ?? finish;
        }

        Assert.Equal("one two three four", text.ToString());
        Assert.Equal("local", model);
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.NotNull(usage);
        Assert.Equal(20, usage.InputTokenCount);
        Assert.Equal(4, usage.OutputTokenCount);
        Assert.Equal(5, usage.InputTokenDetails.CachedTokenCount);
        Assert.True(Assert.Single(Upstream.Requests).Stream);
    }

    [Fact]
    public async Task Tools_RoundTripBothDirections()
    {
        Upstream.Once("local-up", FakeBehavior.ToolCall("get_weather", """{"city":"Paris"}""", "call_42"));
        var tool = ChatTool.CreateFunctionTool("get_weather", "Weather for a city", BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}"""));
        var options = new ChatCompletionOptions { Tools = { tool }, ToolChoice = ChatToolChoice.CreateAutoChoice() };
        List<ChatMessage> messages = [new UserChatMessage("weather in Paris?")];

        var first = (await Client("local").CompleteChatAsync(messages, options)).Value;
        Assert.Equal(ChatFinishReason.ToolCalls, first.FinishReason);
        var call = Assert.Single(first.ToolCalls);
        Assert.Equal("call_42", call.Id);
        Assert.Equal("get_weather", call.FunctionName);
        using (var args = JsonDocument.Parse(call.FunctionArguments.ToString()))
        {
            Assert.Equal("Paris", args.RootElement.GetProperty("city").GetString());
        }

        messages.Add(new AssistantChatMessage(first));
        messages.Add(new ToolChatMessage(call.Id, """{"temp_c":21}"""));
        var second = (await Client("local").CompleteChatAsync(messages, options)).Value;
        Assert.Equal("echo: weather in Paris?", second.Content[0].Text);

        // The upstream saw the tool declaration, the assistant's call and the tool result, in OpenAI's format.
        var requests = Upstream.Requests;
        Assert.Equal(2, requests.Count);
        using var firstBody = JsonDocument.Parse(requests[0].Body);
        var declared = firstBody.RootElement.GetProperty("tools")[0].GetProperty("function");
        Assert.Equal("get_weather", declared.GetProperty("name").GetString());
        Assert.Equal("string", declared.GetProperty("parameters").GetProperty("properties").GetProperty("city").GetProperty("type").GetString());
        using var secondBody = JsonDocument.Parse(requests[1].Body);
        var sent = secondBody.RootElement.GetProperty("messages");
        Assert.Equal("call_42", sent[1].GetProperty("tool_calls")[0].GetProperty("id").GetString());
        Assert.Equal("tool", sent[2].GetProperty("role").GetString());
        Assert.Equal("call_42", sent[2].GetProperty("tool_call_id").GetString());
        Assert.Contains("21", sent[2].GetProperty("content").ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Stream_ToolCallArrivesWhole()
    {
        Upstream.Once("local-up", FakeBehavior.ToolCall("lookup", """{"id":7,"deep":{"x":[1,2]}}""", "call_s"));
        var tool = ChatTool.CreateFunctionTool("lookup", "Look up", BinaryData.FromString("""{"type":"object","properties":{"id":{"type":"integer"}}}"""));
        var name = "";
        var args = new System.Text.StringBuilder();
        ChatFinishReason? finish = null;
        await foreach (var update in Client("local").CompleteChatStreamingAsync([new UserChatMessage("find 7")], new ChatCompletionOptions { Tools = { tool } }))
        {
            foreach (var t in update.ToolCallUpdates)
            {
                name += t.FunctionName;
                args.Append(t.FunctionArgumentsUpdate?.ToString());
            }

            finish = update.FinishReason ?? finish;
        }

        Assert.Equal("lookup", name);
        using var parsed = JsonDocument.Parse(args.ToString());
        Assert.Equal(7, parsed.RootElement.GetProperty("id").GetInt32());
        Assert.Equal(2, parsed.RootElement.GetProperty("deep").GetProperty("x")[1].GetInt32());
        Assert.Equal(ChatFinishReason.ToolCalls, finish);
    }

    [Fact]
    public async Task JsonMode_IsForwardedAndContentParses()
    {
        var options = new ChatCompletionOptions { ResponseFormat = ChatResponseFormat.CreateJsonObjectFormat(), Temperature = 0.2f, MaxOutputTokenCount = 50, Seed = 7 };
        var completion = (await Client("local").CompleteChatAsync([new UserChatMessage("give json")], options)).Value;
        using var content = JsonDocument.Parse(completion.Content[0].Text);
        Assert.Equal("give json", content.RootElement.GetProperty("echo").GetString());

        using var body = JsonDocument.Parse(Assert.Single(Upstream.Requests).Body);
        Assert.Equal("json_object", body.RootElement.GetProperty("response_format").GetProperty("type").GetString());
        Assert.Equal(0.2, body.RootElement.GetProperty("temperature").GetDouble(), 3);
        Assert.Equal(7, body.RootElement.GetProperty("seed").GetInt64());
    }

    [Fact]
    public async Task JsonSchema_IsForwarded()
    {
        var schema = BinaryData.FromString("""{"type":"object","properties":{"echo":{"type":"string"}},"required":["echo"],"additionalProperties":false}""");
        var options = new ChatCompletionOptions { ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat("echo_reply", schema, jsonSchemaIsStrict: true) };
        var completion = (await Client("local").CompleteChatAsync([new UserChatMessage("schema please")], options)).Value;
        using var content = JsonDocument.Parse(completion.Content[0].Text);
        Assert.Equal("schema please", content.RootElement.GetProperty("echo").GetString());

        using var body = JsonDocument.Parse(Assert.Single(Upstream.Requests).Body);
        var format = body.RootElement.GetProperty("response_format");
        Assert.Equal("json_schema", format.GetProperty("type").GetString());
        Assert.Equal("echo_reply", format.GetProperty("json_schema").GetProperty("name").GetString());
        Assert.Equal("string", format.GetProperty("json_schema").GetProperty("schema").GetProperty("properties").GetProperty("echo").GetProperty("type").GetString());
    }

    [Fact]
    public async Task UnknownModel_Is404InOpenAIFormat()
    {
        var ex = await Assert.ThrowsAsync<ClientResultException>(() => Client("nope").CompleteChatAsync([new UserChatMessage("hi")]));
        Assert.Equal(404, ex.Status);
        Assert.Contains("model_not_found", ex.Message, StringComparison.Ordinal);
        Assert.Empty(Upstream.Requests);
    }

    [Theory]
    [InlineData("local", "max_tokens")]
    [InlineData("backup", "max_completion_tokens")]
    public async Task SamplingFieldsReachTheUpstream(string model, string maxTokensField)
    {
        var response = await Gateway.PostChatAsync($$"""
            {"model":"{{model}}","messages":[{"role":"user","content":"hi"}],"max_tokens":5,"stop":["x","y"],"user":"u-9",
             "top_p":0.5,"frequency_penalty":0.25,"presence_penalty":-0.25,"seed":11,"tools":[{"type":"function","function":{"name":"f"} }],"tool_choice":"required","parallel_tool_calls":false}
            """);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());

        var sent = Assert.Single(Upstream.Requests);
        using var body = JsonDocument.Parse(sent.Body);
        var root = body.RootElement;
        Assert.Equal(5, root.GetProperty(maxTokensField).GetInt32());
        Assert.Equal(["x", "y"], root.GetProperty("stop").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("u-9", root.GetProperty("user").GetString());
        Assert.Equal(0.5, root.GetProperty("top_p").GetDouble(), 3);
        Assert.Equal(0.25, root.GetProperty("frequency_penalty").GetDouble(), 3);
        Assert.Equal(-0.25, root.GetProperty("presence_penalty").GetDouble(), 3);
        Assert.Equal(11, root.GetProperty("seed").GetInt64());
        Assert.Equal("required", root.GetProperty("tool_choice").GetString());
        Assert.False(root.GetProperty("parallel_tool_calls").GetBoolean());
        Assert.Equal("object", root.GetProperty("tools")[0].GetProperty("function").GetProperty("parameters").GetProperty("type").GetString());
        Assert.Equal(model == "backup" ? "Bearer sk-test-backup" : null, sent.Headers.GetValueOrDefault("Authorization"));
    }
}
