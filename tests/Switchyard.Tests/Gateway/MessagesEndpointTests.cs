using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Anthropic;
using Anthropic.Core;
using Microsoft.Extensions.AI;
using Switchyard.Configuration;
using Switchyard.Storage.Access;
using Switchyard.Testing;
using Switchyard.Tests.Infrastructure;

namespace Switchyard.Tests.Gateway;

/// <summary>
/// <c>POST /v1/messages</c> driven by the official Anthropic .NET SDK: served by an OpenAI-style upstream (translated),
/// an Anthropic upstream and the embedded model; streamed and not; tool calls; errors in Anthropic's envelope.
/// </summary>
public sealed class MessagesEndpointTests : IAsyncLifetime
{
    private static readonly string ModelPath = Path.Combine(RepoPaths.Root, "models", "stories260K.gguf");
    private FakeUpstream _upstream = null!;
    private TestGateway _gateway = null!;

    public async Task InitializeAsync()
    {
        _upstream = await FakeUpstream.StartAsync();
        _gateway = await TestGateway.StartAsync(_upstream, o =>
        {
            o.Providers["engine"] = new ProviderConfig { Kind = ProviderKinds.Embedded, Model = ModelPath, Zone = "self" };
            o.Models["stories"] = new ModelConfig { Provider = "engine" };
        });
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    private IChatClient Sdk(string model, string apiKey = "client-key")
    {
        var client = new AnthropicClient(new ClientOptions { ApiKey = apiKey, BaseUrl = _gateway.BaseUri.ToString().TrimEnd('/'), MaxRetries = 0 });
        return client.AsIChatClient(model, 64);
    }

    [Theory]
    [InlineData("local")]  // an OpenAI-compatible upstream: the Messages request is translated
    [InlineData("claude")] // an Anthropic upstream
    public async Task Plain_ThroughTheAnthropicSdk(string model)
    {
        _upstream.DefaultBehavior = FakeBehavior.Text("Hello from upstream", new FakeUsage(12, 4));
        var response = await Sdk(model).GetResponseAsync("hi there");
        Assert.Equal("Hello from upstream", response.Text);
        Assert.Equal(4, response.Usage?.OutputTokenCount);
        Assert.Equal(model + "-up", Assert.Single(_upstream.Requests).Model);
        var row = Assert.Single(await _gateway.StopAndReadLedgerAsync());
        Assert.Equal(model, row.ServedModel);
        Assert.Equal(200, row.HttpStatus);
        Assert.StartsWith("msg_", row.RequestId, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Streamed_ThroughTheAnthropicSdk()
    {
        _upstream.DefaultBehavior = FakeBehavior.Text("one two three four", new FakeUsage(9, 4));
        var text = new System.Text.StringBuilder();
        UsageDetails? usage = null;
        await foreach (var update in Sdk("default").GetStreamingResponseAsync("count"))
        {
            text.Append(update.Text);
            foreach (var u in update.Contents.OfType<UsageContent>())
            {
                (usage ??= new UsageDetails()).Add(u.Details);
            }
        }

        Assert.Equal("one two three four", text.ToString());
        Assert.Equal(4, usage?.OutputTokenCount);
        var row = Assert.Single(await _gateway.StopAndReadLedgerAsync());
        Assert.True(row.Streamed);
        Assert.Equal("ok", row.Status);
    }

    [Fact]
    public async Task ToolCall_ReachesTheSdkAsAFunctionCall()
    {
        _upstream.DefaultBehavior = FakeBehavior.ToolCall("get_weather", """{"city":"Paris"}""");
        var tool = AIFunctionFactory.Create((string city) => "sunny", "get_weather", "Weather for a city");
        var response = await Sdk("local").GetResponseAsync("weather in Paris?", new ChatOptions { Tools = [tool] });
        var call = Assert.Single(response.Messages.SelectMany(m => m.Contents).OfType<FunctionCallContent>());
        Assert.Equal("get_weather", call.Name);
        Assert.Equal("Paris", call.Arguments!["city"]!.ToString());
        Assert.Equal(ChatFinishReason.ToolCalls, response.FinishReason);
        using var sent = JsonDocument.Parse(Assert.Single(_upstream.Requests).Body);
        Assert.Equal("get_weather", sent.RootElement.GetProperty("tools")[0].GetProperty("function").GetProperty("name").GetString());
    }

    [Fact]
    public async Task EmbeddedModel_AnswersAMessagesRequest()
    {
        var response = await Sdk("stories").GetResponseAsync("Once upon a time", new ChatOptions { Temperature = 0, MaxOutputTokens = 12 });
        Assert.False(string.IsNullOrWhiteSpace(response.Text));
        Assert.Equal(12, response.Usage?.OutputTokenCount);
        Assert.Empty(_upstream.Requests);
    }

    [Fact]
    public async Task CountTokens_IsExactForTheEmbeddedModel_TheUpstreamsForAnthropic_AndAnEstimateElsewhere()
    {
        using var exact = await PostAsync("""{"model":"stories","messages":[{"role":"user","content":"Once upon a time"}]}""", "v1/messages/count_tokens");
        Assert.Equal(HttpStatusCode.OK, exact.StatusCode);
        Assert.Equal("exact", exact.Headers.GetValues("x-switchyard-token-count").Single());
        using (var doc = JsonDocument.Parse(await exact.Content.ReadAsStringAsync()))
        {
            // stories260K has no chat template: BOS + the text's 4 tokens, as the engine feeds them (and llama.cpp counts them).
            Assert.Equal(5, doc.RootElement.GetProperty("input_tokens").GetInt32());
        }

        // An Anthropic candidate counts itself: the body is forwarded as written, model replaced (the fake answers its byte length).
        const string CountBody = """{"model":"claude","system":[{"type":"text","text":"Be brief.","cache_control":{"type":"ephemeral"}}],"messages":[{"role":"user","content":"Once upon a time"}]}""";
        using var forwarded = await PostAsync(CountBody, "v1/messages/count_tokens");
        Assert.Equal("upstream", forwarded.Headers.GetValues("x-switchyard-token-count").Single());
        var sent = Assert.Single(_upstream.Requests);
        Assert.Equal("/v1/messages/count_tokens", sent.Path);
        Assert.Equal(CountBody.Replace("\"model\":\"claude\"", "\"model\":\"claude-up\"", StringComparison.Ordinal), sent.Body);
        using (var doc = JsonDocument.Parse(await forwarded.Content.ReadAsStringAsync()))
        {
            Assert.Equal(System.Text.Encoding.UTF8.GetByteCount(sent.Body), doc.RootElement.GetProperty("input_tokens").GetInt32());
        }

        // The upstream failing, or the privacy policy keeping the text from its zone: an estimate, flagged.
        _upstream.DefaultBehavior = FakeBehavior.Status(500, "down");
        using var estimate = await PostAsync("""{"model":"claude","messages":[{"role":"user","content":"Once upon a time"}]}""", "v1/messages/count_tokens");
        Assert.Equal("estimate", estimate.Headers.GetValues("x-switchyard-token-count").Single());
        using (var doc = JsonDocument.Parse(await estimate.Content.ReadAsStringAsync()))
        {
            Assert.InRange(doc.RootElement.GetProperty("input_tokens").GetInt32(), 4, 16);
        }

        var before = _upstream.Requests.Count;
        using var privateText = await PostAsync("""{"model":"claude","messages":[{"role":"user","content":"Mail jane.doe@example.com"}]}""", "v1/messages/count_tokens");
        Assert.Equal("estimate", privateText.Headers.GetValues("x-switchyard-token-count").Single());
        Assert.Equal(before, _upstream.Requests.Count); // stopped by the egress check before it left
        Assert.DoesNotContain(_upstream.Requests, r => r.Body.Contains("jane.doe", StringComparison.Ordinal));

        _upstream.DefaultBehavior = FakeBehavior.Status(400, "messages: bad block");
        using var refused = await PostAsync("""{"model":"claude","messages":[{"role":"user","content":"hi"}]}""", "v1/messages/count_tokens");
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Contains("bad block", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var unknown = await PostAsync("""{"model":"nope","messages":[{"role":"user","content":"hi"}]}""", "v1/messages/count_tokens");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Theory]
    [InlineData("""{"model":"local","messages":[{"role":"user","content":"hi"}]}""", 400, "invalid_request_error", "max_tokens")]
    [InlineData("""{"model":"local","max_tokens":10,"messages":[{"role":"robot","content":"hi"}]}""", 400, "invalid_request_error", "messages[0].role")]
    [InlineData("""{"model":"local","max_tokens":10,"messages":[],"n":2}""", 400, "invalid_request_error", "")]
    [InlineData("""not json""", 400, "invalid_request_error", "not valid JSON")]
    [InlineData("""{"model":"nope","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}""", 404, "not_found_error", "nope")]
    public async Task BadRequests_GetAnthropicsEnvelope(string body, int status, string type, string mentions)
    {
        using var response = await PostAsync(body);
        Assert.Equal(status, (int)response.StatusCode);
        Assert.StartsWith("msg_", response.Headers.GetValues("request-id").Single(), StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("error", doc.RootElement.GetProperty("type").GetString());
        Assert.Equal(type, doc.RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.Contains(mentions, doc.RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(_upstream.Requests);
    }

    [Fact]
    public async Task HistoryEchoedFromAnthropic_WithCallerAndToolsetFields_IsAccepted()
    {
        using var response = await PostAsync("""
            {"model":"local","max_tokens":10,"messages":[
              {"role":"user","content":"weather?"},
              {"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"},"caller":{"type":"direct"}}]},
              {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"sunny"}]}]}
            """);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task UpstreamFailure_GetsAnthropicsEnvelope()
    {
        _upstream.DefaultBehavior = FakeBehavior.Status(400, "bad things");
        using var response = await PostAsync("""{"model":"local","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}""");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("invalid_request_error", doc.RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.Contains("bad things", doc.RootElement.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    private async Task<HttpResponseMessage> PostAsync(string body, string path = "v1/messages")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Add("anthropic-version", "2023-06-01");
        return await _gateway.Http.SendAsync(request);
    }
}

/// <summary>With keys required, <c>/v1/messages</c> answers 401/403 in Anthropic's envelope and takes keys as <c>x-api-key</c>, as Anthropic's SDK sends them.</summary>
public sealed class MessagesAuthTests : IAsyncLifetime
{
    private FakeUpstream _upstream = null!;
    private TestGateway _gateway = null!;

    public async Task InitializeAsync()
    {
        _upstream = await FakeUpstream.StartAsync();
        _gateway = await TestGateway.StartAsync(_upstream, o => o.Auth.Mode = AuthModes.Keys);
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    [Fact]
    public async Task Keys_AreCheckedAndErrorsAreAnthropics()
    {
        var key = await _gateway.Runtime.Keys!.CreateKeyAsync(new KeySpec("sdk") { AllowedModels = ["local"] });
        var sdk = new AnthropicClient(new ClientOptions { ApiKey = key.Key, BaseUrl = _gateway.BaseUri.ToString().TrimEnd('/'), MaxRetries = 0 });
        var ok = await sdk.AsIChatClient("local", 32).GetResponseAsync("hi");
        Assert.False(string.IsNullOrEmpty(ok.Text));

        foreach (var (apiKey, model, status, type) in new[] { ("sk-sy-0000000000_" + new string('a', 40), "local", 401, "authentication_error"), (key.Key, "claude", 403, "permission_error") })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "v1/messages") { Content = new StringContent($$"""{"model":"{{model}}","max_tokens":10,"messages":[{"role":"user","content":"hi"}]}""") };
            request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            request.Headers.Add("x-api-key", apiKey);
            using var response = await _gateway.Http.SendAsync(request);
            Assert.Equal(status, (int)response.StatusCode);
            using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal(type, doc.RootElement.GetProperty("error").GetProperty("type").GetString());
        }
    }
}
