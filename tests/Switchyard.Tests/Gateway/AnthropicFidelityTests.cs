using System.Net.Http.Headers;
using System.Text.Json;
using Switchyard.Testing;
using Switchyard.Tests.Infrastructure;

namespace Switchyard.Tests.Gateway;

/// <summary>
/// A Messages request forwarded to an Anthropic upstream keeps what the client wrote that a translation would lose:
/// <c>cache_control</c> breakpoints (system, text, image, tool_result, tools), thinking blocks with their signatures and
/// redacted thinking, the <c>thinking</c> configuration, <c>metadata</c>, <c>service_tier</c>, <c>tool_choice</c>
/// with <c>disable_parallel_tool_use</c>, strict tools and the <c>anthropic-beta</c> header — checked in the body and
/// headers the loopback Anthropic upstream received. The same request served by an OpenAI-style upstream drops them,
/// and the decision in the ledger names each dropped field.
/// </summary>
public sealed class AnthropicFidelityTests : GatewayTestBase
{
    private const string Body = """
        {
          "model": "MODEL",
          "max_tokens": 2048,
          "system": [{"type":"text","text":"You are the support bot.","cache_control":{"type":"ephemeral","ttl":"1h"}}],
          "thinking": {"type":"enabled","budget_tokens":1024},
          "metadata": {"user_id":"user-42"},
          "service_tier": "standard_only",
          "tools": [{"name":"lookup","description":"Find an order","input_schema":{"type":"object","properties":{"id":{"type":"string"}}},"strict":true,"cache_control":{"type":"ephemeral"}}],
          "tool_choice": {"type":"auto","disable_parallel_tool_use":true},
          "messages": [
            {"role":"user","content":[{"type":"text","text":"Where is order 7?","cache_control":{"type":"ephemeral"}}]},
            {"role":"assistant","content":[
              {"type":"thinking","thinking":"I should look it up.","signature":"EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxYo5="},
              {"type":"redacted_thinking","data":"EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP"},
              {"type":"tool_use","id":"toolu_01","name":"lookup","input":{"id":"7"}}
            ]},
            {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_01","content":"shipped","cache_control":{"type":"ephemeral"}}]}
          ]
        }
        """;

    private static readonly Switchyard.Configuration.ModelPrice ClaudeWithCacheWrites = new() { Input = 3m, Output = 15m, CachedInput = 0.3m, CacheWrite = 3.75m };

    protected override void Configure(Switchyard.Configuration.SwitchyardOptions options) => options.Models["claude"].Price = ClaudeWithCacheWrites;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CacheWritesAndReads_AreMeteredApart_CacheWritesAtTheCacheWritePrice(bool stream)
    {
        Upstream.DefaultBehavior = FakeBehavior.Text("It shipped.", new FakeUsage(InputTokens: 100, OutputTokens: 10, CachedInputTokens: 50, CacheCreationInputTokens: 1000));
        using var response = await SendAsync("claude", stream);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, text);
        Assert.Contains("\"cache_creation_input_tokens\":1000", text, StringComparison.Ordinal);
        Assert.Contains("\"cache_read_input_tokens\":50", text, StringComparison.Ordinal);

