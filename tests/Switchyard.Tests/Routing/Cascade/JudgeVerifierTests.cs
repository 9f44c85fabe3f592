using Microsoft.Extensions.AI;
using Switchyard.Routing;
using Switchyard.Routing.Cascade;
using Switchyard.Testing;

namespace Switchyard.Tests.Routing.Cascade;

public sealed class JudgeVerifierTests
{
    private static readonly ChatMessage[] Conversation = [new(ChatRole.User, "What is 6 times 7?")];

    private static readonly ChatResponse Answer = new(new ChatMessage(ChatRole.Assistant, "6 times 7 is 42."));

    private static TestChatClient Judge(string reply, UsageDetails? usage = null) => new()
    {
        GetResponseAsyncCallback = (_, _, _) => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, reply)) { Usage = usage }),
    };

    [Theory]
    [InlineData("Rating: [[8]]", 0.8)]
    [InlineData("Rating: [[7]]", 0.7)]
    [InlineData("[[10]]", 1.0)]
    [InlineData("Rating: [[ 9/10 ]]", 0.9)]
    [InlineData("Rating: **7.5**", 0.75)]
    [InlineData("Rating: [[8]] (repeat: [[8]])", 0.8)]
    public async Task Judge_RatingAtOrAboveThreshold_Accepts(string reply, double score)
    {
        var usage = new UsageDetails { InputTokenCount = 100, OutputTokenCount = 6 };
        var verifier = new JudgeVerifier(Judge(reply, usage), threshold: 0.7);

        var verdict = await verifier.VerifyAsync(Conversation, Answer, null, CancellationToken.None);

        Assert.True(verdict.Accepted);
        Assert.Equal(score, verdict.Score, 6);
        Assert.Equal(0.7, verdict.Threshold);
        Assert.Equal("judge", verdict.Method);
        Assert.StartsWith("judge rated ", verdict.Detail, StringComparison.Ordinal);
        Assert.Same(usage, verdict.Usage);
    }

    [Fact]
    public async Task Judge_RatingBelowThreshold_Rejects()
    {
        var verifier = new JudgeVerifier(Judge("Rating: [[3]]"), threshold: 0.7);

        var verdict = await verifier.VerifyAsync(Conversation, Answer, null, CancellationToken.None);

        Assert.False(verdict.Accepted);
        Assert.Equal(0.3, verdict.Score, 6);
        Assert.Equal("judge rated 3/10", verdict.Detail);
    }

    [Theory]
    [InlineData("The answer looks right to me.", "judge reply unparseable")]
    [InlineData("Rating: [[eight]]", "judge reply unparseable")]
    [InlineData("", "judge reply empty")]
    [InlineData("Rating: [[0]]", "judge rating out of range")]
    [InlineData("Rating: [[11]]", "judge rating out of range")]
    [InlineData("Rating: [[3]] or maybe [[9]]", "judge reply ambiguous")]
    public async Task Judge_UnparseableReply_RejectsTowardsEscalation(string reply, string detail)
    {
        var verifier = new JudgeVerifier(Judge(reply), threshold: 0.1);

        var verdict = await verifier.VerifyAsync(Conversation, Answer, null, CancellationToken.None);

        Assert.False(verdict.Accepted);
        Assert.Equal(0, verdict.Score);
        Assert.Equal(detail, verdict.Detail);
    }

    [Fact]
    public async Task Judge_Throws_RejectsWithTheFailureKindOnly()
    {
        var judge = new TestChatClient { GetResponseAsyncCallback = (_, _, _) => throw new HttpRequestException("secret upstream details") };
        var verifier = new JudgeVerifier(judge, threshold: 0.7);

        var verdict = await verifier.VerifyAsync(Conversation, Answer, null, CancellationToken.None);

        Assert.False(verdict.Accepted);
        Assert.Equal("judge failed: HttpRequestException", verdict.Detail);
    }

    [Fact]
    public async Task Judge_TimesOutOnItsOwn_RejectsInsteadOfCancelling()
    {
        var judge = new TestChatClient { GetResponseAsyncCallback = (_, _, _) => throw new TaskCanceledException("judge timeout") };
        var verifier = new JudgeVerifier(judge, threshold: 0.7);

        var verdict = await verifier.VerifyAsync(Conversation, Answer, null, CancellationToken.None);

        Assert.False(verdict.Accepted);
        Assert.Equal("judge failed: TaskCanceledException", verdict.Detail);
    }

    [Fact]
    public async Task Judge_CallerCancels_CancellationFlowsAndIsThrown()
    {
        using var cts = new CancellationTokenSource();
        CancellationToken seen = default;
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var judge = new TestChatClient
        {
            GetResponseAsyncCallback = async (_, _, ct) =>
            {
                seen = ct;
                started.SetResult();
                await Task.Delay(Timeout.Infinite, ct);
                return new ChatResponse();
            },
        };
        var verifier = new JudgeVerifier(judge, threshold: 0.7);

        var verify = verifier.VerifyAsync(Conversation, Answer, null, cts.Token).AsTask();
        await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => verify);
        Assert.Equal(cts.Token, seen);
    }

    [Fact]
    public async Task Judge_EmptyAnswer_IsRejectedWithoutAskingTheJudge()
    {
        var calls = 0;
        var judge = new TestChatClient
        {
            GetResponseAsyncCallback = (_, _, _) =>
            {
                calls++;
                return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "Rating: [[10]]")));
            },
        };
        var verifier = new JudgeVerifier(judge, threshold: 0.5);

        var verdict = await verifier.VerifyAsync(Conversation, new ChatResponse(new ChatMessage(ChatRole.Assistant, "  ")), null, CancellationToken.None);

        Assert.False(verdict.Accepted);
        Assert.Equal("empty answer", verdict.Detail);
        Assert.Equal(0, calls);
    }

    [Fact]
    public async Task Judge_GetsTheConversationAndAnswer_WithFreshDeterministicOptions()
    {
        List<ChatMessage>? prompt = null;
        ChatOptions? judgeOptions = null;
        var judge = new TestChatClient
        {
            GetResponseAsyncCallback = (messages, options, _) =>
            {
                prompt = [.. messages];
                judgeOptions = options;
                return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "Rating: [[9]]")));
            },
        };
        var callerOptions = new ChatOptions
        {
            ModelId = "cascade-route",
            Instructions = "Answer in one sentence.",
            Temperature = 1.2f,
            ResponseFormat = ChatResponseFormat.Json,
            Tools = [AIFunctionFactory.Create(() => 1, "one")],
        };
        new RequestTrace("req-1").AttachTo(callerOptions);
        var verifier = new JudgeVerifier(judge, threshold: 0.7, maxOutputTokens: 12);

        await verifier.VerifyAsync(Conversation, Answer, callerOptions, CancellationToken.None);

        Assert.NotNull(prompt);
        Assert.Equal([ChatRole.System, ChatRole.User], prompt.Select(m => m.Role));
        Assert.Contains("Rating: [[n]]", prompt[0].Text, StringComparison.Ordinal);
        var user = prompt[1].Text;
        Assert.Contains("Answer in one sentence.", user, StringComparison.Ordinal);
        Assert.Contains("What is 6 times 7?", user, StringComparison.Ordinal);
        Assert.Contains("<answer>\n6 times 7 is 42.\n</answer>", user, StringComparison.Ordinal);
        Assert.NotNull(judgeOptions);
        Assert.Equal(0f, judgeOptions.Temperature);
        Assert.Equal(12, judgeOptions.MaxOutputTokens);
        Assert.Null(judgeOptions.ModelId);
        Assert.Null(judgeOptions.ResponseFormat);
        Assert.Null(judgeOptions.Tools);
        Assert.Null(RequestTrace.Get(judgeOptions));
        Assert.Equal(1.2f, callerOptions.Temperature);
    }

    [Fact]
    public void Judge_RejectsInvalidSettings()
    {
        var judge = new TestChatClient();
        Assert.Throws<ArgumentOutOfRangeException>(() => new JudgeVerifier(judge, 1.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new JudgeVerifier(judge, double.NaN));
        Assert.Throws<ArgumentOutOfRangeException>(() => new JudgeVerifier(judge, 0.5, maxOutputTokens: 0));
        Assert.Throws<ArgumentNullException>(() => new JudgeVerifier(null!, 0.5));
    }
}
