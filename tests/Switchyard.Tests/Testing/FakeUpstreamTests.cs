using System.ClientModel;
using System.ClientModel.Primitives;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using OpenAI;
using OpenAI.Chat;
using Switchyard.Testing;

namespace Switchyard.Tests.Testing;

public sealed class FakeUpstreamTests
{
    private const string Model = "gpt-test";
    private const string ClaudeModel = "claude-test";

    [Fact]
    public async Task OpenAI_Plain_EchoesLastUserMessageWithUsage()
    {
        await using FakeUpstream fake = await FakeUpstream.StartAsync();
        ChatClient client = CreateOpenAIClient(fake);

        ChatCompletion completion = await client.CompleteChatAsync(
            [new SystemChatMessage("be brief"), new UserChatMessage("first"), new AssistantChatMessage("ok"), new UserChatMessage("hello there")]);

        Assert.Equal("echo: hello there", Assert.Single(completion.Content).Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal(Model, completion.Model);
        Assert.StartsWith("chatcmpl-", completion.Id, StringComparison.Ordinal);
        Assert.Equal(11, completion.Usage.InputTokenCount);
        Assert.Equal(7, completion.Usage.OutputTokenCount);
        Assert.Equal(18, completion.Usage.TotalTokenCount);
        Assert.Equal(3, completion.Usage.InputTokenDetails.CachedTokenCount);
    }

    [Fact]
    public async Task OpenAI_Stream_SdkConcatenatesWordsAndReadsUsage()
    {
        await using FakeUpstream fake = await FakeUpstream.StartAsync();
        fake.When(Model, FakeBehavior.Text("one two  three", new FakeUsage(5, 3)));
        ChatClient client = CreateOpenAIClient(fake);

        StringBuilder text = new();
        ChatTokenUsage? usage = null;
        ChatFinishReason? finishReason = null;
        int contentUpdates = 0;
        await foreach (StreamingChatCompletionUpdate update in client.CompleteChatStreamingAsync([new UserChatMessage("hi")]))
        {
            foreach (ChatMessageContentPart part in update.ContentUpdate)
            {
                if (part.Text.Length > 0)
                {
                    contentUpdates++;
                }

                text.Append(part.Text);
            }

            usage ??= update.Usage;
            finishReason ??= update.FinishReason;
        }

        Assert.Equal("one two  three", text.ToString());
        Assert.Equal(3, contentUpdates);
        Assert.Equal(ChatFinishReason.Stop, finishReason);
        Assert.NotNull(usage);
        Assert.Equal(5, usage.InputTokenCount);
        Assert.Equal(3, usage.OutputTokenCount);
        RecordedRequest request = Assert.Single(fake.Requests);
        Assert.True(request.Stream);
    }

    [Fact]
    public async Task OpenAI_StreamWithUsage_EndsWithDone()
    {
        await using FakeUpstream fake = await FakeUpstream.StartAsync();
        using HttpClient http = CreateHttpClient(fake);

        using HttpResponseMessage response = await PostAsync(http, "v1/chat/completions",
            """{"model":"gpt-test","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":[{"type":"text","text":"a "},{"type":"text","text":"b"}]}]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        List<string> data = ParseSse(await response.Content.ReadAsStringAsync()).Select(e => e.Data).ToList();
        Assert.Equal("[DONE]", data[^1]);

        List<JsonElement> chunks = data.SkipLast(1).Select(d => JsonDocument.Parse(d).RootElement).ToList();
        Assert.All(chunks, c => Assert.Equal("chat.completion.chunk", c.GetProperty("object").GetString()));
        JsonElement first = chunks[0].GetProperty("choices")[0].GetProperty("delta");
        Assert.Equal("assistant", first.GetProperty("role").GetString());
        Assert.Equal(string.Empty, first.GetProperty("content").GetString());

        string content = string.Concat(chunks.Skip(1)
            .Where(c => c.GetProperty("choices").GetArrayLength() > 0)
            .Select(c => c.GetProperty("choices")[0].GetProperty("delta"))
            .Where(d => d.TryGetProperty("content", out _))
            .Select(d => d.GetProperty("content").GetString()));
        Assert.Equal("echo: a b", content);

        JsonElement finish = chunks[^2].GetProperty("choices")[0];
        Assert.Equal("stop", finish.GetProperty("finish_reason").GetString());
        JsonElement usageChunk = chunks[^1];
        Assert.Equal(0, usageChunk.GetProperty("choices").GetArrayLength());
        JsonElement usage = usageChunk.GetProperty("usage");
        Assert.Equal(11, usage.GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(7, usage.GetProperty("completion_tokens").GetInt32());
        Assert.Equal(18, usage.GetProperty("total_tokens").GetInt32());
        Assert.Equal(3, usage.GetProperty("prompt_tokens_details").GetProperty("cached_tokens").GetInt32());
    }

    [Fact]
    public async Task OpenAI_StreamWithoutIncludeUsage_HasNoUsageChunk()
    {
        await using FakeUpstream fake = await FakeUpstream.StartAsync();
        using HttpClient http = CreateHttpClient(fake);

        using HttpResponseMessage response = await PostAsync(http, "v1/chat/completions",
            """{"model":"gpt-test","stream":true,"messages":[{"role":"user","content":"x"}]}""");

        List<string> data = ParseSse(await response.Content.ReadAsStringAsync()).Select(e => e.Data).ToList();
        Assert.Equal("[DONE]", data[^1]);
        Assert.All(data.SkipLast(1), d => Assert.False(JsonDocument.Parse(d).RootElement.TryGetProperty("usage", out _)));
        JsonElement last = JsonDocument.Parse(data[^2]).RootElement;
        Assert.Equal("stop", last.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task OpenAI_ToolCall_SdkReadsFunctionCall()
    {
        await using FakeUpstream fake = await FakeUpstream.StartAsync();
        fake.When(Model, FakeBehavior.ToolCall("get_weather", """{"city":"Paris"}""", "call_9"));
        ChatClient client = CreateOpenAIClient(fake);

        ChatCompletion completion = await client.CompleteChatAsync([new UserChatMessage("weather?")]);

        Assert.Equal(ChatFinishReason.ToolCalls, completion.FinishReason);
        ChatToolCall call = Assert.Single(completion.ToolCalls);
        Assert.Equal("call_9", call.Id);
        Assert.Equal("get_weather", call.FunctionName);
        Assert.Equal("Paris", JsonDocument.Parse(call.FunctionArguments.ToString()).RootElement.GetProperty("city").GetString());
    }

    [Fact]
    public async Task OpenAI_StreamedToolCall_ArgumentsArriveInPieces()
    {
        await using FakeUpstream fake = await FakeUpstream.StartAsync();
        const string arguments = """{"city":"Paris","unit":"celsius"}""";
        fake.When(Model, FakeBehavior.ToolCall("get_weather", arguments));
        ChatClient client = CreateOpenAIClient(fake);

        StringBuilder received = new();
        string? id = null;
        string? name = null;
        int pieces = 0;
        ChatFinishReason? finishReason = null;
        await foreach (StreamingChatCompletionUpdate update in client.CompleteChatStreamingAsync([new UserChatMessage("weather?")]))
        {
            foreach (StreamingChatToolCallUpdate toolUpdate in update.ToolCallUpdates)
            {
                id ??= toolUpdate.ToolCallId;
                name ??= toolUpdate.FunctionName;
                string piece = toolUpdate.FunctionArgumentsUpdate?.ToString() ?? string.Empty;
                if (piece.Length > 0)
                {
                    pieces++;
                    received.Append(piece);
                }
            }

            finishReason ??= update.FinishReason;
        }

        Assert.Equal("call_1", id);
        Assert.Equal("get_weather", name);
        Assert.Equal(arguments, received.ToString());
        Assert.True(pieces >= 2, $"expected the arguments in at least 2 pieces, got {pieces}");
        Assert.Equal(ChatFinishReason.ToolCalls, finishReason);
    }

    [Fact]
    public async Task OpenAI_JsonMode_EchoesJsonObject()
    {
        await using FakeUpstream fake = await FakeUpstream.StartAsync();
        ChatClient client = CreateOpenAIClient(fake);

        ChatCompletion completion = await client.CompleteChatAsync(
            [new UserChatMessage("say \"hi\"")],
            new ChatCompletionOptions { ResponseFormat = ChatResponseFormat.CreateJsonObjectFormat() });

        using JsonDocument json = JsonDocument.Parse(Assert.Single(completion.Content).Text);
        Assert.Equal("say \"hi\"", json.RootElement.GetProperty("echo").GetString());
    }

    [Fact]
    public async Task OpenAI_Status500_ReturnsOpenAIErrorJson()
    {
        await using FakeUpstream fake = await FakeUpstream.StartAsync();
        fake.When(Model, FakeBehavior.Status(500, "boom"));
        using HttpClient http = CreateHttpClient(fake);

        using HttpResponseMessage response = await PostAsync(http, "v1/chat/completions", """{"model":"gpt-test","messages":[]}""");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Null(response.Headers.RetryAfter);
        using JsonDocument body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        JsonElement error = body.RootElement.GetProperty("error");
        Assert.Equal("boom", error.GetProperty("message").GetString());
        Assert.Equal("server_error", error.GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Null, error.GetProperty("param").ValueKind);
        Assert.True(error.TryGetProperty("code", out _));
    }

    [Fact]
    public async Task OpenAI_Status429_SendsRetryAfterAndSdkSeesStatus()
    {
        await using FakeUpstream fake = await FakeUpstream.StartAsync();
        fake.When(Model, FakeBehavior.Status(429, "slow down", TimeSpan.FromSeconds(7)));
        using HttpClient http = CreateHttpClient(fake);

        using HttpResponseMessage response = await PostAsync(http, "v1/chat/completions", """{"model":"gpt-test","messages":[]}""");
        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(7), response.Headers.RetryAfter?.Delta);
        using JsonDocument body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("rate_limit_exceeded", body.RootElement.GetProperty("error").GetProperty("code").GetString());

        ChatClient client = CreateOpenAIClient(fake);
        ClientResultException exception = await Assert.ThrowsAsync<ClientResultException>(
            () => client.CompleteChatAsync([new UserChatMessage("x")]));
        Assert.Equal(429, exception.Status);
        Assert.Equal(2, fake.Requests.Count);
    }

    [Fact]
    public async Task ResetConnection_AbortsWithoutResponse()
    {
        await using FakeUpstream fake = await FakeUpstream.StartAsync();
        fake.When(Model, FakeBehavior.ResetConnection());
        using HttpClient http = CreateHttpClient(fake);

        await Assert.ThrowsAsync<HttpRequestException>(
            () => PostAsync(http, "v1/chat/completions", """{"model":"gpt-test","messages":[]}"""));

        Assert.Single(fake.Requests);
    }

    [Fact]
    public async Task CutMidStream_SendsSomeDeltasThenAborts()
    {
        await using FakeUpstream fake = await FakeUpstream.StartAsync();
        fake.When(Model, FakeBehavior.CutMidStream(2));
        using HttpClient http = CreateHttpClient(fake);

        using HttpResponseMessage response = await PostAsync(http, "v1/chat/completions",
            """{"model":"gpt-test","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"x"}]}""",
            HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        StringBuilder received = new();
        using StreamReader reader = new(await response.Content.ReadAsStreamAsync());
        await Assert.ThrowsAnyAsync<IOException>(async () =>
        {
            while (await reader.ReadLineAsync() is { } line)
            {
                received.Append(line).Append('\n');
            }
        });

        List<string> data = ParseSse(received.ToString()).Select(e => e.Data).ToList();
        Assert.Equal(3, data.Count);
        Assert.DoesNotContain("[DONE]", data);
        string content = string.Concat(data.Skip(1).Select(d =>
            JsonDocument.Parse(d).RootElement.GetProperty("choices")[0].GetProperty("delta").GetProperty("content").GetString()));
        Assert.Equal("one two", content);
    }

    [Fact]
    public async Task CutMidStream_NonStreamedRequest_ResetsConnection()
    {
        await using FakeUpstream fake = await FakeUpstream.StartAsync();
        fake.When(Model, FakeBehavior.CutMidStream(1));
        using HttpClient http = CreateHttpClient(fake);

        await Assert.ThrowsAsync<HttpRequestException>(
            () => PostAsync(http, "v1/chat/completions", """{"model":"gpt-test","messages":[]}"""));
    }

    [Fact]
    public async Task Anthropic_Plain_ReturnsMessageWithCacheUsage()
    {
        await using FakeUpstream fake = await FakeUpstream.StartAsync();
        fake.When(ClaudeModel, FakeBehavior.Text("hello", new FakeUsage(20, 5, CachedInputTokens: 4, CacheCreationInputTokens: 6)));
        using HttpClient http = CreateHttpClient(fake);

        using HttpResponseMessage response = await PostAsync(http, "v1/messages",
            """{"model":"claude-test","max_tokens":64,"messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using JsonDocument body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        JsonElement message = body.RootElement;
        Assert.Equal("message", message.GetProperty("type").GetString());
        Assert.Equal("assistant", message.GetProperty("role").GetString());
        Assert.Equal("claude-test", message.GetProperty("model").GetString());
        Assert.StartsWith("msg_", message.GetProperty("id").GetString(), StringComparison.Ordinal);
        JsonElement block = Assert.Single(message.GetProperty("content").EnumerateArray());
        Assert.Equal("text", block.GetProperty("type").GetString());
        Assert.Equal("hello", block.GetProperty("text").GetString());
        Assert.Equal("end_turn", message.GetProperty("stop_reason").GetString());
        Assert.Equal(JsonValueKind.Null, message.GetProperty("stop_sequence").ValueKind);
        JsonElement usage = message.GetProperty("usage");
        Assert.Equal(20, usage.GetProperty("input_tokens").GetInt32());
        Assert.Equal(5, usage.GetProperty("output_tokens").GetInt32());
        Assert.Equal(4, usage.GetProperty("cache_read_input_tokens").GetInt32());
        Assert.Equal(6, usage.GetProperty("cache_creation_input_tokens").GetInt32());
    }

    [Fact]
    public async Task Anthropic_Stream_EmitsEventSequenceAndEchoesArrayContent()
    {
        await using FakeUpstream fake = await FakeUpstream.StartAsync();
        using HttpClient http = CreateHttpClient(fake);

        using HttpResponseMessage response = await PostAsync(http, "v1/messages",
            """{"model":"claude-test","max_tokens":64,"stream":true,"messages":[{"role":"user","content":[{"type":"text","text":"red "},{"type":"text","text":"fox"}]}]}""");

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        List<(string? Event, string Data)> events = ParseSse(await response.Content.ReadAsStringAsync());
        List<string?> names = events.Select(e => e.Event).Where(n => n != "ping").ToList();
        Assert.Equal("message_start", names[0]);
        Assert.Equal("content_block_start", names[1]);
        Assert.Equal(["content_block_stop", "message_delta", "message_stop"], names[^3..]);
        Assert.All(events, e => Assert.Equal(e.Event, JsonDocument.Parse(e.Data).RootElement.GetProperty("type").GetString()));

        JsonElement start = JsonDocument.Parse(events.First(e => e.Event == "message_start").Data).RootElement.GetProperty("message");
        Assert.Equal(11, start.GetProperty("usage").GetProperty("input_tokens").GetInt32());
        Assert.Equal(3, start.GetProperty("usage").GetProperty("cache_read_input_tokens").GetInt32());
        Assert.Equal(1, start.GetProperty("usage").GetProperty("output_tokens").GetInt32());

        string text = string.Concat(events.Where(e => e.Event == "content_block_delta").Select(e =>
        {
            JsonElement delta = JsonDocument.Parse(e.Data).RootElement.GetProperty("delta");
            Assert.Equal("text_delta", delta.GetProperty("type").GetString());
            return delta.GetProperty("text").GetString();
        }));
        Assert.Equal("echo: red fox", text);

        JsonElement messageDelta = JsonDocument.Parse(events.First(e => e.Event == "message_delta").Data).RootElement;
        Assert.Equal("end_turn", messageDelta.GetProperty("delta").GetProperty("stop_reason").GetString());
        Assert.Equal(7, messageDelta.GetProperty("usage").GetProperty("output_tokens").GetInt32());
    }

    [Fact]
    public async Task Anthropic_StreamedToolCall_SendsInputJsonDeltas()
    {
        await using FakeUpstream fake = await FakeUpstream.StartAsync();
        const string arguments = """{"city":"Paris"}""";
        fake.When(ClaudeModel, FakeBehavior.ToolCall("get_weather", arguments, "toolu_7"));
        using HttpClient http = CreateHttpClient(fake);

        using HttpResponseMessage response = await PostAsync(http, "v1/messages",
            """{"model":"claude-test","max_tokens":64,"stream":true,"messages":[{"role":"user","content":"weather?"}]}""");

        List<(string? Event, string Data)> events = ParseSse(await response.Content.ReadAsStringAsync());
        JsonElement block = JsonDocument.Parse(events.First(e => e.Event == "content_block_start").Data).RootElement.GetProperty("content_block");
        Assert.Equal("tool_use", block.GetProperty("type").GetString());
        Assert.Equal("toolu_7", block.GetProperty("id").GetString());
        Assert.Equal("get_weather", block.GetProperty("name").GetString());
        List<string?> pieces = events.Where(e => e.Event == "content_block_delta")
            .Select(e => JsonDocument.Parse(e.Data).RootElement.GetProperty("delta"))
            .Select(d => d.GetProperty("type").GetString() == "input_json_delta" ? d.GetProperty("partial_json").GetString() : null)
            .ToList();
        Assert.True(pieces.Count >= 2);
        Assert.Equal(arguments, string.Concat(pieces));
        JsonElement messageDelta = JsonDocument.Parse(events.First(e => e.Event == "message_delta").Data).RootElement;
        Assert.Equal("tool_use", messageDelta.GetProperty("delta").GetProperty("stop_reason").GetString());
    }

    [Fact]
    public async Task Anthropic_ToolCall_ReturnsToolUseBlockWithObjectInput()
    {
        await using FakeUpstream fake = await FakeUpstream.StartAsync();
        fake.When(ClaudeModel, FakeBehavior.ToolCall("get_weather", """{"city":"Paris"}""", "toolu_8"));
        using HttpClient http = CreateHttpClient(fake);

        using HttpResponseMessage response = await PostAsync(http, "v1/messages",
            """{"model":"claude-test","max_tokens":64,"messages":[{"role":"user","content":"weather?"}]}""");

        using JsonDocument body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        JsonElement block = Assert.Single(body.RootElement.GetProperty("content").EnumerateArray());
        Assert.Equal("tool_use", block.GetProperty("type").GetString());
        Assert.Equal("toolu_8", block.GetProperty("id").GetString());
        Assert.Equal("Paris", block.GetProperty("input").GetProperty("city").GetString());
        Assert.Equal("tool_use", body.RootElement.GetProperty("stop_reason").GetString());
    }

    [Theory]
    [InlineData(429, "rate_limit_error")]
    [InlineData(500, "api_error")]
    [InlineData(529, "overloaded_error")]
    [InlineData(400, "invalid_request_error")]
    public async Task Anthropic_Status_ReturnsAnthropicErrorJson(int status, string errorType)
    {
        await using FakeUpstream fake = await FakeUpstream.StartAsync();
        fake.When(ClaudeModel, FakeBehavior.Status(status, "nope", TimeSpan.FromSeconds(3)));
        using HttpClient http = CreateHttpClient(fake);

        using HttpResponseMessage response = await PostAsync(http, "v1/messages",
            """{"model":"claude-test","max_tokens":64,"stream":true,"messages":[]}""");

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(3), response.Headers.RetryAfter?.Delta);
        using JsonDocument body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("error", body.RootElement.GetProperty("type").GetString());
        Assert.Equal(errorType, body.RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal("nope", body.RootElement.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task Behaviours_OnceBeforeWhenBeforeDefault()
    {
        await using FakeUpstream fake = await FakeUpstream.StartAsync();
        fake.When(Model, FakeBehavior.Text("persistent"));
        fake.Once(Model, FakeBehavior.Text("first"));
        fake.Once(Model, FakeBehavior.Text("second"));
        fake.DefaultBehavior = FakeBehavior.Text("default");
        ChatClient client = CreateOpenAIClient(fake);
        ChatClient other = CreateOpenAIClient(fake, "other-model");

        List<string> replies = [];
        for (int i = 0; i < 4; i++)
        {
            ChatCompletion completion = await client.CompleteChatAsync([new UserChatMessage("x")]);
            replies.Add(completion.Content[0].Text);
        }

        ChatCompletion fallback = await other.CompleteChatAsync([new UserChatMessage("x")]);

        Assert.Equal(["first", "second", "persistent", "persistent"], replies);
        Assert.Equal("default", fallback.Content[0].Text);
    }

    [Fact]
    public async Task Requests_RecordPathModelStreamBodyAndHeaders()
    {
        await using FakeUpstream fake = await FakeUpstream.StartAsync();
        using HttpClient http = CreateHttpClient(fake);
        const string body = """{"model":"claude-test","max_tokens":64,"messages":[{"role":"user","content":"hi"}]}""";
        using HttpRequestMessage request = new(HttpMethod.Post, "v1/messages")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-api-key", "sk-ant-test");
        request.Headers.Add("anthropic-version", "2023-06-01");

        using HttpResponseMessage response = await http.SendAsync(request);
        await CreateOpenAIClient(fake).CompleteChatAsync([new UserChatMessage("x")]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        IReadOnlyList<RecordedRequest> requests = fake.Requests;
        Assert.Equal(2, requests.Count);
        Assert.Equal("/v1/messages", requests[0].Path);
        Assert.Equal(ClaudeModel, requests[0].Model);
        Assert.False(requests[0].Stream);
        Assert.Equal(body, requests[0].Body);
        Assert.Equal("sk-ant-test", requests[0].Headers["X-Api-Key"]);
        Assert.Equal("2023-06-01", requests[0].Headers["anthropic-version"]);
        Assert.Equal("/v1/chat/completions", requests[1].Path);
        Assert.Equal(Model, requests[1].Model);
        Assert.Equal("Bearer test-key", requests[1].Headers["authorization"]);
    }

    [Fact]
    public async Task Reset_ClearsRequestsAndBehaviours()
    {
        await using FakeUpstream fake = await FakeUpstream.StartAsync();
        fake.When(Model, FakeBehavior.Status(500));
        fake.Once(Model, FakeBehavior.Status(503));
        fake.DefaultBehavior = FakeBehavior.Status(502);
        using HttpClient http = CreateHttpClient(fake);
        using (await PostAsync(http, "v1/chat/completions", """{"model":"gpt-test","messages":[]}"""))
        {
        }

        fake.Reset();

        Assert.Empty(fake.Requests);
        ChatCompletion completion = await CreateOpenAIClient(fake).CompleteChatAsync([new UserChatMessage("again")]);
        Assert.Equal("echo: again", completion.Content[0].Text);
        Assert.Single(fake.Requests);
    }

    [Fact]
    public async Task Delay_HonoursClientCancellation()
    {
        await using FakeUpstream fake = await FakeUpstream.StartAsync();
        fake.When(Model, FakeBehavior.Delay(TimeSpan.FromMinutes(5), FakeBehavior.Echo()));
        using HttpClient http = CreateHttpClient(fake);
        using CancellationTokenSource cancellation = new(TimeSpan.FromMilliseconds(200));
        Stopwatch stopwatch = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => http.PostAsync(
            "v1/chat/completions",
            new StringContent("""{"model":"gpt-test","messages":[]}""", Encoding.UTF8, "application/json"),
            cancellation.Token));

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task Delay_ThenBehavesAsInner()
    {
        await using FakeUpstream fake = await FakeUpstream.StartAsync();
        fake.When(Model, FakeBehavior.Delay(TimeSpan.FromMilliseconds(50), FakeBehavior.Text("late")));
        ChatCompletion completion = await CreateOpenAIClient(fake).CompleteChatAsync([new UserChatMessage("x")]);
        Assert.Equal("late", completion.Content[0].Text);
    }

    [Fact]
    public async Task DisposeAsync_AbortsPendingRequestsQuickly()
    {
        FakeUpstream fake = await FakeUpstream.StartAsync();
        fake.When(Model, FakeBehavior.Delay(Timeout.InfiniteTimeSpan, FakeBehavior.Echo()));
        using HttpClient http = CreateHttpClient(fake);
        Task<HttpResponseMessage> pending = PostAsync(http, "v1/chat/completions", """{"model":"gpt-test","messages":[]}""");
        while (fake.Requests.Count == 0)
        {
            await Task.Delay(10);
        }

        Stopwatch stopwatch = Stopwatch.StartNew();
        await fake.DisposeAsync();

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"dispose took {stopwatch.Elapsed}");
        await Assert.ThrowsAsync<HttpRequestException>(() => pending);
    }

    [Fact]
    public async Task Uris_PointAtLoopbackWithOpenAIVersionSegment()
    {
        await using FakeUpstream fake = await FakeUpstream.StartAsync();

        Assert.Equal("127.0.0.1", fake.BaseUri.Host);
        Assert.NotEqual(0, fake.BaseUri.Port);
        Assert.Equal("/", fake.BaseUri.AbsolutePath);
        Assert.Equal(new Uri(fake.BaseUri, "v1/"), fake.OpenAIBaseUri);
    }

    private static ChatClient CreateOpenAIClient(FakeUpstream fake, string model = Model) =>
        new(model, new ApiKeyCredential("test-key"), new OpenAIClientOptions
        {
            Endpoint = fake.OpenAIBaseUri,
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
        });

    private static HttpClient CreateHttpClient(FakeUpstream fake) =>
        new() { BaseAddress = fake.BaseUri, Timeout = TimeSpan.FromSeconds(30) };

    private static Task<HttpResponseMessage> PostAsync(HttpClient http, string path, string json, HttpCompletionOption option = HttpCompletionOption.ResponseContentRead)
    {
        HttpRequestMessage request = new(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        return http.SendAsync(request, option);
    }

    private static List<(string? Event, string Data)> ParseSse(string text)
    {
        List<(string? Event, string Data)> events = [];
        foreach (string block in text.Replace("\r\n", "\n", StringComparison.Ordinal).Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            string? name = null;
            string? data = null;
            foreach (string line in block.Split('\n'))
            {
                if (line.StartsWith("event: ", StringComparison.Ordinal))
                {
                    name = line["event: ".Length..];
                }
                else if (line.StartsWith("data: ", StringComparison.Ordinal))
                {
                    data = line["data: ".Length..];
                }
            }

            if (data is not null)
            {
                events.Add((name, data));
            }
        }

        return events;
    }
}
