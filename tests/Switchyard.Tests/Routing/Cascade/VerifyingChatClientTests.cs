using Microsoft.Extensions.AI;
using Switchyard.Routing.Cascade;
using Switchyard.Testing;

namespace Switchyard.Tests.Routing.Cascade;

public sealed class VerifyingChatClientTests
{
    private static readonly ChatMessage[] Conversation = [new(ChatRole.User, "What is 6 times 7?")];

    private static TestChatClient Answering(ChatResponse response) => new() { GetResponseAsyncCallback = (_, _, _) => Task.FromResult(response) };

    private static TestChatClient Streaming(params ChatResponseUpdate[] updates) => new() { GetStreamingResponseAsyncCallback = (_, _, _) => updates.ToAsyncEnumerable() };

    private static ChatResponseUpdate Text(string text) => new(ChatRole.Assistant, text) { MessageId = "m1" };

    [Fact]
    public async Task Accepted_ReturnsTheAnswer_AndReportsTheVerdict()
    {
        var answer = new ChatResponse(new ChatMessage(ChatRole.Assistant, "42"));
        var verifier = new FakeVerifier(FakeVerifier.Accept());
        var verdicts = new List<CascadeVerdict>();
        using var client = new VerifyingChatClient(Answering(answer), verifier, verdicts.Add);

        var response = await client.GetResponseAsync(Conversation);

        Assert.Same(answer, response);
        Assert.Equal(FakeVerifier.Accept(), Assert.Single(verdicts));
        Assert.Equal(1, verifier.Calls);
        Assert.Equal("What is 6 times 7?", Assert.Single(verifier.Messages!).Text);
    }

    [Fact]
    public async Task Rejected_ThrowsEscalation_WithTheVerdictAndTheRejectedUsage()
    {
        var usage = new UsageDetails { InputTokenCount = 12, OutputTokenCount = 3, TotalTokenCount = 15 };
        var answer = new ChatResponse(new ChatMessage(ChatRole.Assistant, "41")) { Usage = usage };
        var verdicts = new List<CascadeVerdict>();
        using var client = new VerifyingChatClient(Answering(answer), new FakeVerifier(FakeVerifier.Reject()), verdicts.Add);

        var ex = await Assert.ThrowsAsync<CascadeEscalationException>(() => client.GetResponseAsync(Conversation));

        Assert.Equal(FakeVerifier.Reject(), ex.Verdict);
        Assert.Same(usage, ex.RejectedUsage);
        Assert.Equal(FakeVerifier.Reject(), Assert.Single(verdicts));
        Assert.Equal("The cascade verifier (judge) rejected the answer: score 0.3 below threshold 0.7 (judge rated 3/10).", ex.Message);
        Assert.DoesNotContain("41", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ToolCalls_AreAcceptedWithoutVerifying_AsSkipped()
    {
        var answer = new ChatResponse(new ChatMessage(ChatRole.Assistant, [new FunctionCallContent("c1", "get_weather")]));
        var verifier = new FakeVerifier(FakeVerifier.Reject());
        var verdicts = new List<CascadeVerdict>();
        using var client = new VerifyingChatClient(Answering(answer), verifier, verdicts.Add);

        var response = await client.GetResponseAsync(Conversation);

        Assert.Same(answer, response);
        Assert.Equal(0, verifier.Calls);
        var verdict = Assert.Single(verdicts);
        Assert.True(verdict.Accepted);
        Assert.Equal("skipped", verdict.Method);
    }

    [Fact]
    public async Task NonStreaming_CancellationTokenAndOptionsFlowToInnerAndVerifier()
    {
        using var cts = new CancellationTokenSource();
        CancellationToken innerToken = default;
        ChatOptions? innerOptions = null;
        var inner = new TestChatClient
        {
            GetResponseAsyncCallback = (_, options, ct) =>
            {
                innerToken = ct;
                innerOptions = options;
                return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "42")));
            },
        };
        var verifier = new FakeVerifier(FakeVerifier.Accept());
        using var client = new VerifyingChatClient(inner, verifier);
        var options = new ChatOptions { ModelId = "cheap" };

        await client.GetResponseAsync(Conversation, options, cts.Token);

