using System.Globalization;
using System.Text.Json;
using Spectre.Console;

namespace Switchyard.Cli.BenchBackend;

/// <summary>One <c>switchyard bench-backend</c> run: validates the arguments, warms up, runs each concurrency level with
/// progress, prints the table and the profile snippet, and writes the JSON.</summary>
internal sealed class BenchBackendSession(BenchBackendArguments args, TextWriter output, TextWriter error, bool terminal)
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int BadInput = 2;
    public const int Interrupted = 130;

    private const int MaxConcurrency = 4096;

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        Uri baseUrl;
        try
        {
            baseUrl = BackendBenchmark.ParseBaseUrl(args.Url);
        }
        catch (BackendBenchmarkException ex)
        {
            return Fail(ex.Message);
        }

        if (string.IsNullOrWhiteSpace(args.Model))
        {
            return Fail("--model NAME is required: the model name the server serves (see GET /v1/models).");
        }

        if (args.InputTokens < 1 || args.OutputTokens < 1)
        {
            return Fail("--input-tokens and --output-tokens must be 1 or more.");
        }

        if (args.Requests < 1)
        {
            return Fail("--requests must be 1 or more.");
        }

        if (ParseLevels(args.Concurrency) is not { } levels)
        {
            return Fail($"--concurrency: '{args.Concurrency}' is not a comma-separated list of whole numbers from 1 to {MaxConcurrency} (for example 1,4,16).");
        }

        if (args.Requests < levels.Max())
        {
            return Fail(string.Create(CultureInfo.InvariantCulture, $"--requests ({args.Requests}) must be at least the highest --concurrency ({levels.Max()}), or that level never has all its requests in flight."));
        }

        if (!(args.TimeoutSeconds > 0) || double.IsInfinity(args.TimeoutSeconds))
        {
            return Fail("--timeout must be a positive number of seconds.");
        }

        if (args.TtftSloMs is { } slo && !(slo > 0))
        {
            return Fail("--ttft-slo-ms must be a positive number of milliseconds.");
        }

        string? apiKey = null;
        if (args.ApiKeyEnv is { } variable)
        {
            apiKey = Environment.GetEnvironmentVariable(variable);
            if (string.IsNullOrEmpty(apiKey))
            {
                return Fail($"--api-key-env: the environment variable '{variable}' is not set.");
            }
        }

        string? jsonPath = null;
        if (!string.IsNullOrEmpty(args.JsonPath))
        {
            jsonPath = Path.GetFullPath(args.JsonPath);
            if (!Directory.Exists(Path.GetDirectoryName(jsonPath)))
            {
                return Fail($"--json: the folder of '{jsonPath}' does not exist.");
            }
        }

        var options = new BackendBenchmarkOptions
        {
            BaseUrl = baseUrl,
            Model = args.Model.Trim(),
            InputTokens = args.InputTokens,
            OutputTokens = args.OutputTokens,
            Requests = args.Requests,
            Timeout = TimeSpan.FromSeconds(args.TimeoutSeconds),
            ApiKey = apiKey,
            Extensions = !args.NoExtensions,
        };
        using var benchmark = new BackendBenchmark(options);
        return await RunAsync(benchmark, options, levels, jsonPath, cancellationToken).ConfigureAwait(false);
    }

    private async Task<int> RunAsync(BackendBenchmark benchmark, BackendBenchmarkOptions options, List<int> levels, string? jsonPath, CancellationToken cancellationToken)
    {
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"switchyard bench-backend: {benchmark.ChatCompletionsUri} model {options.Model}, {options.InputTokens} input / {options.OutputTokens} output tokens, {options.Requests} requests at concurrency {string.Join(", ", levels)}"));
        BackendProbe probe;
        try
        {
            probe = await benchmark.ProbeAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (BackendBenchmarkException ex)
        {
            return Fail(ex.Message);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            error.WriteLine("Interrupted during the warm-up; nothing was measured.");
            return Interrupted;
        }

        output.WriteLine(probe.Calibrated
            ? string.Create(CultureInfo.InvariantCulture, $"Prompt: {probe.PromptWords} words, sized from the prompt tokens the server counted for two warm-up requests.")
            : string.Create(CultureInfo.InvariantCulture, $"Prompt: {probe.PromptWords} words, estimated (one token a word plus {SyntheticPrompt.EstimatedOverheadTokens} for instruction and chat template; the server reports no prompt tokens)."));

        var results = new List<BackendLevelResult>();
        try
        {
            if (terminal)
            {
                await Console().Progress()
                    .AutoClear(false)
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
                    .StartAsync(async context =>
                    {
                        var bars = levels.ToDictionary(l => l, l => context.AddTask(string.Create(CultureInfo.InvariantCulture, $"concurrency {l,3}: waiting"), autoStart: false, maxValue: options.Requests));
                        var progress = new BenchBarProgress(bars);
                        foreach (var level in levels)
                        {
                            results.Add(await benchmark.RunLevelAsync(level, progress, cancellationToken).ConfigureAwait(false));
                        }
                    }).ConfigureAwait(false);
            }
            else
            {
                var progress = new BenchPlainProgress(output);
                foreach (var level in levels)
                {
                    results.Add(await benchmark.RunLevelAsync(level, progress, cancellationToken).ConfigureAwait(false));
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            if (results.Count > 0)
            {
                Console().Write(BenchBackendTable.Build(results, null));
            }

            var shown = results.Count > 0 ? " (shown above)" : string.Empty;
            error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Interrupted: {results.Count} of {levels.Count} concurrency levels finished{shown}; requests in flight were cancelled and no JSON was written."));
            return Interrupted;
        }

        var (snippet, basis) = BackendBenchmark.Recommend(results, options.InputTokens, args.TtftSloMs);
        Console().Write(BenchBackendTable.Build(results, snippet?.Concurrency));
        PrintNotes(results, options);
        if (snippet is not null)
        {
            var compact = new JsonSerializerOptions(BenchBackendJsonContext.Default.Options) { WriteIndented = false };
            output.WriteLine($"self_hosted profile ({basis}): {JsonSerializer.Serialize(snippet, compact.GetTypeInfo(typeof(SelfHostedProfileSnippet)))}");
        }
        else
        {
            output.WriteLine($"No self_hosted profile recommended: {basis}.");
        }

        if (jsonPath is not null)
        {
            var report = new BackendBenchmarkReport
            {
                Url = benchmark.ChatCompletionsUri.ToString(),
                Model = options.Model,
                InputTokens = options.InputTokens,
                OutputTokens = options.OutputTokens,
                RequestsPerLevel = options.Requests,
                PromptWords = probe.PromptWords,
                PromptSizing = probe.Calibrated ? "calibrated" : "estimated",
                Extensions = options.Extensions,
                TtftSloMs = args.TtftSloMs,
                Levels = results,
                SelfHosted = snippet,
                SelfHostedBasis = basis,
            };
            try
            {
                await File.WriteAllTextAsync(jsonPath, JsonSerializer.Serialize(report, BenchBackendJsonContext.Default.BackendBenchmarkReport) + Environment.NewLine, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                error.WriteLine($"Cannot write {jsonPath}: {ex.Message}");
                return Failed;
            }

            output.WriteLine($"JSON: {jsonPath}");
        }

        if (results.All(r => r.Succeeded == 0))
        {
            var samples = results.SelectMany(r => r.ErrorSamples).Distinct(StringComparer.Ordinal).Take(3);
            error.WriteLine($"Every request failed, nothing was measured: {string.Join("; ", samples)}");
            return Failed;
        }

        return Ok;
    }

    private void PrintNotes(List<BackendLevelResult> results, BackendBenchmarkOptions options)
    {
        var sources = results.Where(r => r.Succeeded > 0).Select(r => r.TokenCountSource).Distinct(StringComparer.Ordinal).ToList();
        if (sources.SequenceEqual(["usage"]))
        {
            output.WriteLine("Output tokens: exact, from the server's usage (stream_options.include_usage).");
        }
        else if (sources.SequenceEqual(["chunks"]))
        {
            output.WriteLine("Output tokens: counted as streamed output events, because the server sent no usage (one event is taken as one token; servers that send several tokens an event are undercounted).");
        }
        else if (sources.Count > 0)
        {
            output.WriteLine("Output tokens: from the server's usage where it sent one, else counted as streamed output events.");
        }

        var early = results.Where(r => r.MeanOutputTokens is { } mean && mean < options.OutputTokens * 0.95).ToList();
        if (early.Count > 0)
        {
            var mean = early.Min(r => r.MeanOutputTokens!.Value);
            var hint = options.Extensions ? "it ignores ignore_eos and min_tokens" : "--no-extensions dropped ignore_eos and min_tokens";
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Warning: answers averaged as few as {mean:0.#} of the {options.OutputTokens} output tokens asked for: the server stopped early ({hint}); throughput counts the tokens actually generated."));
        }

        foreach (var r in results.Where(r => r.Errors > 0))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Errors at concurrency {r.Concurrency}: {string.Join("; ", r.ErrorSamples)}"));
        }
    }

    /// <summary>"1,4,16" → [1, 4, 16] (duplicates dropped, order kept); null when invalid.</summary>
    internal static List<int>? ParseLevels(string? text)
    {
        var levels = new List<int>();
        foreach (var part in (text ?? string.Empty).Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var level) || level < 1 || level > MaxConcurrency)
            {
                return null;
            }

            if (!levels.Contains(level))
            {
                levels.Add(level);
            }
        }

        return levels.Count == 0 ? null : levels;
    }

    private IAnsiConsole Console() => CliConsole.Create(output, terminal);

    private int Fail(string message)
    {
        error.WriteLine(message);
        return BadInput;
    }
}
