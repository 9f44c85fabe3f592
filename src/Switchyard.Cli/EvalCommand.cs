using System.CommandLine;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using Switchyard.Cli.Eval;
using Switchyard.Gateway;

namespace Switchyard.Cli;

/// <summary>
/// <c>switchyard eval</c>: runs a task set against configured models (or routes), grades every answer and appends one
/// outcome line per task to a JSONL file, resuming where an earlier run of the same file stopped.
/// </summary>
/// <remarks>
/// Exit codes: 0 done (failed model calls are recorded outcomes, not failures of the run); 1 the outcome file could not
/// be written; 2 bad arguments, configuration, task file or outcome file (one line on stderr); 130 interrupted by
/// Ctrl+C or SIGTERM (finished tasks are kept; rerun the same command to resume).
/// </remarks>
[SuppressMessage("Performance", "CA1515:Consider making public types internal", Justification = "Public so tests can build and invoke the command in process (the CLI grants no InternalsVisibleTo).")]
public static class EvalCommand
{
    /// <summary>Creates the command.</summary>
    public static Command Create()
    {
        var tasks = new Option<string?>("--tasks") { Description = "Task file (JSONL): one task a line with id, messages or prompt, reference and grader.", HelpName = "FILE" };
        var models = new Option<string[]>("--models")
        {
            Description = "Models or routes to evaluate, comma-separated (names from the configuration).",
            HelpName = "a,b,...",
            AllowMultipleArgumentsPerToken = false,
        };
        var output = new Option<string?>("--out") { Description = "Outcome file (JSONL); resumed when it exists. Default: <tasks>.outcomes.jsonl beside the task file.", HelpName = "FILE" };
        var concurrency = new Option<int>("--concurrency") { Description = "Model calls in flight at most.", DefaultValueFactory = _ => 4, HelpName = "N" };
        var judge = new Option<string?>("--judge") { Description = "Judging model for 'judge' graders that name none.", HelpName = "MODEL" };
        var grader = new Option<string?>("--grader") { Description = "Grader of tasks that name none: a type (exact, regex, numeric, json_schema, choice, judge) or a JSON object.", HelpName = "SPEC" };
        var config = new Option<string?>("--config") { Description = $"Configuration file (default: {SwitchyardConfigLoader.DefaultFileName} in the working directory, if present).", HelpName = "FILE" };
        var maxTokens = new Option<int?>("--max-tokens") { Description = "Output token limit of every answer (default: the provider's).", HelpName = "N" };
        var temperature = new Option<float?>("--temperature") { Description = "Sampling temperature of every answer (default: the provider's).", HelpName = "T" };
        var command = new Command("eval", "Run a task set against models, grade every answer and write per-prompt outcomes (JSONL) and a summary.")
        {
            tasks,
            models,
            output,
            concurrency,
            judge,
            grader,
            config,
            maxTokens,
            temperature,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var arguments = new EvalArguments(
                parse.GetValue(tasks),
                parse.GetValue(models) ?? [],
                parse.GetValue(output),
                parse.GetValue(concurrency),
                parse.GetValue(judge),
                parse.GetValue(grader),
                parse.GetValue(config),
                parse.GetValue(maxTokens),
                parse.GetValue(temperature));
            var stdout = parse.InvocationConfiguration.Output;
            var terminal = ReferenceEquals(stdout, Console.Out) && !Console.IsOutputRedirected;
            using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var sigint = CliConsole.CancelOnFirst(PosixSignal.SIGINT, interrupt);
            using var sigterm = CliConsole.CancelOnFirst(PosixSignal.SIGTERM, interrupt);
            return await new EvalSession(arguments, stdout, parse.InvocationConfiguration.Error, terminal).RunAsync(interrupt.Token).ConfigureAwait(false);
        });
        return command;
    }
}
