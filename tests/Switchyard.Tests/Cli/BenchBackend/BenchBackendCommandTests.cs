using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Switchyard.Cli;

namespace Switchyard.Tests.Cli.BenchBackend;

/// <summary><c>switchyard bench-backend</c> parsed and run in process against a loopback streaming backend.</summary>
public sealed class BenchBackendCommandTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("bench-backend-").FullName;
    private StreamingBackend _backend = null!;

    public async Task InitializeAsync() => _backend = await StreamingBackend.StartAsync();

    public async Task DisposeAsync()
    {
        await _backend.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private string Json => Path.Combine(_dir, "bench.json");

    private static async Task<(int Code, string Out, string Err)> BenchAsync(CancellationToken cancellationToken, params string[] args)
    {
        var root = new RootCommand { BenchBackendCommand.Create() };
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var error = new StringWriter(CultureInfo.InvariantCulture);
        var code = await root.Parse(["bench-backend", .. args]).InvokeAsync(new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = null }, cancellationToken);
        return (code, output.ToString(), error.ToString());
    }

    private static Task<(int Code, string Out, string Err)> BenchAsync(params string[] args) => BenchAsync(CancellationToken.None, args);

    private string Url => _backend.BaseUri.ToString();

    private static bool Measured(JsonElement body) => body.GetProperty("max_tokens").GetInt32() > 1;

    [Fact]
    public async Task Run_WithUsage_ExactCountsPerLevel_AndTheRequestsAskForThem()
    {
        _backend.TokensPerChunk = 3;
        var (code, stdout, stderr) = await BenchAsync(Url, "--model", "bench-model", "--input-tokens", "64", "--output-tokens", "20", "--concurrency", "1,2", "--requests", "4", "--json", Json);

        Assert.True(code == 0, stderr + stdout);
        Assert.Contains("exact, from the server's usage", stdout, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(Json));
        var root = json.RootElement;
        Assert.Equal("calibrated", root.GetProperty("prompt_sizing").GetString());
        var levels = root.GetProperty("levels").EnumerateArray().ToList();
        Assert.Equal([1, 2], levels.Select(l => l.GetProperty("concurrency").GetInt32()));
        foreach (var level in levels)
        {
            Assert.Equal(4, level.GetProperty("requests").GetInt32());
            Assert.Equal(4, level.GetProperty("succeeded").GetInt32());
            Assert.Equal(0, level.GetProperty("errors").GetInt32());
            Assert.Equal(80, level.GetProperty("output_tokens").GetInt64());
            Assert.Equal(20, level.GetProperty("mean_output_tokens").GetDouble());
            Assert.Equal(64, level.GetProperty("mean_input_tokens").GetDouble());
            Assert.Equal("usage", level.GetProperty("token_count_source").GetString());
            Assert.True(level.GetProperty("max_in_flight").GetInt32() <= level.GetProperty("concurrency").GetInt32());
        }

        Assert.True(_backend.MaxInFlight <= 2, $"the server saw {_backend.MaxInFlight} in flight");
        var measured = _backend.Bodies.Select(b => b.RootElement).Where(Measured).ToList();
        Assert.Equal(8, measured.Count);
        foreach (var body in measured)
        {
            Assert.Equal("bench-model", body.GetProperty("model").GetString());
            Assert.Equal(20, body.GetProperty("max_tokens").GetInt32());
            Assert.Equal(20, body.GetProperty("min_tokens").GetInt32());
            Assert.True(body.GetProperty("ignore_eos").GetBoolean());
            Assert.True(body.GetProperty("stream").GetBoolean());
            Assert.True(body.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
        }

        // Every prompt is different (no prefix-cache hits between requests) and of the calibrated length.
        var prompts = measured.Select(b => b.GetProperty("messages")[0].GetProperty("content").GetString()!).ToList();
        Assert.Equal(8, prompts.Distinct(StringComparer.Ordinal).Count());
        Assert.All(prompts, p => Assert.Equal(64 - StreamingBackend.TemplateTokens, p.Split(' ').Length));
    }

    [Fact]
    public async Task Run_WithoutUsage_CountsEvents_AndSaysSo()
    {
        _backend.SendUsage = false;
        var (code, stdout, stderr) = await BenchAsync(Url, "--model", "bench-model", "--input-tokens", "64", "--output-tokens", "12", "--concurrency", "1", "--requests", "3", "--json", Json);

        Assert.True(code == 0, stderr + stdout);
        Assert.Contains("counted as streamed output events", stdout, StringComparison.Ordinal);
        Assert.Contains("estimated", stdout, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(Json));
        Assert.Equal("estimated", json.RootElement.GetProperty("prompt_sizing").GetString());
        Assert.Equal(64 - 20, json.RootElement.GetProperty("prompt_words").GetInt32());
        var level = json.RootElement.GetProperty("levels")[0];
        Assert.Equal(36, level.GetProperty("output_tokens").GetInt64());
        Assert.Equal("chunks", level.GetProperty("token_count_source").GetString());
        Assert.Equal(JsonValueKind.Null, level.GetProperty("mean_input_tokens").ValueKind);
        Assert.Equal(64, json.RootElement.GetProperty("self_hosted").GetProperty("benchmark_input_tokens").GetInt32());
    }

    [Fact]
    public async Task Json_HasEveryLevelAndAPastableSelfHostedSnippet()
    {
        var (code, stdout, stderr) = await BenchAsync(Url, "--model", "bench-model", "--input-tokens", "32", "--output-tokens", "8", "--concurrency", "1,3", "--requests", "6", "--json", Json);

        Assert.True(code == 0, stderr + stdout);
        using var json = JsonDocument.Parse(File.ReadAllText(Json));
        var root = json.RootElement;
        Assert.Equal(
            ["url", "model", "input_tokens", "output_tokens", "requests_per_level", "prompt_words", "prompt_sizing", "extensions", "ttft_slo_ms", "levels", "self_hosted", "self_hosted_basis"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(_backend.BaseUri + "/chat/completions", root.GetProperty("url").GetString());
        Assert.Equal(
            ["concurrency", "requests", "succeeded", "errors", "max_in_flight", "wall_seconds", "output_tokens", "output_tokens_per_second", "requests_per_second", "mean_input_tokens", "mean_output_tokens", "ttft_p50_ms", "ttft_p95_ms", "inter_token_latency_p50_ms", "latency_p50_ms", "latency_p95_ms", "token_count_source", "error_samples"],
            root.GetProperty("levels")[0].EnumerateObject().Select(p => p.Name));

        var snippet = root.GetProperty("self_hosted");
        Assert.Equal(["output_tokens_per_second", "benchmark_input_tokens", "benchmark_output_tokens", "concurrency"], snippet.EnumerateObject().Select(p => p.Name));
        var levels = root.GetProperty("levels").EnumerateArray().ToList();
        var best = levels.MaxBy(l => l.GetProperty("output_tokens_per_second").GetDouble());
        Assert.Equal(best.GetProperty("concurrency").GetInt32(), snippet.GetProperty("concurrency").GetInt32());
        Assert.Equal(Math.Round(best.GetProperty("output_tokens_per_second").GetDouble(), 1), snippet.GetProperty("output_tokens_per_second").GetDouble());
        Assert.Equal(32, snippet.GetProperty("benchmark_input_tokens").GetInt32());
        Assert.Equal(8, snippet.GetProperty("benchmark_output_tokens").GetInt32());

        var line = stdout.Split('\n').Single(l => l.StartsWith("self_hosted profile", StringComparison.Ordinal));
        using var printed = JsonDocument.Parse(line[(line.IndexOf("): ", StringComparison.Ordinal) + 3)..]);
        Assert.Equal(snippet.GetRawText().Replace(" ", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal).Replace("\r", "", StringComparison.Ordinal), printed.RootElement.GetRawText());
        Assert.Contains("bench-backend: concurrency 3: 6/6 requests", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerErrors_DuringTheRun_AreReportedAndExcludedFromTheProfile()
    {
        var measured = 0;
        _backend.FailWith = (_, body) => Measured(body) && Interlocked.Increment(ref measured) is 2 or 3 ? 500 : null;
        var (code, stdout, stderr) = await BenchAsync(Url, "--model", "bench-model", "--input-tokens", "32", "--output-tokens", "8", "--concurrency", "1", "--requests", "5", "--json", Json);

        Assert.True(code == 0, stderr + stdout);
        Assert.Contains("Errors at concurrency 1: HTTP 500: scripted failure (x2)", stdout, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(Json));
        var level = json.RootElement.GetProperty("levels")[0];
        Assert.Equal(2, level.GetProperty("errors").GetInt32());
        Assert.Equal(3, level.GetProperty("succeeded").GetInt32());
        Assert.Equal(24, level.GetProperty("output_tokens").GetInt64());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("self_hosted").ValueKind);
        Assert.Contains("No self_hosted profile recommended", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryMeasuredRequestFailing_ExitsOne()
    {
        _backend.FailWith = (_, body) => Measured(body) ? 503 : null;
        var (code, _, stderr) = await BenchAsync(Url, "--model", "bench-model", "--input-tokens", "32", "--output-tokens", "8", "--concurrency", "2", "--requests", "2");

        Assert.Equal(1, code);
        Assert.Contains("Every request failed", stderr, StringComparison.Ordinal);
        Assert.Contains("HTTP 503", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ServerStoppingEarly_IsMeasuredAsIs_WithAWarning()
    {
        _backend.StopAfterTokens = 5;
        var (code, stdout, stderr) = await BenchAsync(Url, "--model", "bench-model", "--input-tokens", "32", "--output-tokens", "8", "--concurrency", "1", "--requests", "2", "--json", Json);

        Assert.True(code == 0, stderr + stdout);
        Assert.Contains("Warning: answers averaged as few as 5 of the 8 output tokens", stdout, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(File.ReadAllText(Json));
        Assert.Equal(5, json.RootElement.GetProperty("self_hosted").GetProperty("benchmark_output_tokens").GetInt32());
    }

    [Fact]
    public async Task NoExtensions_LeavesIgnoreEosAndMinTokensOut()
    {
        var (code, stdout, stderr) = await BenchAsync(Url, "--model", "bench-model", "--input-tokens", "32", "--output-tokens", "8", "--concurrency", "1", "--requests", "1", "--no-extensions");

        Assert.True(code == 0, stderr + stdout);
        Assert.All(_backend.Bodies, b =>
        {
            Assert.False(b.RootElement.TryGetProperty("ignore_eos", out _));
            Assert.False(b.RootElement.TryGetProperty("min_tokens", out _));
        });
    }

    [Fact]
    public async Task ConnectionRefused_ExitsTwoWithOneLine()
    {
        var (code, stdout, stderr) = await BenchAsync($"http://127.0.0.1:{BackendBenchmarkTests.FreePort()}/v1", "--model", "m", "--json", Json);

        Assert.Equal(2, code);
        Assert.StartsWith("Cannot reach http://127.0.0.1:", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.TrimEnd().Split('\n'));
        Assert.DoesNotContain("concurrency 1:", stdout, StringComparison.Ordinal);
        Assert.False(File.Exists(Json));
    }

    [Fact]
    public async Task ServerErrorOnWarmup_ExitsTwo()
    {
        _backend.FailWith = (_, _) => 500;
        var (code, _, stderr) = await BenchAsync(Url, "--model", "bench-model");

        Assert.Equal(2, code);
        Assert.Contains("HTTP 500: scripted failure", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task ApiKey_MissingIs401WithAHint_GivenIsSent()
    {
        _backend.RequiredApiKey = "sekrit";
        var (code, _, stderr) = await BenchAsync(Url, "--model", "bench-model");
        Assert.Equal(2, code);
        Assert.Contains("HTTP 401", stderr, StringComparison.Ordinal);
        Assert.Contains("--api-key-env", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.TrimEnd().Split('\n'));

        var variable = "SWITCHYARD_BENCH_TEST_KEY_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(variable, "sekrit");
        try
        {
            var (ok, stdout, err) = await BenchAsync(Url, "--model", "bench-model", "--input-tokens", "32", "--output-tokens", "4", "--concurrency", "1", "--requests", "1", "--api-key-env", variable);
            Assert.True(ok == 0, err + stdout);
        }
        finally
        {
            Environment.SetEnvironmentVariable(variable, null);
        }

        var (unset, _, unsetErr) = await BenchAsync(Url, "--model", "bench-model", "--api-key-env", variable);
        Assert.Equal(2, unset);
        Assert.Contains("is not set", unsetErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownModel_ExitsTwoListingTheServersModels()
    {
        var (code, _, stderr) = await BenchAsync(Url, "--model", "nope");

        Assert.Equal(2, code);
        Assert.Contains("Model 'nope' not found", stderr, StringComparison.Ordinal);
        Assert.Contains("The server has: bench-model.", stderr, StringComparison.Ordinal);
        Assert.Single(stderr.TrimEnd().Split('\n'));
    }

    [Theory]
    [InlineData("not a url", "--model", "m")]
    [InlineData("ftp://127.0.0.1/v1", "--model", "m")]
    [InlineData("--model", "m")]
    [InlineData("http://127.0.0.1:1/v1")]
    [InlineData("http://127.0.0.1:1/v1", "--model", "m", "--concurrency", "1,x")]
    [InlineData("http://127.0.0.1:1/v1", "--model", "m", "--concurrency", "0")]
    [InlineData("http://127.0.0.1:1/v1", "--model", "m", "--concurrency", "4", "--requests", "2")]
    [InlineData("http://127.0.0.1:1/v1", "--model", "m", "--output-tokens", "0")]
    [InlineData("http://127.0.0.1:1/v1", "--model", "m", "--timeout", "0")]
    [InlineData("http://127.0.0.1:1/v1", "--model", "m", "--ttft-slo-ms", "-5")]
    [InlineData("http://127.0.0.1:1/v1", "--model", "m", "--json", "/no/such/folder/x.json")]
    public async Task BadArguments_ExitTwoWithOneLine(params string[] args)
    {
        var (code, _, stderr) = await BenchAsync(args);

        Assert.Equal(2, code);
        Assert.Single(stderr.TrimEnd().Split('\n'));
    }

    [Fact]
    public async Task Interrupt_CancelsRequestsInFlight_AndExits130()
    {
        _backend.HoldWhen = Measured;
        using var interrupt = new CancellationTokenSource();
        var run = BenchAsync(interrupt.Token, Url, "--model", "bench-model", "--input-tokens", "32", "--output-tokens", "8", "--concurrency", "2", "--requests", "4", "--json", Json);

        await _backend.Held.WaitAsync(TimeSpan.FromSeconds(30));
        await interrupt.CancelAsync();
        var (code, _, stderr) = await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(130, code);
        Assert.Contains("Interrupted: 0 of 1 concurrency levels finished", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Json));
    }
}
