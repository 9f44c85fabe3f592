using System.Net;
using System.Net.Sockets;
using Switchyard.Cli.BenchBackend;

namespace Switchyard.Tests.Cli.BenchBackend;

/// <summary><see cref="BackendBenchmark"/> against a loopback streaming backend: counts, concurrency and failures.</summary>
public sealed class BackendBenchmarkTests : IAsyncLifetime
{
    private StreamingBackend _backend = null!;

    public async Task InitializeAsync() => _backend = await StreamingBackend.StartAsync();

    public async Task DisposeAsync() => await _backend.DisposeAsync();

    private BackendBenchmark Benchmark(int requests, int outputTokens = 16, int inputTokens = 64) => new(new BackendBenchmarkOptions
    {
        BaseUrl = BackendBenchmark.ParseBaseUrl(_backend.BaseUri.ToString()),
        Model = _backend.Model,
        InputTokens = inputTokens,
        OutputTokens = outputTokens,
        Requests = requests,
        Timeout = TimeSpan.FromMinutes(1),
    });

    [Fact]
    public async Task Level_KeepsExactlyTheConcurrencyInFlight()
    {
        // Nothing streams until 4 requests are in flight at the server: a client that kept fewer would show it in MaxInFlight.
        _backend.StreamOnceInFlight = 4;
        using var benchmark = Benchmark(requests: 12);

        var result = await benchmark.RunLevelAsync(4, null, CancellationToken.None);

        Assert.Equal(4, _backend.MaxInFlight);
        Assert.Equal(4, result.MaxInFlight);
        Assert.Equal(12, _backend.ChatRequests);
        Assert.Equal(12, result.Succeeded);
        Assert.Equal(0, result.Errors);
        Assert.Equal(12 * 16, result.OutputTokens);
    }

    [Fact]
    public async Task Level_WithUsage_CountsTheServersTokensNotTheEvents()
    {
        // Three tokens an event: counting events would give 6 a request, usage says 16.
        _backend.TokensPerChunk = 3;
        using var benchmark = Benchmark(requests: 5);

        var result = await benchmark.RunLevelAsync(2, null, CancellationToken.None);

        Assert.Equal("usage", result.TokenCountSource);
        Assert.Equal(5 * 16, result.OutputTokens);
        Assert.Equal(16, result.MeanOutputTokens);
        Assert.NotNull(result.MeanInputTokens);
        Assert.True(result.OutputTokensPerSecond > 0);
        Assert.NotNull(result.TtftP50Ms);
        Assert.NotNull(result.TtftP95Ms);
        Assert.NotNull(result.InterTokenLatencyP50Ms);
        Assert.NotNull(result.LatencyP95Ms);
        Assert.True(result.MaxInFlight <= 2);
    }

    [Fact]
    public async Task Level_WithoutUsage_CountsOutputEvents()
    {
        _backend.SendUsage = false;
        using var benchmark = Benchmark(requests: 3, outputTokens: 12);

        var result = await benchmark.RunLevelAsync(1, null, CancellationToken.None);

        Assert.Equal("chunks", result.TokenCountSource);
        Assert.Equal(36, result.OutputTokens);
        Assert.Equal(12, result.MeanOutputTokens);
        Assert.Null(result.MeanInputTokens);
        Assert.Equal(1, result.MaxInFlight);
    }

    [Fact]
    public async Task Level_ServerErrors_AreCountedWithTheirMessage()
    {
        _backend.FailWith = (n, _) => n is 2 or 5 ? 500 : null;
        using var benchmark = Benchmark(requests: 6);
        var reports = new List<BackendBenchmarkProgress>();

        var result = await benchmark.RunLevelAsync(2, new SyncProgress(reports), CancellationToken.None);

        Assert.Equal(6, result.Requests);
        Assert.Equal(2, result.Errors);
        Assert.Equal(4, result.Succeeded);
        Assert.Equal(4 * 16, result.OutputTokens);
        var sample = Assert.Single(result.ErrorSamples);
        Assert.Contains("HTTP 500", sample, StringComparison.Ordinal);
        Assert.Contains("scripted failure", sample, StringComparison.Ordinal);
        Assert.EndsWith("(x2)", sample, StringComparison.Ordinal);

        Assert.Equal(7, reports.Count);
        Assert.Equal(0, reports[0].Completed);
        Assert.Equal(Enumerable.Range(0, 7), reports.Select(r => r.Completed));
        Assert.Equal(6, reports[^1].Completed);
        Assert.Equal(2, reports[^1].Errors);
        Assert.Equal(64, reports[^1].OutputTokens);
    }

    [Fact]
    public async Task Level_StreamCutMidway_IsAnError()
    {
        _backend.AbortAfterTokens = 5;
        using var benchmark = Benchmark(requests: 2);

        var result = await benchmark.RunLevelAsync(1, null, CancellationToken.None);

        Assert.Equal(2, result.Errors);
        Assert.Equal(0, result.Succeeded);
        Assert.Equal(0, result.OutputTokens);
        Assert.Equal("none", result.TokenCountSource);
        Assert.Null(result.TtftP50Ms);
    }