        Assert.Equal(cts.Token, innerToken);
        Assert.Equal(cts.Token, verifier.Token);
        Assert.Same(options, innerOptions);
        Assert.Same(options, verifier.Options);
    }

    [Fact]
    public async Task Streaming_NothingReachesTheCallerBeforeTheVerdict()
    {
        var stream = new ControlledUpdates();
        var inner = new TestChatClient { GetStreamingResponseAsyncCallback = (_, _, ct) => stream.ReadAsync(ct) };
        var verifier = new FakeVerifier();
        var verdicts = new List<CascadeVerdict>();
        using var client = new VerifyingChatClient(inner, verifier, verdicts.Add);
        var first = Text("6 times 7 ");
        var second = Text("is 42.");

        await using var updates = client.GetStreamingResponseAsync(Conversation).GetAsyncEnumerator();
        var moveNext = updates.MoveNextAsync().AsTask();

        await stream.WaitForPullAsync();
        stream.Write(first);
        await stream.WaitForPullAsync(); // the first update was consumed...
        Assert.False(moveNext.IsCompleted); // ...but not passed on.
        stream.Write(second);
        await stream.WaitForPullAsync();
        Assert.False(moveNext.IsCompleted);
        stream.Complete();

        var checkedAnswer = await verifier.WaitStartedAsync();
        Assert.Equal("6 times 7 is 42.", checkedAnswer.Text);
        Assert.False(moveNext.IsCompleted); // the stream is complete, the verdict is not in yet.
        Assert.Empty(verdicts);

        verifier.Verdict.SetResult(FakeVerifier.Accept());
        Assert.True(await moveNext);
        Assert.Same(first, updates.Current);
        Assert.True(await updates.MoveNextAsync());
        Assert.Same(second, updates.Current);
        Assert.False(await updates.MoveNextAsync());
        Assert.Single(verdicts);
    }

    [Fact]
    public async Task Streaming_Accepted_ReplaysEveryUpdateUnchangedAndInOrder()
    {
        ChatResponseUpdate[] sent =
        [
            new(ChatRole.Assistant, "The ") { MessageId = "m1", ResponseId = "r1" },
            Text("answer "),
            new() { Contents = [new TextReasoningContent("thinking")], MessageId = "m1" },
            Text("is 42."),
            new() { Contents = [new UsageContent(new UsageDetails { OutputTokenCount = 4 })] },
            new() { FinishReason = ChatFinishReason.Stop },
        ];
        var texts = sent.Select(u => u.Text).ToList();
        using var client = new VerifyingChatClient(Streaming(sent), new FakeVerifier(FakeVerifier.Accept()));

        var received = await client.GetStreamingResponseAsync(Conversation).ToListAsync();

        Assert.Equal(sent.Length, received.Count);
        for (var i = 0; i < sent.Length; i++)
        {
            Assert.Same(sent[i], received[i]);
            Assert.Equal(texts[i], received[i].Text);
        }
    }

    [Fact]
    public async Task Streaming_Rejected_ThrowsBeforeAnyUpdate_WithTheStreamsUsage()
    {
        var verdicts = new List<CascadeVerdict>();
        var inner = Streaming(
            Text("41"),
            new ChatResponseUpdate { Contents = [new UsageContent(new UsageDetails { InputTokenCount = 9, OutputTokenCount = 1 })] });
        using var client = new VerifyingChatClient(inner, new FakeVerifier(FakeVerifier.Reject()), verdicts.Add);
        var received = new List<ChatResponseUpdate>();

        var ex = await Assert.ThrowsAsync<CascadeEscalationException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync(Conversation))
            {
                received.Add(update);
            }
        });

        Assert.Empty(received);
        Assert.Equal(FakeVerifier.Reject(), ex.Verdict);
        Assert.Equal(9, ex.RejectedUsage!.InputTokenCount);
        Assert.Equal(1, ex.RejectedUsage.OutputTokenCount);
        Assert.Single(verdicts);
    }

    [Fact]
    public async Task Streaming_InnerFailsMidway_ThrowsBeforeAnyUpdate_SoTheRouterCanStillFailOver()
    {
        var stream = new ControlledUpdates();
        var inner = new TestChatClient { GetStreamingResponseAsyncCallback = (_, _, ct) => stream.ReadAsync(ct) };
        var verifier = new FakeVerifier(FakeVerifier.Accept());
        using var client = new VerifyingChatClient(inner, verifier);
        stream.Write(Text("partial"));
        stream.Complete(new IOException("connection reset"));
        var received = new List<ChatResponseUpdate>();

        await Assert.ThrowsAsync<IOException>(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync(Conversation))
            {
                received.Add(update);
            }
        });

        Assert.Empty(received);
        Assert.Equal(0, verifier.Calls);
    }

    [Fact]
    public async Task Streaming_ToolCalls_AreReplayedWithoutVerifying()
    {
        var verifier = new FakeVerifier(FakeVerifier.Reject());
        var verdicts = new List<CascadeVerdict>();
        var call = new ChatResponseUpdate(ChatRole.Assistant, [new FunctionCallContent("c1", "get_weather")]);
        using var client = new VerifyingChatClient(Streaming(call), verifier, verdicts.Add);

        var received = await client.GetStreamingResponseAsync(Conversation).ToListAsync();

        Assert.Same(call, Assert.Single(received));
        Assert.Equal(0, verifier.Calls);
        Assert.Equal("skipped", Assert.Single(verdicts).Method);
    }

    [Fact]
    public async Task Streaming_CallerCancelsDuringVerification_CancellationIsThrown_AndNoVerdictIsReported()
    {
        using var cts = new CancellationTokenSource();
        var inner = new TestChatClient
        {
            GetStreamingResponseAsyncCallback = (_, _, ct) => new[] { Text("42") }.ToAsyncEnumerable(),
        };
        var verifier = new FakeVerifier();
        var verdicts = new List<CascadeVerdict>();
        using var client = new VerifyingChatClient(inner, verifier, verdicts.Add);
        var received = new List<ChatResponseUpdate>();

        var consume = Task.Run(async () =>
        {
            await foreach (var update in client.GetStreamingResponseAsync(Conversation, null, cts.Token))
            {
                received.Add(update);
            }
        });
        await verifier.WaitStartedAsync();
        Assert.Equal(cts.Token, verifier.Token);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => consume);
        Assert.Empty(received);
        Assert.Empty(verdicts);
    }

    [Fact]
    public async Task Streaming_CancellationTokenFlowsToTheInnerStream()
    {
        using var cts = new CancellationTokenSource();
        var stream = new ControlledUpdates();
        var inner = new TestChatClient { GetStreamingResponseAsyncCallback = (_, _, ct) => stream.ReadAsync(ct) };
        using var client = new VerifyingChatClient(inner, new FakeVerifier(FakeVerifier.Accept()));

        var consume = client.GetStreamingResponseAsync(Conversation, null, cts.Token).ToListAsync(CancellationToken.None).AsTask();
        await stream.WaitForPullAsync();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => consume);
        Assert.True(stream.Token.IsCancellationRequested);
    }
}
