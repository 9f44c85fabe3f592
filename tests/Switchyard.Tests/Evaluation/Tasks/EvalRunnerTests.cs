using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using Switchyard.Configuration;
using Switchyard.Evaluation;
using Switchyard.Evaluation.Tasks;
using Switchyard.Routing;
using Switchyard.Testing;

namespace Switchyard.Tests.Evaluation.Tasks;

public sealed class EvalRunnerTests
{
    private static EvalTask Task(string id, string prompt, IGrader grader) => new(id, [new ChatMessage(ChatRole.User, prompt)], grader);

    private static TestChatClient Answering(Func<string, string> answer, FakeTimeProvider? time = null, TimeSpan? takes = null) => new()
    {
        GetResponseAsyncCallback = (messages, _, _) =>
        {
            if (takes is { } t)
            {
                time!.Advance(t);
            }

            var prompt = messages.Last().Text;
            return System.Threading.Tasks.Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, answer(prompt)))
            {
                Usage = new UsageDetails { InputTokenCount = 1000, OutputTokenCount = 200, CachedInputTokenCount = 400 },
            });
        },
    };

    [Fact]
    public async Task Run_GradesEachModel_MeasuresLatencyAndPricesTokens()
    {
        var time = new FakeTimeProvider();
        var price = new ModelPrice { Input = 2m, Output = 10m, CachedInput = 0.5m };
        var models = new[]
        {
            new EvalModel("right", Answering(p => p == "2+2?" ? "4" : "Paris", time, TimeSpan.FromMilliseconds(250)), price),
            new EvalModel("wrong", Answering(_ => "no idea", time, TimeSpan.FromMilliseconds(40))),
        };
        var tasks = new[] { Task("sum", "2+2?", new NumericGrader(4)), Task("capital", "Capital of France?", new ExactGrader("Paris")) };
        var runner = new EvalRunner(models, concurrency: 1, time);
        var records = new List<OutcomeRecord>();
        var reports = new List<EvalProgress>();
        var final = await runner.RunAsync(runner.Plan(tasks), records.Add, new SyncProgress(reports.Add));

        Assert.Equal(["sum", "capital"], records.Select(r => r.Id)); // concurrency 1: completion order is task order
        var right = records[0].Outcomes["right"];
        Assert.Equal(1, right.Score);
        Assert.Equal(250, right.LatencyMs);
        Assert.Equal(1000, right.InputTokens);
        Assert.Equal(200, right.OutputTokens);
        Assert.Equal("4", right.Response);
        Assert.Null(right.Error);
        // (600 × $2 + 400 × $0.5 + 200 × $10) per million
        Assert.Equal(0.0034m, right.Cost);
        var wrong = records[0].Outcomes["wrong"];
        Assert.Equal(0, wrong.Score);
        Assert.Null(wrong.Error);
        Assert.Null(wrong.Cost);
        Assert.Equal(40, wrong.LatencyMs);
        Assert.Equal(["right", "wrong"], records[1].Outcomes.Keys);
        Assert.Equal(new EvalProgress(2, 2, 4, 4, 0), final);
        Assert.Equal(new EvalProgress(0, 2, 0, 4, 0), reports[0]);
        Assert.Equal(final, reports[^1]);
        Assert.Equal(5, reports.Count);
    }

    [Fact]
    public async Task FailedCall_AndUngradableAnswer_AreRecordedAsErrorsWithScoreZero()
    {
        var failing = new TestChatClient { GetResponseAsyncCallback = (_, _, _) => throw new ProviderException(ProviderFailureKind.ServerError, "boom", 503) };
        var judge = new TestChatClient { GetResponseAsyncCallback = (_, _, _) => System.Threading.Tasks.Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "no verdict"))) };
        var throwingGrader = new TestChatClient { GetResponseAsyncCallback = (_, _, _) => throw new InvalidOperationException("judge down") };
        var models = new[] { new EvalModel("down", failing), new EvalModel("up", Answering(_ => "fine")) };
        var tasks = new[] { Task("t1", "q1", new JudgeGrader(judge, judgeModel: "j")), Task("t2", "q2", new JudgeGrader(throwingGrader)) };
        var runner = new EvalRunner(models);
        var records = new List<OutcomeRecord>();
        var final = await runner.RunAsync(runner.Plan(tasks), records.Add);

        var byId = records.ToDictionary(r => r.Id);
        var down = byId["t1"].Outcomes["down"];
        Assert.Equal(0, down.Score);
        Assert.Contains("503", down.Error, StringComparison.Ordinal);
        Assert.Contains("boom", down.Error, StringComparison.Ordinal);
        Assert.Null(down.Response);
        var ungraded = byId["t1"].Outcomes["up"];
        Assert.Equal(0, ungraded.Score);
        Assert.Equal("fine", ungraded.Response);
        Assert.Contains("judge j gave no rating", ungraded.Error, StringComparison.Ordinal);
        Assert.Contains("grading (judge) failed: judge down", byId["t2"].Outcomes["up"].Error, StringComparison.Ordinal);
        Assert.Equal(4, final.FailedCalls);
    }

    [Fact]
    public async Task Plan_SkipsCompleteTasks_RunsOnlyMissingModels_AndMergesEarlierOutcomes()
    {
        var calls = new List<(string Model, string Prompt)>();
        TestChatClient Recording(string name) => new()
        {
            GetResponseAsyncCallback = (messages, _, _) =>
            {
                lock (calls)
                {
                    calls.Add((name, messages.Last().Text));
                }

                return System.Threading.Tasks.Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "x")));
            },
        };
        var tasks = new[] { Task("a", "qa", new ExactGrader("x")), Task("b", "qb", new ExactGrader("x")), Task("c", "qc", new ExactGrader("x")) };
        var previous = new[]
        {
            new OutcomeRecord("a", tasks[0].Messages, new Dictionary<string, ModelOutcome> { ["m1"] = new(1), ["m2"] = new(0.5), ["old"] = new(0.25) }),
            new OutcomeRecord("b", tasks[1].Messages, new Dictionary<string, ModelOutcome> { ["m1"] = new(0.75) }) { Group = "kept" },
            new OutcomeRecord("zzz", [new ChatMessage(ChatRole.User, "not in the set")], new Dictionary<string, ModelOutcome>()),
        };
        var runner = new EvalRunner([new EvalModel("m1", Recording("m1")), new EvalModel("m2", Recording("m2"))], concurrency: 1);
        var plan = runner.Plan(tasks, previous);
        Assert.Equal(1, plan.SkippedTasks);
        Assert.Equal(3, plan.TotalTasks);
        Assert.Equal(["b", "c"], plan.Items.Select(i => i.Task.Id));
        Assert.Equal(["m2"], plan.Items[0].MissingModels);
        Assert.Equal(3, plan.Calls);

        var records = new List<OutcomeRecord>();
        await runner.RunAsync(plan, records.Add);
        Assert.Equal([("m2", "qb"), ("m1", "qc"), ("m2", "qc")], calls);
        Assert.Equal(0.75, records[0].Outcomes["m1"].Score);
        Assert.Equal(1, records[0].Outcomes["m2"].Score);
        Assert.Equal("kept", records[0].Group);
        Assert.Equal(["m1", "m2"], records[1].Outcomes.Keys);
    }

    [Fact]
    public void Plan_RecordWithTheSameIdButOtherMessages_IsRejected()
    {
        var task = Task("a", "the real question", new ExactGrader("x")) with { LineNumber = 4 };
        var runner = new EvalRunner([new EvalModel("m", new TestChatClient())]);
        var previous = new OutcomeRecord("a", [new ChatMessage(ChatRole.User, "another question")], new Dictionary<string, ModelOutcome>());
        var ex = Assert.Throws<EvalTaskFormatException>(() => runner.Plan([task], [previous]));
        Assert.Contains("'a' has other messages", ex.Message, StringComparison.Ordinal);
        Assert.Contains("line 4", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Concurrency_LimitsCallsInFlight()
    {
        var inFlight = 0;
        var maxInFlight = 0;
        var entered = new SemaphoreSlim(0);
        var release = new SemaphoreSlim(0);
        var client = new TestChatClient
        {
            GetResponseAsyncCallback = async (_, _, ct) =>
            {
                var now = Interlocked.Increment(ref inFlight);
                InterlockedMax(ref maxInFlight, now);
                entered.Release();
                await release.WaitAsync(ct);
                Interlocked.Decrement(ref inFlight);
                return new ChatResponse(new ChatMessage(ChatRole.Assistant, "x"));
            },
        };
        var tasks = Enumerable.Range(0, 6).Select(i => Task("t" + i, "q" + i, new ExactGrader("x"))).ToArray();
        var runner = new EvalRunner([new EvalModel("m", client)], concurrency: 2);
        var run = runner.RunAsync(runner.Plan(tasks), _ => { });
        for (var i = 0; i < 6; i++)
        {
            Assert.True(await entered.WaitAsync(TimeSpan.FromSeconds(30)));
            if (i >= 1)
            {
                release.Release();
            }
        }

        release.Release();
        var final = await run;
        Assert.Equal(6, final.CompletedTasks);
        Assert.Equal(2, maxInFlight);
    }

    [Fact]
    public async Task Cancel_StopsTheRun_KeepsFinishedTasks_DropsTheOneInFlight()
    {
        using var cts = new CancellationTokenSource();
        var calls = 0;
        var client = new TestChatClient
        {
            GetResponseAsyncCallback = async (_, _, ct) =>
            {
                if (Interlocked.Increment(ref calls) == 3)
                {
                    await cts.CancelAsync();
                    await System.Threading.Tasks.Task.Delay(Timeout.Infinite, ct);
                }

                return new ChatResponse(new ChatMessage(ChatRole.Assistant, "x"));
            },
        };
        var tasks = Enumerable.Range(0, 5).Select(i => Task("t" + i, "q" + i, new ExactGrader("x"))).ToArray();
        var runner = new EvalRunner([new EvalModel("m", client)], concurrency: 1);
        var records = new List<OutcomeRecord>();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => runner.RunAsync(runner.Plan(tasks), records.Add, cancellationToken: cts.Token));
        Assert.Equal(["t0", "t1"], records.Select(r => r.Id));
        Assert.Equal(3, calls);
    }

    [Fact]
    public async Task ClientReportedCost_WinsOverThePrice()
    {
        var client = new TestChatClient
        {
            GetResponseAsyncCallback = (_, _, _) => System.Threading.Tasks.Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "x"))
            {
                Usage = new UsageDetails { InputTokenCount = 10, OutputTokenCount = 10 },
                AdditionalProperties = new() { [EvalRunner.CostKey] = 0.5m },
            }),
        };
        var runner = new EvalRunner([new EvalModel("m", client, new ModelPrice { Input = 1, Output = 1 })]);
        var records = new List<OutcomeRecord>();
        await runner.RunAsync(runner.Plan([Task("a", "q", new ExactGrader("x"))]), records.Add);
        Assert.Equal(0.5m, records[0].Outcomes["m"].Cost);
    }

    [Fact]
    public void Summary_MeanScoreCountsErrorsAsZero_AndNearestRankPercentiles()
    {
        OutcomeRecord R(string id, ModelOutcome o) => new(id, [new ChatMessage(ChatRole.User, id)], new Dictionary<string, ModelOutcome> { ["m"] = o });
        var records = Enumerable.Range(1, 20).Select(i => R("t" + i, new ModelOutcome(i <= 15 ? 1 : 0) { LatencyMs = i * 10, InputTokens = 2, OutputTokens = 1, Cost = 0.01m, Error = i == 20 ? "failed" : null })).ToList();
        var summary = Assert.Single(EvalSummary.Compute(records, ["m"]));
        Assert.Equal(20, summary.Tasks);
        Assert.Equal(0.75, summary.MeanScore);
        Assert.Equal(19, summary.Answered);
        Assert.Equal(1, summary.Failed);
        Assert.Equal(40, summary.InputTokens);
        Assert.Equal(20, summary.OutputTokens);
        Assert.Equal(0.20m, summary.Cost);
        Assert.Equal(100, summary.P50LatencyMs);
        Assert.Equal(190, summary.P95LatencyMs);
        var none = Assert.Single(EvalSummary.Compute(records, ["other"]));
        Assert.Null(none.MeanScore);
        Assert.Null(none.P50LatencyMs);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    private sealed class SyncProgress(Action<EvalProgress> report) : IProgress<EvalProgress>
    {
        public void Report(EvalProgress value) => report(value);
    }
}