    [Fact]
    public async Task Level_ConnectionRefused_EveryRequestIsAnError()
    {
        using var benchmark = new BackendBenchmark(new BackendBenchmarkOptions { BaseUrl = new Uri($"http://127.0.0.1:{FreePort()}/v1"), Model = "m", Requests = 3 });

        var result = await benchmark.RunLevelAsync(3, null, CancellationToken.None);

        Assert.Equal(3, result.Errors);
        Assert.Contains("connection failed", Assert.Single(result.ErrorSamples), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_CalibratesThePromptToTheRequestedTokens()
    {
        using var benchmark = Benchmark(requests: 2, inputTokens: 300);

        var probe = await benchmark.ProbeAsync(CancellationToken.None);
        var result = await benchmark.RunLevelAsync(1, null, CancellationToken.None);

        Assert.True(probe.Calibrated);
        Assert.True(probe.UsageReported);
        Assert.Equal(probe.PromptWords, benchmark.PromptWords);
        Assert.Equal(300, result.MeanInputTokens);
    }

    [Fact]
    public async Task Probe_UnknownModel_ListsTheServersModels()
    {
        using var benchmark = new BackendBenchmark(new BackendBenchmarkOptions { BaseUrl = _backend.BaseUri, Model = "nope" });

        var ex = await Assert.ThrowsAsync<BackendBenchmarkException>(() => benchmark.ProbeAsync(CancellationToken.None));

        Assert.Contains("Model 'nope' not found", ex.Message, StringComparison.Ordinal);
        Assert.Contains("The server has: bench-model.", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://host:8080/v1", "http://host:8080/v1/chat/completions")]
    [InlineData("http://host:8080/v1/", "http://host:8080/v1/chat/completions")]
    [InlineData("http://host:8080/v1/chat/completions", "http://host:8080/v1/chat/completions")]
    [InlineData("https://host/", "https://host/chat/completions")]
    public void ParseBaseUrl_AppendsChatCompletionsOnce(string url, string endpoint)
    {
        using var benchmark = new BackendBenchmark(new BackendBenchmarkOptions { BaseUrl = BackendBenchmark.ParseBaseUrl(url), Model = "m" });
        Assert.Equal(endpoint, benchmark.ChatCompletionsUri.ToString());
    }

    [Theory]
    [InlineData("")]
    [InlineData("localhost:8080/v1")]
    [InlineData("ftp://host/v1")]
    [InlineData("http://host/v1?x=1")]
    public void ParseBaseUrl_RejectsWhatIsNotAnHttpBase(string url) =>
        Assert.Throws<BackendBenchmarkException>(() => BackendBenchmark.ParseBaseUrl(url));

    [Fact]
    public void Recommend_FastestCleanLevel_WithinTheSlo()
    {
        BackendLevelResult[] levels =
        [
            Level(1, tokensPerSecond: 50, ttftP95: 100, meanInput: 510),
            Level(4, tokensPerSecond: 180, ttftP95: 400, meanInput: 512),
            Level(16, tokensPerSecond: 420, ttftP95: 2500, meanInput: 514),
            Level(32, tokensPerSecond: 500, ttftP95: 300, meanInput: 512, errors: 1),
        ];

        var (fastest, basis) = BackendBenchmark.Recommend(levels, 512, null);
        Assert.Equal(new SelfHostedProfileSnippet(420, 514, 256, 16), fastest);
        Assert.Contains("highest throughput", basis, StringComparison.Ordinal);

        var (withinSlo, sloBasis) = BackendBenchmark.Recommend(levels, 512, 1000);
        Assert.Equal(new SelfHostedProfileSnippet(180, 512, 256, 4), withinSlo);
        Assert.Contains("1000 ms", sloBasis, StringComparison.Ordinal);

        var (none, noneBasis) = BackendBenchmark.Recommend(levels, 512, 50);
        Assert.Null(none);
        Assert.Contains("try lower concurrency", noneBasis, StringComparison.Ordinal);

        var (unreported, _) = BackendBenchmark.Recommend([Level(2, 90, 100, meanInput: null)], 512, null);
        Assert.Equal(512, unreported!.BenchmarkInputTokens);
    }

    private static BackendLevelResult Level(int concurrency, double tokensPerSecond, double ttftP95, double? meanInput, int errors = 0) => new()
    {
        Concurrency = concurrency,
        Requests = 32,
        Succeeded = 32 - errors,
        Errors = errors,
        MaxInFlight = concurrency,
        WallSeconds = 10,
        OutputTokens = (32 - errors) * 256,
        OutputTokensPerSecond = tokensPerSecond,
        RequestsPerSecond = 1,
        MeanInputTokens = meanInput,
        MeanOutputTokens = 256,
        TtftP50Ms = ttftP95 / 2,
        TtftP95Ms = ttftP95,
        TokenCountSource = "usage",
        ErrorSamples = [],
    };

    internal static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    /// <summary>Records reports as they are made (unlike <see cref="Progress{T}"/>, which posts them).</summary>
    private sealed class SyncProgress(List<BackendBenchmarkProgress> reports) : IProgress<BackendBenchmarkProgress>
    {
        public void Report(BackendBenchmarkProgress value) => reports.Add(value);
    }
}
