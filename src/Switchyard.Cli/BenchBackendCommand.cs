using System.CommandLine;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using Switchyard.Cli.BenchBackend;

namespace Switchyard.Cli;

/// <summary>
/// <c>switchyard bench-backend URL</c>: measures a self-hosted OpenAI-compatible server's serving throughput (output
/// tokens per second at a stated input length, output length and concurrency) and prints a <c>self_hosted</c> profile
/// snippet to paste into a profile.
/// </summary>
/// <remarks>
/// Exit codes: 0 measured (failed requests are reported, not fatal); 1 every request failed or the JSON could not be
/// written; 2 bad arguments, or the warm-up failed: bad URL, server unreachable, key refused, model not found (one line
/// on stderr); 130 interrupted by Ctrl+C or SIGTERM (requests in flight are cancelled, finished levels are printed).
/// </remarks>
[SuppressMessage("Performance", "CA1515:Consider making public types internal", Justification = "Public so tests can build and invoke the command in process (the CLI grants no InternalsVisibleTo).")]
public static class BenchBackendCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var url = new Argument<string?>("URL")
        {
            Description = "The server's OpenAI-compatible base URL, for example http://127.0.0.1:8080/v1 (requests go to URL/chat/completions).",
            Arity = ArgumentArity.ZeroOrOne,
        };
        var model = new Option<string?>("--model") { Description = "Model name to request (as the server lists it in GET /v1/models).", HelpName = "NAME" };
        var inputTokens = new Option<int>("--input-tokens")
        {
            Description = "Prompt length in tokens. The prompt is common one-token English words, sized from the prompt tokens the server reports for two warm-up requests (else one token a word plus 20 of overhead).",
            DefaultValueFactory = _ => 512,
            HelpName = "N",
        };
        var outputTokens = new Option<int>("--output-tokens")
        {
            Description = "Output tokens per request: max_tokens, plus the vLLM/llama.cpp extensions min_tokens and ignore_eos so the model cannot stop early.",
            DefaultValueFactory = _ => 256,
            HelpName = "N",
        };
        var concurrency = new Option<string>("--concurrency") { Description = "Concurrency levels: requests kept in flight, comma-separated; each level is measured in turn.", DefaultValueFactory = _ => "1,4,16", HelpName = "N,N,..." };
        var requests = new Option<int>("--requests") { Description = "Requests run at each level (at least the highest concurrency).", DefaultValueFactory = _ => 32, HelpName = "N" };
        var apiKeyEnv = new Option<string?>("--api-key-env") { Description = "Environment variable holding an API key, sent as 'Authorization: Bearer'.", HelpName = "VAR" };
        var json = new Option<string?>("--json") { Description = "Write the results as JSON (snake_case), with the recommended self_hosted profile snippet.", HelpName = "FILE" };
        var timeout = new Option<double>("--timeout") { Description = "Limit on one request, from sending it to the end of its stream.", DefaultValueFactory = _ => 300, HelpName = "SECONDS" };
        var ttftSlo = new Option<double?>("--ttft-slo-ms") { Description = "Recommend the fastest level whose p95 time to first token stays within this (default: the fastest level).", HelpName = "MS" };
        var noExtensions = new Option<bool>("--no-extensions") { Description = "Send neither ignore_eos nor min_tokens, for servers that reject unknown fields (answers may then end early)." };
        var command = new Command("bench-backend", "Measure a self-hosted OpenAI-compatible server's serving throughput (output tokens/s, TTFT, inter-token latency) at several concurrency levels.")
        {
            url,
            model,
            inputTokens,
            outputTokens,
            concurrency,
            requests,
            apiKeyEnv,
            json,
            timeout,
            ttftSlo,
            noExtensions,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var arguments = new BenchBackendArguments(
                parse.GetValue(url),
                parse.GetValue(model),
                parse.GetValue(inputTokens),
                parse.GetValue(outputTokens),
                parse.GetValue(concurrency) ?? string.Empty,
                parse.GetValue(requests),
                parse.GetValue(apiKeyEnv),
                parse.GetValue(json),
                parse.GetValue(timeout),
                parse.GetValue(ttftSlo),
                parse.GetValue(noExtensions));
            var stdout = parse.InvocationConfiguration.Output;
            var terminal = ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected;
            using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var sigint = CliConsole.CancelOnFirst(PosixSignal.SIGINT, interrupt);
            using var sigterm = CliConsole.CancelOnFirst(PosixSignal.SIGTERM, interrupt);
            return await new BenchBackendSession(arguments, stdout, parse.InvocationConfiguration.Error, terminal).RunAsync(interrupt.Token).ConfigureAwait(false);
        });
        return command;
    }
}
