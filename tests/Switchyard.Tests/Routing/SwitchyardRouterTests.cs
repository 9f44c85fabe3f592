using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;
using Switchyard.Configuration;
using Switchyard.Routing;
using Switchyard.Testing;

namespace Switchyard.Tests.Routing;

/// <summary>The router in process, over callback clients, with a fake clock (no sleeps).</summary>
public sealed class SwitchyardRouterTests
{
    private readonly FakeTimeProvider _time = new();

    private RouteCandidate Candidate(string name, IChatClient client, int threshold = 2, RetrySettings? retry = null) =>
        new(name, name + "-provider", "self", client, new CircuitBreaker(threshold, TimeSpan.FromSeconds(30), _time), new ModelPrice(), retry ?? RetrySettings.None);

    private static ChatOptions Options(string model) => new() { ModelId = model };

    [Fact]
    public async Task Decision_RecordsFailoverWithReasons()
    {
        var a = new TestChatClient { GetResponseAsyncCallback = (_, _, _) => throw new ProviderException(ProviderFailureKind.ServerError, "boom", 500) };
        var b = new TestChatClient { GetResponseAsyncCallback = (_, _, _) => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "from b"))) };
        var catalog = new ModelCatalog([Candidate("a", a), Candidate("b", b)], new Dictionary<string, IReadOnlyList<string>> { ["r"] = ["a", "b"] });
        using var router = new SwitchyardRouter(catalog, _time);
        var options = Options("r");
        var trace = new RequestTrace("req-1");
        trace.AttachTo(options);

        var response = await router.GetResponseAsync([new ChatMessage(ChatRole.User, "hi")], options);

        Assert.Equal("from b", response.Text);
        var decision = trace.Decision!.Build();
        Assert.Equal("r", decision.Route);
        Assert.Equal(["a", "b"], decision.Candidates);
        Assert.Equal("b", decision.Chosen);
        Assert.Equal("failover after a server_error 500", decision.Reason);
        Assert.Equal(2, decision.Attempts.Count);
        Assert.Equal("b", trace.Current!.Name);
    }

    [Fact]
    public async Task SaturatedCandidate_OverflowsToTheNext_ButIsStillTriedWhenLast()
    {
        var load = new FakeLoad { IsSaturated = true };
        var busyCalls = 0;
        var busy = new TestChatClient
        {
            GetServiceCallback = (type, _) => type == typeof(ILoadSignal) ? load : null,
            GetResponseAsyncCallback = (_, _, _) =>
            {
                busyCalls++;
                return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "local")));
            },
        };
        var hosted = new TestChatClient { GetResponseAsyncCallback = (_, _, _) => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "hosted"))) };
        var catalog = new ModelCatalog(
            [Candidate("local", busy), Candidate("hosted", hosted)],
            new Dictionary<string, IReadOnlyList<string>> { ["overflow"] = ["local", "hosted"], ["only-local"] = ["local"] });
        using var router = new SwitchyardRouter(catalog, _time);
        var options = Options("overflow");
        var trace = new RequestTrace("req");
        trace.AttachTo(options);

        Assert.Equal("hosted", (await router.GetResponseAsync("x", options)).Text);
        Assert.Equal(0, busyCalls);
        Assert.Equal("busy (queue full)", Assert.Single(trace.Decision!.Build().Eliminated).Reason);

        // With nowhere to overflow, the busy candidate gets the request (and answers or refuses it itself).
        Assert.Equal("local", (await router.GetResponseAsync("x", Options("only-local"))).Text);
        load.IsSaturated = false;
        Assert.Equal("local", (await router.GetResponseAsync("x", Options("overflow"))).Text);
        Assert.Equal(2, busyCalls);
    }

    [Fact]
    public async Task CircuitOpensAfterFailures_SkipsProvider_ThenHalfOpensAfterBreak()
    {
        var aCalls = 0;
        var aFails = true;
        var a = new TestChatClient
        {
            GetResponseAsyncCallback = (_, _, _) =>
            {
                aCalls++;
                return aFails ? throw new ProviderException(ProviderFailureKind.Connection, "refused") : Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "a ok")));
            },
        };
        var b = new TestChatClient { GetResponseAsyncCallback = (_, _, _) => Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "b ok"))) };
        var catalog = new ModelCatalog([Candidate("a", a, threshold: 2), Candidate("b", b)], new Dictionary<string, IReadOnlyList<string>> { ["r"] = ["a", "b"] });
        using var router = new SwitchyardRouter(catalog, _time);

        for (var i = 0; i < 2; i++)
        {
            Assert.Equal("b ok", (await router.GetResponseAsync("x", Options("r"))).Text);
        }

        Assert.Equal(2, aCalls);
        var options = Options("r");
        var trace = new RequestTrace("req");
        trace.AttachTo(options);
        Assert.Equal("b ok", (await router.GetResponseAsync("x", options)).Text);
        Assert.Equal(2, aCalls); // skipped: circuit open
        Assert.Equal("circuit open", Assert.Single(trace.Decision!.Build().Eliminated).Reason);

        _time.Advance(TimeSpan.FromSeconds(30));
        aFails = false;
        Assert.Equal("a ok", (await router.GetResponseAsync("x", Options("r"))).Text); // half-open probe succeeds
        Assert.Equal(CircuitState.Closed, catalog.Models.Single(m => m.Name == "a").Breaker.State);
    }

    [Fact]
    public async Task AllCircuitsOpen_ThrowsNoRouteWithRetryAfter_WithoutCallingAnything()
    {
        var calls = 0;
        var a = new TestChatClient { GetResponseAsyncCallback = (_, _, _) => { calls++; throw new ProviderException(ProviderFailureKind.ServerError, "down", 500); } };
        var catalog = new ModelCatalog([Candidate("a", a, threshold: 1)], new Dictionary<string, IReadOnlyList<string>>());
        using var router = new SwitchyardRouter(catalog, _time);
        await Assert.ThrowsAsync<NoRouteAvailableException>(() => router.GetResponseAsync("x", Options("a")));
        _time.Advance(TimeSpan.FromSeconds(12));

        var ex = await Assert.ThrowsAsync<NoRouteAvailableException>(() => router.GetResponseAsync("x", Options("a")));

        Assert.Equal(1, calls);
        Assert.Null(ex.InnerException);
        Assert.Equal(TimeSpan.FromSeconds(18), ex.RetryAfter);
        Assert.Equal(503, FailureInfo.From(ex, "r").Status);
    }

    [Fact]
    public async Task RetryWaitsWithBackoffOnTheInjectedClock()
    {
        var calls = 0;
        var a = new TestChatClient
        {
            GetResponseAsyncCallback = (_, _, _) => ++calls == 1
                ? throw new ProviderException(ProviderFailureKind.RateLimited, "wait", 429, TimeSpan.FromSeconds(2))
                : Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, "ok"))),
        };
        var catalog = new ModelCatalog([Candidate("a", a, retry: new RetrySettings(1, TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(10)))], new Dictionary<string, IReadOnlyList<string>>());
        using var router = new SwitchyardRouter(catalog, _time, new Random(1));

        var pending = router.GetResponseAsync("x", Options("a"));
        await Task.Yield();
        Assert.False(pending.IsCompleted); // waiting for Retry-After on the fake clock
        _time.Advance(TimeSpan.FromSeconds(2));

        Assert.Equal("ok", (await pending.WaitAsync(TimeSpan.FromSeconds(10))).Text);
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task CallerCancellation_DoesNotFailOverOrTripTheBreaker()
    {
        using var cts = new CancellationTokenSource();
        var bCalls = 0;
        var a = new TestChatClient
        {
            GetResponseAsyncCallback = async (_, _, ct) =>
            {
                await cts.CancelAsync();
                ct.ThrowIfCancellationRequested();
                return new ChatResponse();
            },
        };
        var b = new TestChatClient { GetResponseAsyncCallback = (_, _, _) => { bCalls++; return Task.FromResult(new ChatResponse()); } };
        var catalog = new ModelCatalog([Candidate("a", a, threshold: 1), Candidate("b", b)], new Dictionary<string, IReadOnlyList<string>> { ["r"] = ["a", "b"] });
        using var router = new SwitchyardRouter(catalog, _time);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => router.GetResponseAsync("x", Options("r"), cts.Token));

        Assert.Equal(0, bCalls);
        Assert.Equal(CircuitState.Closed, catalog.Models.Single(m => m.Name == "a").Breaker.State);
    }

    [Fact]
    public async Task UnknownName_Throws404Kind()
    {
        var catalog = new ModelCatalog([Candidate("a", new TestChatClient())], new Dictionary<string, IReadOnlyList<string>>());
        using var router = new SwitchyardRouter(catalog, _time);
        var ex = await Assert.ThrowsAsync<UnknownModelException>(() => router.GetResponseAsync("x", Options("zzz")));
        Assert.Equal(404, FailureInfo.From(ex, "r").Status);
        Assert.Contains("a", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AttemptTimeout_FiresOnTheInjectedClock_AndIsTransient()
    {
        var slow = new TestChatClient
        {
            GetResponseAsyncCallback = async (_, _, ct) =>
            {
                await Task.Delay(Timeout.Infinite, ct);
                return new ChatResponse();
            },
        };
        using var client = new AttemptTimeoutChatClient(slow, TimeSpan.FromSeconds(5), _time);
        var pending = client.GetResponseAsync("x");
        _time.Advance(TimeSpan.FromSeconds(5));
        var ex = await Assert.ThrowsAsync<ProviderException>(() => pending.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(ProviderFailureKind.Timeout, ex.Kind);
        Assert.True(ex.IsTransient);
    }

    private sealed class FakeLoad : ILoadSignal
    {
        public int Active { get; set; }

        public int Waiting { get; set; }

        public bool IsSaturated { get; set; }

        public double DecodeTokensPerSecond { get; set; }
    }
}
