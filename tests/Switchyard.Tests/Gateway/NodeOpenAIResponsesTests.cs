using System.Text.Json;
using Switchyard.Testing;
using Switchyard.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Switchyard.Tests.Gateway;

/// <summary>
/// The npm <c>openai</c> package's <c>client.responses.create</c>, driven by tests/js/openai-responses.mjs, against the
/// real gateway's <c>POST /v1/responses</c>: served by <c>local</c> (an OpenAI-compatible upstream, so the request is
/// translated to Chat Completions) and by <c>claude</c> (an Anthropic upstream, translated to Messages).
/// </summary>
public sealed class NodeOpenAIResponsesTests(ITestOutputHelper output) : GatewayTestBase
{
    private async Task<JsonElement> RunAsync(string scenario, string model)
    {
        var result = await NodeClient.RunScriptAsync("openai-responses.mjs", scenario, Gateway.OpenAIBaseUri.ToString().TrimEnd('/'), model);
        output.WriteLine($"{scenario} {model}: {result}");
        return result;
    }

    [Theory]
    [InlineData("local", "local")]
    [InlineData("claude", "claude")]
    [InlineData("default", "local")] // a route: the model that served it is reported
    public async Task Plain(string model, string served)
    {
        Upstream.DefaultBehavior = FakeBehavior.Text("Hello from upstream", new FakeUsage(12, 4, 3));
        var result = await RunAsync("plain", model);
        AssertNoError(result);
        Assert.Equal("Hello from upstream", result.GetProperty("output_text").GetString());
        Assert.Equal("completed", result.GetProperty("status").GetString());
        Assert.Equal("response", result.GetProperty("object").GetString());
        Assert.Equal(served, result.GetProperty("model").GetString());
        Assert.Equal(["message"], Strings(result.GetProperty("output_types")));
        Assert.Equal("resp_", result.GetProperty("id_prefix").GetString());
        var id = result.GetProperty("id").GetString();
        Assert.Equal(id, result.GetProperty("x_request_id").GetString());
        Assert.StartsWith($"route={(model == "default" ? "default" : "-")}; model={served};", result.GetProperty("route").GetString(), StringComparison.Ordinal);

        // Responses usage counts cached tokens inside input_tokens, as OpenAI does.
        var usage = result.GetProperty("usage");
        var input = ExpectedInput(served, 12, 3);
        Assert.Equal(input, usage.GetProperty("input_tokens").GetInt32());
        Assert.Equal(3, usage.GetProperty("input_tokens_details").GetProperty("cached_tokens").GetInt32());
        Assert.Equal(4, usage.GetProperty("output_tokens").GetInt32());
        Assert.Equal(input + 4, usage.GetProperty("total_tokens").GetInt32());

        // The instructions and the string input reached the upstream in its own format.
        var sent = Assert.Single(Upstream.Requests);
        Assert.Equal(served + "-up", sent.Model);
        Assert.False(sent.Stream);
        using var body = JsonDocument.Parse(sent.Body);
        var messages = body.RootElement.GetProperty("messages");
        if (served == "local")
        {
            Assert.Equal("/v1/chat/completions", sent.Path);
            Assert.Equal("system", messages[0].GetProperty("role").GetString());
            Assert.Contains("You are terse.", messages[0].GetProperty("content").ToString(), StringComparison.Ordinal);
            Assert.Equal("user", messages[1].GetProperty("role").GetString());
            Assert.Contains("hello from node", messages[1].GetProperty("content").ToString(), StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal("/v1/messages", sent.Path);
            Assert.Contains("You are terse.", body.RootElement.GetProperty("system").ToString(), StringComparison.Ordinal);
            Assert.Equal("user", messages[0].GetProperty("role").GetString());
            Assert.Contains("hello from node", messages[0].GetProperty("content").ToString(), StringComparison.Ordinal);
        }

        var row = Assert.Single(await Gateway.StopAndReadLedgerAsync());
        Assert.Equal(id, row.RequestId);
        Assert.Equal(model, row.Requested);
        Assert.Equal(served, row.ServedModel);
        Assert.Equal(("ok", 200, false), (row.Status, row.HttpStatus, row.Streamed));
        Assert.Equal((input, 4L, 3L), (row.InputTokens, row.OutputTokens, row.CachedInputTokens));
        Assert.Equal(ExpectedCost(served, input, 4, 3), row.Cost);
    }

    [Theory]
    [InlineData("local")]
    [InlineData("claude")]
    public async Task Stream(string model)
    {
        Upstream.DefaultBehavior = FakeBehavior.Text("one two three four", new FakeUsage(9, 4));
        var result = await RunAsync("stream", model);
        AssertNoError(result);

        var types = Strings(result.GetProperty("event_types"));
        Assert.Equal("response.created", types[0]);
        Assert.Equal("response.in_progress", types[1]);
        Assert.Equal("response.completed", types[^1]);
        Assert.Single(types, t => t == "response.created");
        Assert.Single(types, t => t == "response.completed");
        Assert.DoesNotContain("response.failed", types);
        Assert.DoesNotContain("error", types);
        // One message item: opened, text deltas, then closed in order.
        Assert.Equal(
            ["response.output_item.added", "response.content_part.added", "response.output_text.delta", "response.output_text.done", "response.content_part.done", "response.output_item.done"],
            types.Skip(2).SkipLast(1).Distinct());
        var deltas = result.GetProperty("deltas").GetInt32();
        Assert.True(deltas >= 1, "no output_text.delta events");
        Assert.Equal(deltas, types.Count(t => t == "response.output_text.delta"));

        // sequence_number counts every event from 0.
        var sequence = result.GetProperty("sequence_numbers").EnumerateArray().Select(n => n.GetInt32()).ToList();
        Assert.Equal(Enumerable.Range(0, types.Count), sequence);

        Assert.Equal("one two three four", result.GetProperty("text").GetString());
        Assert.Equal("one two three four", result.GetProperty("done_text").GetString());

        var final = result.GetProperty("final");
        Assert.Equal(result.GetProperty("created_id").GetString(), final.GetProperty("id").GetString());
        Assert.Equal("resp_", final.GetProperty("id_prefix").GetString());
        Assert.Equal("completed", final.GetProperty("status").GetString());
        Assert.Equal(model, final.GetProperty("model").GetString());
        Assert.Equal("one two three four", final.GetProperty("output_text").GetString());
        var usage = final.GetProperty("usage");
        Assert.Equal(JsonValueKind.Object, usage.ValueKind);
        Assert.Equal(9, usage.GetProperty("input_tokens").GetInt32());
        Assert.Equal(4, usage.GetProperty("output_tokens").GetInt32());
        Assert.Equal(13, usage.GetProperty("total_tokens").GetInt32());

        Assert.True(Assert.Single(Upstream.Requests).Stream);
        var row = Assert.Single(await Gateway.StopAndReadLedgerAsync());
        Assert.Equal(final.GetProperty("id").GetString(), row.RequestId);
        Assert.Equal(("ok", 200, true), (row.Status, row.HttpStatus, row.Streamed));
        Assert.Equal((9L, 4L), (row.InputTokens, row.OutputTokens));
    }

    [Theory]
    [InlineData("local")]
    [InlineData("claude")]
    public async Task FunctionCall_CallAndOutputRoundTrip(string model)
    {
        Upstream.Once(model + "-up", FakeBehavior.ToolCall("get_weather", """{"city":"Paris"}""", "call_node"));
        Upstream.Once(model + "-up", FakeBehavior.Text("It is 21 degrees in Paris."));
        var result = await RunAsync("function_call", model);
        AssertNoError(result);

        var first = result.GetProperty("first");
        Assert.Equal("completed", first.GetProperty("status").GetString());
        Assert.Equal(["function_call"], Strings(first.GetProperty("output_types")));
        var call = result.GetProperty("call");
        Assert.Equal("get_weather", call.GetProperty("name").GetString());
        Assert.Equal("Paris", call.GetProperty("arguments").GetProperty("city").GetString());
        Assert.Equal("call_node", call.GetProperty("call_id").GetString());
        Assert.Equal("completed", call.GetProperty("status").GetString());
        Assert.StartsWith("fc_", call.GetProperty("id").GetString(), StringComparison.Ordinal);

        var second = result.GetProperty("second");
        Assert.Equal("It is 21 degrees in Paris.", second.GetProperty("output_text").GetString());
        Assert.Equal("completed", second.GetProperty("status").GetString());

        Assert.Equal(2, Upstream.Requests.Count);
        using var firstSent = JsonDocument.Parse(Upstream.Requests[0].Body);
        using var secondSent = JsonDocument.Parse(Upstream.Requests[1].Body);
        var messages = secondSent.RootElement.GetProperty("messages");
        if (model == "local")
        {
            var tool = firstSent.RootElement.GetProperty("tools")[0];
            Assert.Equal("get_weather", tool.GetProperty("function").GetProperty("name").GetString());
            Assert.Equal("city", tool.GetProperty("function").GetProperty("parameters").GetProperty("required")[0].GetString());

            Assert.Equal(["user", "assistant", "tool"], messages.EnumerateArray().Select(m => m.GetProperty("role").GetString()));
            var sentCall = messages[1].GetProperty("tool_calls")[0];
            Assert.Equal("call_node", sentCall.GetProperty("id").GetString());
            Assert.Equal("get_weather", sentCall.GetProperty("function").GetProperty("name").GetString());
            using var args = JsonDocument.Parse(sentCall.GetProperty("function").GetProperty("arguments").GetString()!);
            Assert.Equal("Paris", args.RootElement.GetProperty("city").GetString());
            Assert.Equal("call_node", messages[2].GetProperty("tool_call_id").GetString());
            Assert.Contains("21", messages[2].GetProperty("content").ToString(), StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal("get_weather", firstSent.RootElement.GetProperty("tools")[0].GetProperty("name").GetString());

            Assert.Equal(["user", "assistant", "user"], messages.EnumerateArray().Select(m => m.GetProperty("role").GetString()));
            var use = messages[1].GetProperty("content").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "tool_use");
            Assert.Equal("call_node", use.GetProperty("id").GetString());
            Assert.Equal("get_weather", use.GetProperty("name").GetString());
            Assert.Equal("Paris", use.GetProperty("input").GetProperty("city").GetString());
            var toolResult = messages[2].GetProperty("content").EnumerateArray().Single(b => b.GetProperty("type").GetString() == "tool_result");
            Assert.Equal("call_node", toolResult.GetProperty("tool_use_id").GetString());
            Assert.Contains("21", toolResult.GetProperty("content").ToString(), StringComparison.Ordinal);
        }

        var rows = await Gateway.StopAndReadLedgerAsync();
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Equal(("ok", 200, model), (r.Status, r.HttpStatus, r.ServedModel)));
        Assert.Equal(
            [first.GetProperty("id").GetString(), second.GetProperty("id").GetString()],
            rows.Select(r => r.RequestId));
    }

