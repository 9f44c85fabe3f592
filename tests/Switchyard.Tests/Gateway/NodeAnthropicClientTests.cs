using System.Text.Json;
using Switchyard.Configuration;
using Switchyard.Testing;
using Switchyard.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Switchyard.Tests.Gateway;

/// <summary>
/// The npm <c>@anthropic-ai/sdk</c> package, driven by tests/js/anthropic-client.mjs, against the real gateway's
/// <c>POST /v1/messages</c>: served by <c>local</c> (an OpenAI-compatible upstream, so translated) and by
/// <c>claude</c> (an Anthropic upstream).
/// </summary>
public sealed class NodeAnthropicClientTests(ITestOutputHelper output) : GatewayTestBase
{
    private const string Png1x1 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

    /// <summary>Lets images (uninspectable content) go to zone <c>us</c> too, so <c>claude</c> may serve them.</summary>
    protected override void Configure(SwitchyardOptions options)
    {
        options.Privacy.Rules.Add(new PrivacyRuleConfig { Name = "images-ok", Classes = ["uninspectable"], Zones = ["self", "us"] });
    }

    private async Task<JsonElement> RunAsync(string scenario, string model)
    {
        var result = await NodeClient.RunScriptAsync("anthropic-client.mjs", scenario, Gateway.BaseUri.ToString().TrimEnd('/'), model);
        output.WriteLine($"{scenario} {model}: {result}");
        return result;
    }

