using System.Net;
using System.Text;
using Microsoft.Extensions.AI;
using Switchyard.Providers.OpenAI;
using Switchyard.Routing;

namespace Switchyard.Tests.Providers;

/// <summary>The hand-written OpenAI client against canned upstream bytes (cases the fake upstream does not play).</summary>
public sealed class OpenAIHttpChatClientTests
{
    private sealed class CannedHandler(HttpStatusCode status, string body, string mediaType, Action<HttpResponseMessage>? configure = null) : HttpMessageHandler
    {
        public string? LastBody { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            LastBody = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
            var response = new HttpResponseMessage(status) { Content = new StringContent(body, Encoding.UTF8, mediaType) };
            configure?.Invoke(response);
            return response;
        }
    }

    private static (OpenAIHttpChatClient Client, CannedHandler Handler) Create(HttpStatusCode status, string body, string mediaType = "text/event-stream", Action<HttpResponseMessage>? configure = null)
    {
        var handler = new CannedHandler(status, body, mediaType, configure);
        return (new OpenAIHttpChatClient(new HttpClient(handler), new Uri("http://upstream.test/v1"), "k", "m"), handler);
    }

    private static string Sse(params string[] events) => string.Concat(events.Select(e => "data: " + e + "\n\n"));

    private static async Task<List<ChatResponseUpdate>> CollectAsync(IChatClient client, List<ChatResponseUpdate> into)
    {
        await foreach (var u in client.GetStreamingResponseAsync("hi"))
        {
            into.Add(u);
        }

        return into;
    }

    [Fact]
    public async Task ToolCallFragments_AreAssembledPerIndex_InOrder()
    {
        var (client, handler) = Create(HttpStatusCode.OK, Sse(
            """{"id":"c","model":"m","choices":[{"index":0,"delta":{"role":"assistant","tool_calls":[{"index":1,"id":"b","type":"function","function":{"name":"second","arguments":""}}]}}]}""",
            """{"id":"c","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"a","type":"function","function":{"name":"first","arguments":"{\"x\":"}}]}}]}""",
            """{"id":"c","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"1}"}},{"index":1,"function":{"arguments":"{}"}}]}}]}""",
            """{"id":"c","choices":[{"index":0,"delta":{},"finish_reason":"tool_calls"}]}""",
            """{"id":"c","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":4,"total_tokens":13,"prompt_tokens_details":{"cached_tokens":2}}}""",
            "[DONE]"));

        var updates = await CollectAsync(client, []);

        var calls = updates.SelectMany(u => u.Contents).OfType<FunctionCallContent>().ToList();
        Assert.Equal(["a", "b"], calls.Select(c => c.CallId));
        Assert.Equal(["first", "second"], calls.Select(c => c.Name));
        Assert.Equal("1", calls[0].Arguments!["x"]!.ToString());
        var usage = updates.SelectMany(u => u.Contents).OfType<UsageContent>().Single().Details;
        Assert.Equal((9L, 4L, 2L), (usage.InputTokenCount!.Value, usage.OutputTokenCount!.Value, usage.CachedInputTokenCount!.Value));
        Assert.Contains("\"stream_options\":{\"include_usage\":true}", handler.LastBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ErrorEventMidStream_ThrowsAfterTheTextThatArrived()
    {
        var (client, _) = Create(HttpStatusCode.OK, Sse(
            """{"choices":[{"index":0,"delta":{"content":"par"}}]}""",
            """{"error":{"message":"model crashed","type":"server_error"}}"""));
        var updates = new List<ChatResponseUpdate>();

        var ex = await Assert.ThrowsAsync<ProviderException>(() => CollectAsync(client, updates));

        Assert.Equal("par", string.Concat(updates.Select(u => u.Text)));
        Assert.Equal(ProviderFailureKind.ServerError, ex.Kind);
        Assert.Contains("model crashed", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StreamEndingWithoutFinish_IsAConnectionFailure_ButFinishWithoutDoneIsFine()
    {
        var (cut, _) = Create(HttpStatusCode.OK, Sse("""{"choices":[{"index":0,"delta":{"content":"half"}}]}"""));
        Assert.Equal(ProviderFailureKind.Connection, (await Assert.ThrowsAsync<ProviderException>(() => CollectAsync(cut, []))).Kind);

        var (noDone, _) = Create(HttpStatusCode.OK, ": keep-alive comment\r\n\r\n" + Sse(
            """{"choices":[{"index":0,"delta":{"content":"whole"}}]}""",
            """{"choices":[{"index":0,"delta":{},"finish_reason":"length"}]}"""));
        var updates = await CollectAsync(noDone, []);
        Assert.Equal("whole", string.Concat(updates.Select(u => u.Text)));
        Assert.Equal(ChatFinishReason.Length, updates.Last(u => u.FinishReason is not null).FinishReason);
    }

    [Fact]
    public async Task HttpError_CarriesStatusMessageAndRetryAfter()
    {
        var (client, _) = Create(HttpStatusCode.TooManyRequests, """{"error":{"message":"slow down","type":"requests"}}""", "application/json",
            r => r.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(TimeSpan.FromSeconds(3)));

        var ex = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("hi"));

        Assert.Equal((ProviderFailureKind.RateLimited, 429, "slow down"), (ex.Kind, ex.StatusCode!.Value, ex.Message));
        Assert.Equal(TimeSpan.FromSeconds(3), ex.RetryAfter);
    }

    [Fact]
    public async Task HttpErrorWithoutJson_KeepsTheBodyText()
    {
        var (client, _) = Create(HttpStatusCode.BadGateway, "<html>bad gateway</html>", "text/html");
        var ex = await Assert.ThrowsAsync<ProviderException>(() => client.GetResponseAsync("hi"));
        Assert.Equal(ProviderFailureKind.ServerError, ex.Kind);
        Assert.Equal("<html>bad gateway</html>", ex.Message);
    }
}
