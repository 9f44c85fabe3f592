using System.ClientModel;
using System.Text.Json;
using OpenAI;
using OpenAI.Chat;
using Switchyard.Testing;
using Switchyard.Tests.Infrastructure;

namespace Switchyard.Tests.Gateway;

/// <summary>An OpenAI client talking to the gateway, which serves from the Anthropic Messages API (played by the fake).</summary>
public sealed class AnthropicProviderTests : GatewayTestBase
{
    private ChatClient Client() => Gateway.OpenAIClient("claude");

    [Fact]
    public async Task Plain_TranslatesToMessagesApi_AndUsageIncludesCacheReads()
    {
        Upstream.When("claude-up", FakeBehavior.Text("bonjour", new FakeUsage(100, 20, 30)));
        var completion = (await Client().CompleteChatAsync([new SystemChatMessage("Answer in French."), new UserChatMessage("hello")], new ChatCompletionOptions { MaxOutputTokenCount = 64 })).Value;

        Assert.Equal("bonjour", completion.Content[0].Text);
        Assert.Equal("claude", completion.Model);
        // OpenAI semantics: prompt tokens include cached ones (Anthropic reports them apart).
        Assert.Equal(130, completion.Usage.InputTokenCount);
        Assert.Equal(30, completion.Usage.InputTokenDetails.CachedTokenCount);
        Assert.Equal(20, completion.Usage.OutputTokenCount);

        var request = Assert.Single(Upstream.Requests);
        Assert.Equal("/v1/messages", request.Path);
        Assert.Equal("claude-up", request.Model);
        Assert.True(request.Headers.ContainsKey("anthropic-version"));
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal(64, body.RootElement.GetProperty("max_tokens").GetInt32());
        Assert.Contains("French", body.RootElement.GetProperty("system").ToString(), StringComparison.Ordinal);
        Assert.Equal("user", body.RootElement.GetProperty("messages")[0].GetProperty("role").GetString());

        var record = Assert.Single(await Gateway.StopAndReadLedgerAsync());
        Assert.Equal((130L, 20L, 30L), (record.InputTokens, record.OutputTokens, record.CachedInputTokens));
        // 100 uncached × $3 + 30 cached × $0.30 + 20 output × $15, per million.
        Assert.Equal(0.000609m, record.Cost);
        Assert.Equal("us", record.Zone);
    }

    [Fact]
    public async Task Stream_DeliversTextAndUsage()
    {
        Upstream.When("claude-up", FakeBehavior.Text("un deux trois", new FakeUsage(50, 3, 10)));
        var text = "";
        ChatTokenUsage? usage = null;
        await foreach (var update in Client().CompleteChatStreamingAsync([new UserChatMessage("count")]))
        {
            text += string.Concat(update.ContentUpdate.Select(p => p.Text));
            usage = update.Usage ?? usage;
        }

        Assert.Equal("un deux trois", text);
        Assert.NotNull(usage);
        Assert.Equal(60, usage.InputTokenCount);
        Assert.Equal(10, usage.InputTokenDetails.CachedTokenCount);
        Assert.Equal(3, usage.OutputTokenCount);
    }

    [Fact]
    public async Task ToolUse_ComesBackAsOpenAIToolCall_AndResultGoesBackAsToolResult()
    {
        Upstream.Once("claude-up", FakeBehavior.ToolCall("get_weather", """{"city":"Lyon"}""", "toolu_1"));
        var tool = ChatTool.CreateFunctionTool("get_weather", "Weather", BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}}}"""));
        List<ChatMessage> messages = [new UserChatMessage("weather in Lyon?")];
        var first = (await Client().CompleteChatAsync(messages, new ChatCompletionOptions { Tools = { tool } })).Value;
        var call = Assert.Single(first.ToolCalls);
        Assert.Equal("toolu_1", call.Id);
        Assert.Equal(ChatFinishReason.ToolCalls, first.FinishReason);

        messages.Add(new AssistantChatMessage(first));
        messages.Add(new ToolChatMessage(call.Id, "sunny"));
        Upstream.Once("claude-up", FakeBehavior.Text("Lyon is sunny"));
        var second = (await Client().CompleteChatAsync(messages, new ChatCompletionOptions { Tools = { tool } })).Value;
        Assert.Equal("Lyon is sunny", second.Content[0].Text);

        using var body = JsonDocument.Parse(Upstream.Requests[1].Body);
        var sent = body.RootElement.GetProperty("messages");
        Assert.Equal("tool_use", sent[1].GetProperty("content")[0].GetProperty("type").GetString());
        var result = sent[2].GetProperty("content")[0];
        Assert.Equal("tool_result", result.GetProperty("type").GetString());
        Assert.Equal("toolu_1", result.GetProperty("tool_use_id").GetString());
    }

    [Fact]
    public async Task Overloaded529_IsReportedAsAnOverloadedUpstream_503InOpenAIsFormat()
    {
        Upstream.When("claude-up", FakeBehavior.Status(529, "Overloaded"));
        var response = await Gateway.PostChatAsync("""{"model":"claude","messages":[{"role":"user","content":"hi"}]}""");
        Assert.Equal(503, (int)response.StatusCode);
        Assert.Contains("upstream_overloaded", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("Overloaded", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiKey_IsSent()
    {
        await Client().CompleteChatAsync([new UserChatMessage("hi")]);
        var headers = Assert.Single(Upstream.Requests).Headers;
        // The official SDK (13.x) documents ApiKey as sent in "Authorization: Bearer".
        Assert.Equal("Bearer sk-ant-test", headers.GetValueOrDefault("Authorization"));
    }
}