    [Theory]
    [InlineData("local", "local")]
    [InlineData("claude", "claude")]
    [InlineData("default", "local")] // a route: the model that served it is reported
    public async Task Plain(string model, string served)
    {
        var result = await RunAsync("plain", model);
        AssertNoError(result);
        Assert.Equal("echo: hello from node", result.GetProperty("text").GetString());
        Assert.Equal("message", result.GetProperty("type").GetString());
        Assert.Equal("assistant", result.GetProperty("role").GetString());
        Assert.Equal(served, result.GetProperty("model").GetString());
        Assert.Equal("end_turn", result.GetProperty("stop_reason").GetString());
        Assert.Equal(JsonValueKind.Null, result.GetProperty("stop_sequence").ValueKind);
        var id = result.GetProperty("id").GetString();
        Assert.StartsWith("msg_", id, StringComparison.Ordinal);
        Assert.Equal(id, result.GetProperty("x_request_id").GetString());
        var content = Assert.Single(result.GetProperty("content").EnumerateArray());
        Assert.Equal("text", content.GetProperty("type").GetString());

        // FakeUsage.DefaultUsage: 11 input tokens of which 3 cached, 7 output. Anthropic reports input apart from cache reads.
        var usage = result.GetProperty("usage");
        Assert.Equal(7, usage.GetProperty("output_tokens").GetInt32());
        Assert.Equal(3, usage.GetProperty("cache_read_input_tokens").GetInt32());
        Assert.Equal(0, usage.GetProperty("cache_creation_input_tokens").GetInt32());
        Assert.Equal(ExpectedUncachedInput(model), usage.GetProperty("input_tokens").GetInt32());
        Assert.StartsWith($"route={(model == "default" ? "default" : "-")}; model={served};", result.GetProperty("route").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("local")]
    [InlineData("claude")]
    public async Task Stream(string model)
    {
        Upstream.DefaultBehavior = FakeBehavior.Text("one two three four", new FakeUsage(9, 4));
        var result = await RunAsync("stream", model);
        AssertNoError(result);
        Assert.Equal("one two three four", result.GetProperty("text").GetString());
        AssertWellFormedStream(result.GetProperty("events"));
        Assert.Contains(result.GetProperty("events").EnumerateArray(), e => e.TryGetProperty("delta", out var d) && d.GetString() == "text_delta");

        var final = result.GetProperty("final");
        Assert.Equal("one two three four", final.GetProperty("text").GetString());
        Assert.Equal(model, final.GetProperty("model").GetString());
        Assert.StartsWith("msg_", final.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("end_turn", final.GetProperty("stop_reason").GetString());
        Assert.Equal(4, final.GetProperty("usage").GetProperty("output_tokens").GetInt32());
        Assert.Equal(9, final.GetProperty("usage").GetProperty("input_tokens").GetInt32());

        Assert.True(Assert.Single(Upstream.Requests).Stream);
    }

    [Theory]
    [InlineData("local")]
    [InlineData("claude")]
    public async Task Tool_CallAndResultRoundTrip(string model)
    {
        Upstream.Once(model + "-up", FakeBehavior.ToolCall("get_weather", """{"city":"Paris"}""", "toolu_node"));
        var result = await RunAsync("tool", model);
        AssertNoError(result);
        Assert.Equal("tool_use", result.GetProperty("stop_reason").GetString());
        Assert.Equal("get_weather", result.GetProperty("tool_name").GetString());
        Assert.Equal("toolu_node", result.GetProperty("tool_use_id").GetString());
        Assert.Equal("Paris", result.GetProperty("tool_input").GetProperty("city").GetString());
        Assert.True(result.GetProperty("second_ok").GetBoolean());
        Assert.Equal("end_turn", result.GetProperty("second_stop_reason").GetString());

        Assert.Equal(2, Upstream.Requests.Count);
        using var first = JsonDocument.Parse(Upstream.Requests[0].Body);
        using var second = JsonDocument.Parse(Upstream.Requests[1].Body);
        if (model == "local")
        {
            Assert.Equal("get_weather", first.RootElement.GetProperty("tools")[0].GetProperty("function").GetProperty("name").GetString());
            var messages = second.RootElement.GetProperty("messages");
            var call = messages[1].GetProperty("tool_calls")[0];
            Assert.Equal("toolu_node", call.GetProperty("id").GetString());
            Assert.Equal("get_weather", call.GetProperty("function").GetProperty("name").GetString());
            Assert.Equal("tool", messages[2].GetProperty("role").GetString());
            Assert.Equal("toolu_node", messages[2].GetProperty("tool_call_id").GetString());
            Assert.Contains("21", messages[2].GetProperty("content").ToString(), StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal("get_weather", first.RootElement.GetProperty("tools")[0].GetProperty("name").GetString());
            var messages = second.RootElement.GetProperty("messages");
            var use = messages[1].GetProperty("content").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "tool_use");
            Assert.Equal("toolu_node", use.GetProperty("id").GetString());
            Assert.Equal("Paris", use.GetProperty("input").GetProperty("city").GetString());
            var toolResult = messages[2].GetProperty("content").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "tool_result");
            Assert.Equal("user", messages[2].GetProperty("role").GetString());
            Assert.Equal("toolu_node", toolResult.GetProperty("tool_use_id").GetString());
            Assert.Contains("21", toolResult.GetProperty("content").ToString(), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("local")]
    [InlineData("claude")]
    public async Task ToolStream_InputArrivesAsInputJsonDeltas(string model)
    {
        Upstream.Once(model + "-up", FakeBehavior.ToolCall("get_weather", """{"city":"Paris"}""", "toolu_stream"));
        var result = await RunAsync("tool-stream", model);
        AssertNoError(result);
        var events = result.GetProperty("events");
        AssertWellFormedStream(events);
        Assert.Contains(events.EnumerateArray(), e => e.GetProperty("type").GetString() == "content_block_start" && e.GetProperty("block").GetString() == "tool_use");
        Assert.Contains(events.EnumerateArray(), e => e.TryGetProperty("delta", out var d) && d.GetString() == "input_json_delta");
        Assert.Equal("get_weather", result.GetProperty("tool_name").GetString());
        Assert.Equal("toolu_stream", result.GetProperty("tool_use_id").GetString());
        Assert.Equal("Paris", result.GetProperty("tool_input").GetProperty("city").GetString());
        Assert.Equal("tool_use", result.GetProperty("final").GetProperty("stop_reason").GetString());
    }

    [Theory]
    [InlineData("local")]
    [InlineData("claude")]
    public async Task SystemBlocksAndImage_ReachTheUpstream(string model)
    {
        var result = await RunAsync("system-and-blocks", model);
        AssertNoError(result);
        Assert.Equal("echo: describe this image", result.GetProperty("text").GetString());
        Assert.Equal("end_turn", result.GetProperty("stop_reason").GetString());

        using var sent = JsonDocument.Parse(Assert.Single(Upstream.Requests).Body);
        var body = sent.RootElement;
        if (model == "local")
        {
            var messages = body.GetProperty("messages");
            Assert.Equal("system", messages[0].GetProperty("role").GetString());
            var system = messages[0].GetProperty("content").ToString();
            Assert.Contains("You are terse.", system, StringComparison.Ordinal);
            Assert.Contains("Answer in English.", system, StringComparison.Ordinal);
            var user = messages[1];
            Assert.Equal("user", user.GetProperty("role").GetString());
            var parts = user.GetProperty("content").EnumerateArray().ToList();
            Assert.Equal(["text", "image_url", "text"], parts.Select(p => p.GetProperty("type").GetString()));
            Assert.Equal("data:image/png;base64," + Png1x1, parts[1].GetProperty("image_url").GetProperty("url").GetString());
        }
        else
        {
            var system = body.GetProperty("system").ToString();
            Assert.Contains("You are terse.", system, StringComparison.Ordinal);
            Assert.Contains("Answer in English.", system, StringComparison.Ordinal);
            var parts = body.GetProperty("messages")[0].GetProperty("content").EnumerateArray().ToList();
            Assert.Equal(["text", "image", "text"], parts.Select(p => p.GetProperty("type").GetString()));
            var source = parts[1].GetProperty("source");
            Assert.Equal("base64", source.GetProperty("type").GetString());
            Assert.Equal("image/png", source.GetProperty("media_type").GetString());
            Assert.Equal(Png1x1, source.GetProperty("data").GetString());
        }
    }

    [Theory]
    [InlineData("local")]
    [InlineData("claude")]
    public async Task Errors_ReachTheSdkAsTypedApiErrors(string model)
    {
        Upstream.DefaultBehavior = FakeBehavior.Status(429, "slow down", TimeSpan.FromSeconds(2));
        var result = await RunAsync("error", model);

        var missing = result.GetProperty("missing_max_tokens").GetProperty("error");
        Assert.Equal("BadRequestError", missing.GetProperty("name").GetString());
        Assert.Equal(400, missing.GetProperty("status").GetInt32());
        Assert.Equal("invalid_request_error", missing.GetProperty("type").GetString());
        Assert.Equal("error", missing.GetProperty("body").GetProperty("type").GetString());
        Assert.Contains("max_tokens", missing.GetProperty("api_message").GetString(), StringComparison.Ordinal);

        var unknown = result.GetProperty("unknown_model").GetProperty("error");
        Assert.Equal("NotFoundError", unknown.GetProperty("name").GetString());
        Assert.Equal(404, unknown.GetProperty("status").GetInt32());
        Assert.Equal("not_found_error", unknown.GetProperty("type").GetString());
        Assert.Contains("no-such-model", unknown.GetProperty("api_message").GetString(), StringComparison.Ordinal);

        var upstream = result.GetProperty("upstream").GetProperty("error");
        Assert.Equal("RateLimitError", upstream.GetProperty("name").GetString());
        Assert.Equal(429, upstream.GetProperty("status").GetInt32());
        Assert.Equal("rate_limit_error", upstream.GetProperty("type").GetString());
        Assert.Contains("slow down", upstream.GetProperty("api_message").GetString(), StringComparison.Ordinal);
        if (model == "local")
        {
            // Not asserted for claude: the Anthropic provider drops the upstream's Retry-After (AnthropicErrorChatClient
            // builds its ProviderException without one), so the gateway sends none.
            Assert.Equal("2", upstream.GetProperty("retry_after").GetString());
        }

        Assert.Single(Upstream.Requests); // the first two never left the gateway
    }

    [Theory]
    [InlineData("local")]
    [InlineData("claude")]
    public async Task MidStreamFailure_RaisesInTheSdk(string model)
    {
        Upstream.When(model + "-up", FakeBehavior.CutMidStream(2));
        var result = await RunAsync("midstream-failure", model);
        Assert.False(result.GetProperty("clean_end").GetBoolean());
        Assert.Equal("one two", result.GetProperty("text").GetString());
        var error = result.GetProperty("error");
        Assert.Equal("APIError", error.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, error.GetProperty("status").ValueKind); // an `error` event, not an HTTP status
        Assert.Equal("error", error.GetProperty("body").GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(error.GetProperty("type").GetString()));

        var types = result.GetProperty("event_types").EnumerateArray().Select(e => e.GetString()).ToList();
        Assert.Equal("message_start", types[0]);
        Assert.DoesNotContain("message_delta", types);
        Assert.DoesNotContain("message_stop", types);
        Assert.Equal(JsonValueKind.Null, result.GetProperty("final").ValueKind);
    }

    /// <summary>
    /// Extended thinking over two turns, the first one streamed or not: the SDK gets the upstream's thinking block
    /// (text and signature exactly), and when it sends that assistant content back the Anthropic upstream receives the
    /// thinking block with the identical signature, and the request's <c>thinking</c> config. The signature is long,
    /// random-looking base64 like a real one, which the privacy guard must not take for a secret.
    /// </summary>
    [Theory]
    [InlineData("thinking-roundtrip")]
    [InlineData("thinking-roundtrip-stream")]
    public async Task Thinking_BlockAndSignatureRoundTrip(string scenario)
    {
        const string thinking = "The user wants 27 times 453. 27 * 453 = 12231.";
        var signature = RealisticSignature();
        Upstream.Once("claude-up", FakeBehavior.Thinking(thinking, signature, "27 * 453 = 12231."));
        Upstream.Once("claude-up", FakeBehavior.Text("12231 / 3 = 4077."));

        var result = await RunAsync(scenario, "claude");
        AssertNoError(result);
        Assert.Equal(["thinking", "text"], result.GetProperty("first_content_types").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(thinking, result.GetProperty("thinking").GetString());
        Assert.Equal(signature, result.GetProperty("signature").GetString());
        Assert.Equal("27 * 453 = 12231.", result.GetProperty("first_text").GetString());
        Assert.Equal("end_turn", result.GetProperty("first_stop_reason").GetString());
        Assert.Equal("12231 / 3 = 4077.", result.GetProperty("second_text").GetString());
        Assert.Equal("end_turn", result.GetProperty("second_stop_reason").GetString());
        if (scenario.EndsWith("-stream", StringComparison.Ordinal))
        {
            var events = result.GetProperty("first_events");
            AssertWellFormedStream(events);
            Assert.Contains(events.EnumerateArray(), e => e.GetProperty("type").GetString() == "content_block_start" && e.GetProperty("block").GetString() == "thinking");
            Assert.Contains(events.EnumerateArray(), e => e.TryGetProperty("delta", out var d) && d.GetString() == "thinking_delta");
            Assert.Contains(events.EnumerateArray(), e => e.TryGetProperty("delta", out var d) && d.GetString() == "signature_delta");
        }

        Assert.Equal(2, Upstream.Requests.Count);
        Assert.Equal(scenario.EndsWith("-stream", StringComparison.Ordinal), Upstream.Requests[0].Stream);
        foreach (var request in Upstream.Requests)
        {
            using var body = JsonDocument.Parse(request.Body);
            var config = body.RootElement.GetProperty("thinking");
            Assert.Equal("enabled", config.GetProperty("type").GetString());
            Assert.Equal(1024, config.GetProperty("budget_tokens").GetInt32());
            Assert.Equal(2048, body.RootElement.GetProperty("max_tokens").GetInt32());
        }

        using var second = JsonDocument.Parse(Upstream.Requests[1].Body);
        var messages = second.RootElement.GetProperty("messages");
        Assert.Equal(["user", "assistant", "user"], messages.EnumerateArray().Select(m => m.GetProperty("role").GetString()));
        var blocks = messages[1].GetProperty("content").EnumerateArray().ToList();
        Assert.Equal("thinking", blocks[0].GetProperty("type").GetString()); // thinking must stay first in the assistant turn
        Assert.Equal(thinking, blocks[0].GetProperty("thinking").GetString());
        Assert.Equal(signature, blocks[0].GetProperty("signature").GetString());
        Assert.Contains(blocks, b => b.GetProperty("type").GetString() == "text" && b.GetProperty("text").GetString() == "27 * 453 = 12231.");
        Assert.Contains("Now divide that by 3.", messages[2].GetProperty("content").ToString(), StringComparison.Ordinal);

        var rows = await Gateway.StopAndReadLedgerAsync();
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Equal(("ok", 200, "claude"), (r.Status, r.HttpStatus, r.ServedModel)));
    }

    /// <summary>A signature like Anthropic's: 300 bytes of (seeded) random data in base64 (400 characters, "EqQ…").</summary>
    private static string RealisticSignature()
    {
        var bytes = new byte[300];
        new Random(20250611).NextBytes(bytes);
        (bytes[0], bytes[1]) = (0x12, 0xA4);
        return Convert.ToBase64String(bytes);
    }

    /// <summary>
    /// An OpenAI-style upstream counts cached tokens inside prompt_tokens (11 incl. 3 cached, so 8 uncached); the fake
    /// Anthropic upstream writes input_tokens as given, which Anthropic counts apart from cache reads (so 11 uncached).
    /// </summary>
    private static int ExpectedUncachedInput(string model) => model == "claude" ? 11 : 8;

    private static void AssertNoError(JsonElement result)
    {
        if (result.TryGetProperty("error", out var error) && error.ValueKind != JsonValueKind.Null)
        {
            Assert.Fail("the SDK raised: " + error);
        }
    }

    /// <summary>
    /// One message_start first, one message_stop last right after one message_delta; content blocks numbered from 0,
    /// each content_block_start closed by a content_block_stop of the same index before the next starts, deltas only
    /// inside an open block.
    /// </summary>
    private static void AssertWellFormedStream(JsonElement events)
    {
        var list = events.EnumerateArray().ToList();
        var types = list.Select(e => e.GetProperty("type").GetString()).ToList();
        Assert.True(types.Count >= 3, "too few events: " + string.Join(", ", types));
        Assert.Equal("message_start", types[0]);
        Assert.Equal("message_stop", types[^1]);
        Assert.Equal("message_delta", types[^2]);
        Assert.Single(types, t => t == "message_start");
        Assert.Single(types, t => t == "message_delta");
        Assert.Single(types, t => t == "message_stop");

        int? open = null;
        var next = 0;
        foreach (var e in list.Skip(1).SkipLast(2))
        {
            var type = e.GetProperty("type").GetString();
            switch (type)
            {
                case "content_block_start":
                    Assert.True(open is null, $"content_block_start {e} while block {open} is open: {string.Join(", ", types)}");
                    Assert.Equal(next, e.GetProperty("index").GetInt32());
                    open = next++;
                    break;
                case "content_block_delta":
                    Assert.True(open is not null, $"content_block_delta {e} outside a block");
                    Assert.Equal(open, e.GetProperty("index").GetInt32());
                    break;
                case "content_block_stop":
                    Assert.True(open is not null, $"content_block_stop {e} with no open block");
                    Assert.Equal(open, e.GetProperty("index").GetInt32());
                    open = null;
                    break;
                default:
                    Assert.Fail($"unexpected event {type} between message_start and message_delta: {string.Join(", ", types)}");
                    break;
            }
        }

        Assert.True(open is null, "a content block was never stopped");
        Assert.True(next > 0, "no content block at all");
    }
}
