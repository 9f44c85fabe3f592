using System.Collections.Concurrent;
using Microsoft.Extensions.AI;
using Switchyard.Routing;
using Switchyard.Routing.Cascade;
using Switchyard.Testing;

namespace Switchyard.Tests.Routing.Cascade;

public sealed class SelfConsistencyVerifierTests
{
    private static readonly ChatMessage[] Conversation = [new(ChatRole.User, "How many legs do 3 spiders and 2 ants have?")];

    private static ChatResponse Reply(string text, UsageDetails? usage = null) => new(new ChatMessage(ChatRole.Assistant, text)) { Usage = usage };

    // A cheap client that answers sample n (its seed) with replies[n - 1].
    private static TestChatClient Cheap(params string[] replies) => new()
    {
        GetResponseAsyncCallback = (_, options, _) => Task.FromResult(Reply(replies[(int)options!.Seed!.Value - 1], new UsageDetails { InputTokenCount = 10, OutputTokenCount = 5 })),
    };

    [Fact]
    public async Task SelfConsistency_NumericSamplesAgree_Accepts()
    {
        var cheap = Cheap("3 * 8 + 2 * 6 = 36", "The answer is 36.", "#### 36.0");
        var verifier = new SelfConsistencyVerifier(cheap, samples: 3, threshold: 0.66);

        var verdict = await verifier.VerifyAsync(Conversation, Reply("Spiders: 24, ants: 12.\nTotal: 36 legs."), null, CancellationToken.None);

        Assert.True(verdict.Accepted);
        Assert.Equal(1.0, verdict.Score);
        Assert.Equal("self_consistency", verdict.Method);
        Assert.Equal("3 of 3 samples agree", verdict.Detail);
        Assert.Equal(30, verdict.Usage!.InputTokenCount);
        Assert.Equal(15, verdict.Usage.OutputTokenCount);
    }

    [Fact]
    public async Task SelfConsistency_NumericSamplesDisagree_Rejects()
    {
        var cheap = Cheap("36", "30", "The answer is 36", "42");
        var verifier = new SelfConsistencyVerifier(cheap, samples: 4, threshold: 0.75);

        var verdict = await verifier.VerifyAsync(Conversation, Reply("Total: 36 legs."), null, CancellationToken.None);

        Assert.False(verdict.Accepted);
        Assert.Equal(0.5, verdict.Score);
        Assert.Equal(0.75, verdict.Threshold);
        Assert.Equal("2 of 4 samples agree", verdict.Detail);
    }

    [Fact]
    public async Task SelfConsistency_TextSamplesAgree_Accepts()
    {
        var cheap = Cheap("paris", "**Paris**.", "Answer: Paris");
        var verifier = new SelfConsistencyVerifier(cheap, samples: 3, threshold: 1.0);

        var verdict = await verifier.VerifyAsync([new(ChatRole.User, "Capital of France?")], Reply("Paris"), null, CancellationToken.None);

        Assert.True(verdict.Accepted);
        Assert.Equal(1.0, verdict.Score);
    }

    [Fact]
    public async Task SelfConsistency_TextSamplesDisagree_Rejects()
    {
        var cheap = Cheap("Lyon", "Paris", "Marseille");
        var verifier = new SelfConsistencyVerifier(cheap, samples: 3, threshold: 0.6);

        var verdict = await verifier.VerifyAsync([new(ChatRole.User, "Capital of France?")], Reply("Paris"), null, CancellationToken.None);

        Assert.False(verdict.Accepted);
        Assert.Equal(1.0 / 3, verdict.Score, 9);
        Assert.Equal("1 of 3 samples agree", verdict.Detail);
    }

    [Fact]
    public async Task SelfConsistency_FailedSamplesCountAsDisagreeing()
    {
        var cheap = new TestChatClient
        {
            GetResponseAsyncCallback = (_, options, _) => options!.Seed == 2
                ? throw new HttpRequestException("down")
                : Task.FromResult(Reply("36")),
        };
        var verifier = new SelfConsistencyVerifier(cheap, samples: 2, threshold: 0.75);

        var verdict = await verifier.VerifyAsync(Conversation, Reply("36"), null, CancellationToken.None);

        Assert.False(verdict.Accepted);
        Assert.Equal(0.5, verdict.Score);
        Assert.Equal("1 of 2 samples agree, 1 failed", verdict.Detail);
    }