    [Theory]
    [InlineData("local")]
    [InlineData("claude")]
    public async Task JsonSchema_ReachesTheUpstream(string model)
    {
        var result = await RunAsync("json_schema", model);
        AssertNoError(result);
        Assert.Equal("give json", result.GetProperty("parsed").GetProperty("echo").GetString());
        Assert.Equal("completed", result.GetProperty("status").GetString());

        using var sent = JsonDocument.Parse(Assert.Single(Upstream.Requests).Body);
        var body = sent.RootElement;
        JsonElement schema;
        if (model == "local")
        {
            var format = body.GetProperty("response_format");
            Assert.Equal("json_schema", format.GetProperty("type").GetString());
            var jsonSchema = format.GetProperty("json_schema");
            Assert.Equal("echo_reply", jsonSchema.GetProperty("name").GetString());
            schema = jsonSchema.GetProperty("schema");
        }
        else
        {
            var format = body.TryGetProperty("output_config", out var config) ? config.GetProperty("format") : body.GetProperty("output_format");
            Assert.Equal("json_schema", format.GetProperty("type").GetString());
            schema = format.GetProperty("schema");
        }

        Assert.Equal("object", schema.GetProperty("type").GetString());
        Assert.Equal("string", schema.GetProperty("properties").GetProperty("echo").GetProperty("type").GetString());
        Assert.Equal("echo", schema.GetProperty("required")[0].GetString());
    }

