using System.Globalization;
using Microsoft.Extensions.AI;
using Spectre.Console;
using Switchyard.Configuration;
using Switchyard.Evaluation;
using Switchyard.Evaluation.Tasks;
using Switchyard.Gateway;

namespace Switchyard.Cli.Eval;

/// <summary>One <c>switchyard eval</c> run: validates the arguments, loads the configuration and the tasks, resumes from
/// the outcome file, runs the missing calls and prints the summary.</summary>
internal sealed class EvalSession(EvalArguments args, TextWriter output, TextWriter error, bool terminal)
{
    public const int Ok = 0;
    public const int WriteFailed = 1;
    public const int BadInput = 2;
    public const int Interrupted = 130;

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(args.TasksPath))
        {
            return Fail("--tasks FILE is required (a JSONL task file; see samples/eval/README.md).");
        }

        var models = args.Models.SelectMany(m => m.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)).ToList();
        if (models.Count == 0)
        {
            return Fail("--models is required: comma-separated model or route names from the configuration.");
        }

        if (args.Concurrency < 1)
        {
            return Fail("--concurrency must be 1 or more.");
        }

        if (args.MaxTokens is < 1)
        {
            return Fail("--max-tokens must be 1 or more.");
        }

        var tasksPath = Path.GetFullPath(args.TasksPath);
        if (!File.Exists(tasksPath))
        {
            return Fail($"--tasks: the file '{tasksPath}' does not exist.");
        }

        var outPath = Path.GetFullPath(args.OutPath ?? DefaultOutPath(tasksPath));
        if (!Directory.Exists(Path.GetDirectoryName(outPath)))
        {
            return Fail($"--out: the folder of '{outPath}' does not exist.");
        }

        if (string.Equals(outPath, tasksPath, StringComparison.Ordinal))
        {
            return Fail("--out must not be the task file.");
        }

        SwitchyardOptions options;
        try
        {
            options = SwitchyardConfigLoader.LoadForServe(args.ConfigPath, Environment.CurrentDirectory);
        }
        catch (SwitchyardConfigurationException ex)
        {
            return Fail(ex.Message);
        }

        var configured = options.Models.Keys.Concat(options.Routes.Keys).ToDictionary(n => n, n => n, StringComparer.OrdinalIgnoreCase);
        var names = new List<string>();
        foreach (var model in models)
        {
            if (!configured.TryGetValue(model, out var name))
            {
                return Fail($"--models: '{model}' is not a configured model or route (configured: {Configured(configured)}).");
            }

            if (!names.Contains(name, StringComparer.Ordinal))
            {
                names.Add(name);
            }
        }

        string? judge = null;
        if (args.Judge is not null && !configured.TryGetValue(args.Judge, out judge))
        {
            return Fail($"--judge: '{args.Judge}' is not a configured model or route (configured: {Configured(configured)}).");
        }

        System.Text.Json.JsonElement? defaultGrader;
        try
        {
            defaultGrader = args.Grader is null ? null : GraderFactory.ParseSpec(args.Grader);
        }
        catch (EvalTaskFormatException ex)
        {
            return Fail("--grader: " + ex.Message);
        }

        SwitchyardRuntime runtime;
        try
        {
            runtime = SwitchyardRuntime.Create(options, log: message => error.WriteLine(message));
        }
        catch (SwitchyardConfigurationException ex)
        {
            return Fail(ex.Message);
        }

        await using (runtime.ConfigureAwait(false))
        {
            var judges = new Dictionary<string, IChatClient>(StringComparer.OrdinalIgnoreCase);
            var readOptions = new EvalTaskReadOptions
            {
                DefaultGrader = defaultGrader,
                DefaultJudgeModel = judge,
                ResolveJudge = name =>
                {
                    if (!configured.TryGetValue(name, out var canonical))
                    {
                        return null;
                    }

                    if (!judges.TryGetValue(canonical, out var client))
                    {
                        client = new EvalModelClient(runtime.Pipeline, canonical);
                        judges[canonical] = client;
                    }

                    return client;
                },
            };

            IReadOnlyList<EvalTask> tasks;
            try
            {
                tasks = EvalTaskFile.Read(tasksPath, readOptions);
            }
            catch (EvalTaskFormatException ex)
            {
                return Fail(ex.Message);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return Fail($"--tasks: cannot read '{tasksPath}': {ex.Message}");
            }

            OutcomeJsonlWriter writer;
            try
            {
                writer = OutcomeJsonlWriter.Open(outPath);
            }
            catch (OutcomeFormatException ex)
            {
                return Fail(ex.Message + " (fix or remove that line, or pass another --out)");
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                return Fail($"--out: cannot open '{outPath}' for writing: {ex.Message}");
            }

            using (writer)
            {
                return await RunWithWriterAsync(runtime, options, names, tasks, writer, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private async Task<int> RunWithWriterAsync(SwitchyardRuntime runtime, SwitchyardOptions options, List<string> names, IReadOnlyList<EvalTask> tasks, OutcomeJsonlWriter writer, CancellationToken cancellationToken)
    {
        var records = writer.Existing.ToDictionary(r => r.Id, StringComparer.Ordinal);
        var models = names.Select(n => new EvalModel(n, new EvalModelClient(runtime.Pipeline, n), options.Models.TryGetValue(n, out var m) ? m.Price : null)).ToList();
        var chatOptions = new ChatOptions { MaxOutputTokens = args.MaxTokens, Temperature = args.Temperature };
        var runner = new EvalRunner(models, args.Concurrency, runtime.TimeProvider, chatOptions);
        EvalPlan plan;
        try
        {
            plan = runner.Plan(tasks, writer.Existing);
        }
        catch (EvalTaskFormatException ex)
        {
            return Fail($"{writer.Path}: {ex.Message}; it holds outcomes of another task set: pass another --out.");
        }

        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"switchyard eval: {tasks.Count} tasks x {names.Count} models ({string.Join(", ", names)}) -> {writer.Path}"));
        if (writer.DiscardedTornLine is { } torn)
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Discarded the incomplete last line ({torn}) of {writer.Path}, left by an interrupted write."));
        }

        if (plan.Items.Count < tasks.Count || plan.Items.Any(i => i.Previous is not null))
        {
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Resuming: {plan.SkippedTasks} tasks already complete; running {plan.Items.Count} tasks ({plan.Calls} calls)."));
        }

        var written = 0;
        void OnRecord(OutcomeRecord record)
        {
            writer.Append(record);
            records[record.Id] = record;
            written++;
        }

        try
        {
            if (terminal && plan.Calls > 0)
            {
                await Console().Progress()
                    .AutoClear(false)
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                    .StartAsync(async context =>
                    {
                        var bar = context.AddTask("starting", maxValue: plan.Calls);
                        await runner.RunAsync(plan, OnRecord, new BarProgress(bar), cancellationToken).ConfigureAwait(false);
                    }).ConfigureAwait(false);
            }
            else
            {
                await runner.RunAsync(plan, OnRecord, new PlainProgress(output), cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            var done = tasks.Count(t => records.TryGetValue(t.Id, out var r) && names.All(r.Outcomes.ContainsKey));
            error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Interrupted: {done} of {tasks.Count} tasks are complete in {writer.Path} ({written} written by this run; tasks in flight were dropped). Run the same command again to resume."));
            return Interrupted;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error.WriteLine($"Cannot write {writer.Path}: {ex.Message} ({written} tasks written by this run; run the same command again to resume).");
            return WriteFailed;
        }

        var summaries = EvalSummary.Compute(tasks.Select(t => records.GetValueOrDefault(t.Id)).OfType<OutcomeRecord>(), names);
        Console().Write(EvalSummaryTable.Build(summaries));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Outcomes: {writer.Path} ({written} tasks written by this run)"));
        return Ok;
    }

    private IAnsiConsole Console() => CliConsole.Create(output, terminal);

    /// <summary><c>tasks.jsonl</c> → <c>tasks.outcomes.jsonl</c> in the same folder.</summary>
    public static string DefaultOutPath(string tasksPath) =>
        Path.Combine(Path.GetDirectoryName(tasksPath)!, Path.GetFileNameWithoutExtension(tasksPath) + ".outcomes.jsonl");

    private static string Configured(Dictionary<string, string> configured) =>
        configured.Count == 0 ? "none" : string.Join(", ", configured.Values.Order(StringComparer.OrdinalIgnoreCase));

    private int Fail(string message)
    {
        error.WriteLine(message);
        return BadInput;
    }
}