    [Fact]
    public async Task SelfConsistency_EmptyAnswer_IsRejectedWithoutSampling()
    {
        var calls = 0;
        var cheap = new TestChatClient
        {
            GetResponseAsyncCallback = (_, _, _) =>
            {
                Interlocked.Increment(ref calls);
                return Task.FromResult(Reply(""));
            },
        };
        var verifier = new SelfConsistencyVerifier(cheap, samples: 3, threshold: 0.5);

        var verdict = await verifier.VerifyAsync(Conversation, Reply(""), null, CancellationToken.None);

        Assert.False(verdict.Accepted);
        Assert.Equal("empty answer", verdict.Detail);
        Assert.Equal(0, calls);
    }

    [Fact]
    public async Task SelfConsistency_SamplesRunConcurrently()
    {
        // Every sample waits until all have started: run one after another, the first would never finish.
        const int Samples = 4;
        var started = 0;
        var allStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cheap = new TestChatClient
        {
            GetResponseAsyncCallback = async (_, _, ct) =>
            {
                if (Interlocked.Increment(ref started) == Samples)
                {
                    allStarted.SetResult();
                }

                await allStarted.Task.WaitAsync(TimeSpan.FromSeconds(30), ct);
                return Reply("36");
            },
        };
        var verifier = new SelfConsistencyVerifier(cheap, Samples, threshold: 1.0);

        var verdict = await verifier.VerifyAsync(Conversation, Reply("36"), null, CancellationToken.None);

        Assert.True(verdict.Accepted, verdict.Detail);
        Assert.Equal(Samples, started);
    }

    [Fact]
    public async Task SelfConsistency_SamplesUseDistinctSeeds_SamplingTemperature_AndLeaveTheCallerOptionsAlone()
    {
        var seen = new ConcurrentBag<ChatOptions>();
        var cheap = new TestChatClient
        {
            GetResponseAsyncCallback = (_, options, _) =>
            {
                seen.Add(options!);
                return Task.FromResult(Reply("36"));
            },
        };
        var caller = new ChatOptions
        {
            ModelId = "cascade-route",
            Temperature = 0f,
            Seed = 100,
            MaxOutputTokens = 300,
            ConversationId = "conv-1",
            Tools = [AIFunctionFactory.Create(() => 1, "one")],
        };
        new RequestTrace("req-1").AttachTo(caller);
        var verifier = new SelfConsistencyVerifier(cheap, samples: 3, threshold: 1.0, temperature: 0.9f);

        await verifier.VerifyAsync(Conversation, Reply("36"), caller, CancellationToken.None);

        Assert.Equal([101L, 102L, 103L], seen.Select(o => o.Seed!.Value).Order());
        Assert.All(seen, o =>
        {
            Assert.NotSame(caller, o);
            Assert.Equal(0.9f, o.Temperature);
            Assert.Equal(300, o.MaxOutputTokens);
            Assert.Equal("cascade-route", o.ModelId);
            Assert.IsType<NoneChatToolMode>(o.ToolMode);
            Assert.Null(o.ConversationId);
            Assert.Null(RequestTrace.Get(o));
        });
        Assert.Equal(0f, caller.Temperature);
        Assert.Equal(100, caller.Seed);
        Assert.Equal("conv-1", caller.ConversationId);
        Assert.Null(caller.ToolMode);
        Assert.NotNull(RequestTrace.Get(caller));
    }

    [Fact]
    public async Task SelfConsistency_CallerCancels_CancellationFlowsAndIsThrown()
    {
        using var cts = new CancellationTokenSource();
        var tokens = new ConcurrentBag<CancellationToken>();
        var started = 0;
        var allStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cheap = new TestChatClient
        {
            GetResponseAsyncCallback = async (_, _, ct) =>
            {
                tokens.Add(ct);
                if (Interlocked.Increment(ref started) == 2)
                {
                    allStarted.SetResult();
                }

                await Task.Delay(Timeout.Infinite, ct);
                return Reply("36");
            },
        };
        var verifier = new SelfConsistencyVerifier(cheap, samples: 2, threshold: 0.5);

        var verify = verifier.VerifyAsync(Conversation, Reply("36"), null, cts.Token).AsTask();
        await allStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => verify);
        Assert.All(tokens, t => Assert.Equal(cts.Token, t));
    }

    [Fact]
    public void SelfConsistency_RejectsInvalidSettings()
    {
        var cheap = new TestChatClient();
        Assert.Throws<ArgumentOutOfRangeException>(() => new SelfConsistencyVerifier(cheap, 0, 0.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SelfConsistencyVerifier(cheap, 3, -0.1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SelfConsistencyVerifier(cheap, 3, 0.5, temperature: 0f));
    }
}