        var row = Assert.Single(await Gateway.StopAndReadLedgerAsync());
        Assert.Equal((1150L, 50L, 1000L, 10L), (row.InputTokens, row.CachedInputTokens, row.CacheWriteTokens, row.OutputTokens));
        Assert.Equal(((100 * 3m) + (50 * 0.3m) + (1000 * 3.75m) + (10 * 15m)) / 1_000_000m, row.Cost);
    }

    [Theory]
    [InlineData("v1/chat/completions", """{"model":"claude","temperature":0.3,"top_p":0.9,"top_k":5,"messages":[{"role":"user","content":"hi"}]}""")]
    [InlineData("v1/messages", """{"model":"claude","max_tokens":20,"temperature":0.3,"top_p":0.9,"top_k":5,"messages":[{"role":"user","content":"hi"}]}""")]
    [InlineData("v1/responses", """{"model":"claude","temperature":0.3,"top_p":0.9,"input":"hi"}""")]
    public async Task SamplingFields_ReachAnAnthropicUpstream_FromEveryFormat(string path, string body)
    {
        // The Anthropic SDK's adapter (13.12) leaves temperature, top_p and top_k out; Switchyard sets them itself.
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await Gateway.Http.SendAsync(request);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        using var sent = JsonDocument.Parse(Assert.Single(Upstream.Requests).Body);
        Assert.Equal(0.3, sent.RootElement.GetProperty("temperature").GetDouble(), 5);
        Assert.Equal(0.9, sent.RootElement.GetProperty("top_p").GetDouble(), 5);
        if (!path.EndsWith("responses", StringComparison.Ordinal))
        {
            Assert.Equal(5, sent.RootElement.GetProperty("top_k").GetInt32());
        }
    }

    private async Task<HttpResponseMessage> SendAsync(string model, bool stream = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/messages") { Content = new StringContent(Body.Replace("MODEL", model, StringComparison.Ordinal).Replace("\"max_tokens\": 2048,", stream ? "\"max_tokens\": 2048, \"stream\": true," : "\"max_tokens\": 2048,", StringComparison.Ordinal)) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("anthropic-version", "2023-06-01");
        request.Headers.Add("anthropic-beta", "interleaved-thinking-2025-05-14,extended-cache-ttl-2025-04-11");
        return await Gateway.Http.SendAsync(request);
    }

    [Fact]
    public async Task ToAnAnthropicUpstream_EveryNativeFieldArrivesIntact()
    {
        Upstream.DefaultBehavior = FakeBehavior.Text("It shipped.");
        using var response = await SendAsync("claude");
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());

        var sent = Assert.Single(Upstream.Requests);
        Assert.Equal("/v1/messages", sent.Path);
        Assert.Equal("interleaved-thinking-2025-05-14,extended-cache-ttl-2025-04-11", sent.Headers["anthropic-beta"]);
        using var doc = JsonDocument.Parse(sent.Body);
        var root = doc.RootElement;
        Assert.Equal("claude-up", root.GetProperty("model").GetString());
        Assert.Equal(2048, root.GetProperty("max_tokens").GetInt32());
        Assert.Equal("""{"type":"enabled","budget_tokens":1024}""", root.GetProperty("thinking").GetRawText());
        Assert.Equal("user-42", root.GetProperty("metadata").GetProperty("user_id").GetString());
        Assert.Equal("standard_only", root.GetProperty("service_tier").GetString());
        Assert.Equal("""{"type":"auto","disable_parallel_tool_use":true}""", root.GetProperty("tool_choice").GetRawText());

        var tool = Assert.Single(root.GetProperty("tools").EnumerateArray());
        Assert.Equal("lookup", tool.GetProperty("name").GetString());
        Assert.True(tool.GetProperty("strict").GetBoolean());
        Assert.Equal("ephemeral", tool.GetProperty("cache_control").GetProperty("type").GetString());

        var system = Assert.Single(root.GetProperty("system").EnumerateArray());
        Assert.Equal("You are the support bot.", system.GetProperty("text").GetString());
        Assert.Equal("1h", system.GetProperty("cache_control").GetProperty("ttl").GetString());

        var messages = root.GetProperty("messages").EnumerateArray().ToArray();
        Assert.Equal(3, messages.Length);
        Assert.Equal("ephemeral", messages[0].GetProperty("content")[0].GetProperty("cache_control").GetProperty("type").GetString());

        var assistant = messages[1].GetProperty("content").EnumerateArray().ToArray();
        Assert.Equal(["thinking", "redacted_thinking", "tool_use"], assistant.Select(b => b.GetProperty("type").GetString()));
        Assert.Equal("I should look it up.", assistant[0].GetProperty("thinking").GetString());
        Assert.Equal("EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxYo5=", assistant[0].GetProperty("signature").GetString());
        Assert.Equal("EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP", assistant[1].GetProperty("data").GetString());
        Assert.Equal("toolu_01", assistant[2].GetProperty("id").GetString());

        var result = messages[2].GetProperty("content")[0];
        Assert.Equal("tool_result", result.GetProperty("type").GetString());
        Assert.Equal("toolu_01", result.GetProperty("tool_use_id").GetString());
        Assert.Equal("ephemeral", result.GetProperty("cache_control").GetProperty("type").GetString());
    }

    [Fact]
    public async Task ToAnOpenAIStyleUpstream_NativeFieldsAreDropped_AndTheDecisionSaysWhich()
    {
        Upstream.DefaultBehavior = FakeBehavior.Text("It shipped.");
        using var response = await SendAsync("local");
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());

        var sent = Assert.Single(Upstream.Requests);
        Assert.Equal("/v1/chat/completions", sent.Path);
        Assert.False(sent.Headers.ContainsKey("anthropic-beta"));
        foreach (var field in new[] { "cache_control", "thinking", "service_tier", "signature", "budget_tokens" })
        {
            Assert.DoesNotContain(field, sent.Body, StringComparison.Ordinal);
        }

        using var doc = JsonDocument.Parse(sent.Body);
        Assert.True(doc.RootElement.GetProperty("tools")[0].GetProperty("function").GetProperty("strict").GetBoolean());
        Assert.False(doc.RootElement.GetProperty("parallel_tool_calls").GetBoolean());

        var row = Assert.Single(await Gateway.StopAndReadLedgerAsync());
        using var decision = JsonDocument.Parse(row.DecisionJson);
        var dropped = decision.RootElement.GetProperty("dropped").EnumerateArray().Select(d => d.GetProperty("field").GetString()).ToHashSet();
        Assert.Equal(
            new HashSet<string?> { "thinking", "service_tier", "cache_control (blocks, tools, top level)", "anthropic-beta header", "thinking and redacted_thinking blocks in history" },
            dropped);
        Assert.All(decision.RootElement.GetProperty("dropped").EnumerateArray(), d => Assert.Equal("local", d.GetProperty("model").GetString()));

        // metadata.user_id became OpenAI's user: translated, not dropped.
        Assert.Equal("user-42", doc.RootElement.GetProperty("user").GetString());
    }
}