    /// <summary>
    /// <c>text.format.strict: true</c> asks for strict structured outputs; Chat Completions has the same switch
    /// (<c>response_format.json_schema.strict</c>, default false), so an OpenAI-compatible upstream must receive it.
    /// </summary>
    [Fact]
    public async Task JsonSchema_StrictReachesAnOpenAIUpstream()
    {
        var result = await RunAsync("json_schema", "local");
        AssertNoError(result);
        using var sent = JsonDocument.Parse(Assert.Single(Upstream.Requests).Body);
        var jsonSchema = sent.RootElement.GetProperty("response_format").GetProperty("json_schema");
        Assert.True(
            jsonSchema.TryGetProperty("strict", out var strict) && strict.ValueKind == JsonValueKind.True,
            "text.format.strict: true was not forwarded as response_format.json_schema.strict: " + jsonSchema);
    }

    [Theory]
    [InlineData("local")]
    [InlineData("claude")]
    public async Task Errors_ReachTheSdkAsTypedApiErrors(string model)
    {
        Upstream.DefaultBehavior = FakeBehavior.Status(429, "slow down", TimeSpan.FromSeconds(2));
        var result = await RunAsync("error", model);

        var unknown = result.GetProperty("unknown_model").GetProperty("error");
        Assert.Equal("NotFoundError", unknown.GetProperty("name").GetString());
        Assert.Equal(404, unknown.GetProperty("status").GetInt32());
        Assert.Equal("model_not_found", unknown.GetProperty("code").GetString());
        Assert.Contains("no-such-model", unknown.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("resp_", unknown.GetProperty("request_id").GetString(), StringComparison.Ordinal);

        var bad = result.GetProperty("bad_request").GetProperty("error");
        Assert.Equal("BadRequestError", bad.GetProperty("name").GetString());
        Assert.Equal(400, bad.GetProperty("status").GetInt32());
        Assert.Equal("previous_response_id", bad.GetProperty("param").GetString());
        Assert.Equal("unsupported_parameter", bad.GetProperty("code").GetString());

        var upstream = result.GetProperty("upstream").GetProperty("error");
        Assert.Equal("RateLimitError", upstream.GetProperty("name").GetString());
        Assert.Equal(429, upstream.GetProperty("status").GetInt32());
        Assert.Contains("slow down", upstream.GetProperty("message").GetString(), StringComparison.Ordinal);

        Assert.Single(Upstream.Requests); // the first two never left the gateway
        var rows = await Gateway.StopAndReadLedgerAsync();
        Assert.Equal([404, 400, 429], rows.Select(r => r.HttpStatus));
        Assert.All(rows, r => Assert.Equal("error", r.Status));
        Assert.Equal(0m, rows.Sum(r => r.Cost));
    }

    /// <summary>
    /// The upstream dies after two deltas of a streamed response: the SDK sees the text deltas, then the gateway's
    /// <c>error</c> event makes its iteration raise (an APIError with no HTTP status), and no
    /// <c>response.completed</c> ever comes. Read raw, the stream is 200 and ends <c>error</c> then
    /// <c>response.failed</c> (status <c>failed</c>, with the error and the partial message), after which the gateway
    /// aborts the connection rather than ending the body cleanly (PipelineRunner.AbortAfterGraceAsync). Both requests
    /// are ledgered as streamed errors.
    /// </summary>
    [Theory]
    [InlineData("local")]
    [InlineData("claude")]
    public async Task MidStreamFailure_EndsWithErrorAndResponseFailed(string model)
    {
        Upstream.When(model + "-up", FakeBehavior.CutMidStream(2));
        var result = await RunAsync("midstream_failure", model);

        // Through the SDK.
        var types = Strings(result.GetProperty("event_types"));
        Assert.Equal("response.created", types[0]);
        Assert.Contains("response.output_text.delta", types);
        Assert.DoesNotContain("response.completed", types);
        Assert.DoesNotContain("response.incomplete", types);
        Assert.Equal("one two", result.GetProperty("text").GetString());
        Assert.False(result.GetProperty("clean_end").GetBoolean(), "the SDK's iteration ended without raising: " + result);
        var error = result.GetProperty("error");
        Assert.Equal("APIError", error.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, error.GetProperty("status").ValueKind); // an `error` event, not an HTTP status
        Assert.False(string.IsNullOrEmpty(error.GetProperty("code").GetString()));
        Assert.Equal(JsonValueKind.Null, result.GetProperty("final").ValueKind);

        // The raw stream: an error event then response.failed, last, and never completed.
        Assert.Equal(200, result.GetProperty("raw_status").GetInt32());
        var raw = Strings(result.GetProperty("raw_event_types"));
        Assert.Contains("response.output_text.delta", raw);
        Assert.DoesNotContain("response.completed", raw);
        Assert.Equal(["error", "response.failed"], raw.TakeLast(2));
        Assert.Single(raw, t => t == "error");
        var rawError = result.GetProperty("raw_error");
        Assert.Equal(error.GetProperty("code").GetString(), rawError.GetProperty("code").GetString());
        Assert.False(string.IsNullOrEmpty(rawError.GetProperty("message").GetString()));
        var failed = result.GetProperty("raw_failed");
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Equal(rawError.GetProperty("code").GetString(), failed.GetProperty("error").GetProperty("code").GetString());
        Assert.Equal("one two", failed.GetProperty("output_text").GetString());
        Assert.Equal(JsonValueKind.String, result.GetProperty("raw_read_error").ValueKind); // no clean end of the body

        var rows = await Gateway.StopAndReadLedgerAsync();
        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.Equal(("error", true), (r.Status, r.Streamed)));
    }

    /// <summary>
    /// Responses <c>input_tokens</c> include cached ones. An OpenAI-style upstream already counts them so; the fake
    /// Anthropic upstream writes <c>input_tokens</c> as given, which Anthropic counts apart from cache reads.
    /// </summary>
    private static int ExpectedInput(string served, int input, int cached) => served == "claude" ? input + cached : input;

    /// <summary>The cost of a request at <see cref="TestGateway"/>'s prices (per million tokens).</summary>
    private static decimal ExpectedCost(string served, long input, long output, long cached)
    {
        var price = served == "claude" ? TestGateway.ClaudePrice : TestGateway.LocalPrice;
        return (((input - cached) * price.Input) + (cached * price.CachedInput!.Value) + (output * price.Output)) / 1_000_000m;
    }

    private static List<string?> Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString())];

    private static void AssertNoError(JsonElement result)
    {
        if (result.TryGetProperty("error", out var error) && error.ValueKind != JsonValueKind.Null)
        {
            Assert.Fail("the SDK raised: " + error);
        }
    }
}
