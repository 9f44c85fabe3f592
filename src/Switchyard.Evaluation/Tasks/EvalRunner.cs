using System.Globalization;
using Microsoft.Extensions.AI;
using Switchyard.Metering;
using Switchyard.Routing;

namespace Switchyard.Evaluation.Tasks;

/// <summary>
/// Runs tasks against models and grades every answer: each (task, model) pair is one call, at most
/// <see cref="Concurrency"/> at a time, started in task order. A task's record is handed to the caller as soon as every
/// model has answered it, so records arrive in completion order, which under concurrency may differ from task order.
/// </summary>
/// <remarks>
/// <para>A call that fails (provider error, timeout, refused by the router) is recorded as an outcome with
/// <see cref="ModelOutcome.Error"/> and score 0, as is an answer its grader cannot grade (null score, e.g. a judge
/// reply with no rating) or a grader that throws. Only cancellation of the run stops it: calls in flight are cancelled,
/// their tasks are not recorded, and <see cref="RunAsync"/> throws <see cref="OperationCanceledException"/> once every
/// finished task has been handed over.</para>
/// <para>Latency is the model call's wall-clock time from the <see cref="TimeProvider"/>; grading is not included.
/// Cost is <see cref="CostKey"/> from the response's additional properties when the client reports one (a route whose
/// serving model varies), else the model's <see cref="EvalModel.Price"/> applied to the reported usage, else unknown.</para>
/// </remarks>
public sealed class EvalRunner
{
    /// <summary>The key of <see cref="ChatResponse.AdditionalProperties"/> under which a client may report an answer's cost (a <see cref="decimal"/>, US dollars).</summary>
    public const string CostKey = "switchyard.cost";

    private readonly Dictionary<string, EvalModel> _byName;
    private readonly TimeProvider _time;
    private readonly ChatOptions? _chatOptions;

    /// <summary>Creates the runner.</summary>
    /// <param name="models">The models, with unique names (ordinal).</param>
    /// <param name="concurrency">Model calls in flight at most (1 or more).</param>
    /// <param name="timeProvider">Clock for latency.</param>
    /// <param name="chatOptions">Options sent with every model call (cloned per call), e.g. a temperature or an output limit.</param>
    public EvalRunner(IReadOnlyList<EvalModel> models, int concurrency = 4, TimeProvider? timeProvider = null, ChatOptions? chatOptions = null)
    {
        ArgumentNullException.ThrowIfNull(models);
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);
        if (models.Count == 0)
        {
            throw new ArgumentException("At least one model is needed.", nameof(models));
        }

        _byName = new Dictionary<string, EvalModel>(StringComparer.Ordinal);
        foreach (var model in models)
        {
            ArgumentNullException.ThrowIfNull(model);
            if (!_byName.TryAdd(model.Name, model))
            {
                throw new ArgumentException($"The model '{model.Name}' is listed twice.", nameof(models));
            }
        }

        Models = models;
        Concurrency = concurrency;
        _time = timeProvider ?? TimeProvider.System;
        _chatOptions = chatOptions;
    }

    /// <summary>The models, in the order their outcomes are recorded.</summary>
    public IReadOnlyList<EvalModel> Models { get; }

    /// <summary>Model calls in flight at most.</summary>
    public int Concurrency { get; }

    /// <summary>Works out which models each task still needs, given what earlier runs recorded.</summary>
    /// <param name="tasks">The task set.</param>
    /// <param name="previous">Records of earlier runs (matched by id); null for a fresh run.</param>
    /// <exception cref="EvalTaskFormatException">An earlier record has a task's id but other messages (it is from another task set).</exception>
    public EvalPlan Plan(IReadOnlyList<EvalTask> tasks, IEnumerable<OutcomeRecord>? previous = null)
    {
        ArgumentNullException.ThrowIfNull(tasks);
        var byId = new Dictionary<string, OutcomeRecord>(StringComparer.Ordinal);
        foreach (var record in previous ?? [])
        {
            byId[record.Id] = record;
        }

        var items = new List<EvalPlanItem>();
        var skipped = 0;
        foreach (var task in tasks)
        {
            var earlier = byId.GetValueOrDefault(task.Id);
            if (earlier is not null && !EvalMessageJson.SameConversation(earlier.Messages, task.Messages))
            {
                throw new EvalTaskFormatException(task.LineNumber > 0
                    ? string.Create(CultureInfo.InvariantCulture, $"the record '{task.Id}' has other messages than the task of that id (task file line {task.LineNumber})")
                    : $"the record '{task.Id}' has other messages than the task of that id");
            }

            var missing = Models.Select(m => m.Name).Where(name => earlier is null || !earlier.Outcomes.ContainsKey(name)).ToList();
            if (missing.Count == 0)
            {
                skipped++;
            }
            else
            {
                items.Add(new EvalPlanItem(task, earlier, missing));
            }
        }

        return new EvalPlan(items, tasks.Count, skipped);
    }

    /// <summary>Runs a plan.</summary>
    /// <param name="plan">From <see cref="Plan"/>.</param>
    /// <param name="onRecord">
    /// Receives each task's record (earlier outcomes merged with the new ones) as soon as its last model has answered;
    /// called one at a time. An exception from it stops the run and is rethrown.
    /// </param>
    /// <param name="progress">Told after every model call; called one at a time, synchronously on the calling worker.</param>
    /// <param name="cancellationToken">Stops the run (see the remarks).</param>
    /// <returns>The final progress.</returns>
    /// <exception cref="OperationCanceledException">The run was cancelled before every task completed.</exception>
    public async Task<EvalProgress> RunAsync(EvalPlan plan, Action<OutcomeRecord> onRecord, IProgress<EvalProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(onRecord);
        foreach (var name in plan.Items.SelectMany(i => i.MissingModels))
        {
            if (!_byName.ContainsKey(name))
            {
                throw new ArgumentException($"The plan names model '{name}', which this runner does not have.", nameof(plan));
            }
        }

        var states = plan.Items.Select(i => new TaskState(i)).ToList();
        var units = states.SelectMany(s => Enumerable.Range(0, s.Item.MissingModels.Count).Select(slot => (State: s, Slot: slot)));
        var gate = new Lock();
        var current = new EvalProgress(0, states.Count, 0, plan.Calls, 0);
        progress?.Report(current);
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Concurrency, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(units, parallel, async (unit, token) =>
        {
            var item = unit.State.Item;
            var outcome = await RunOneAsync(item.Task, _byName[item.MissingModels[unit.Slot]], token).ConfigureAwait(false);
            lock (gate)
            {
                unit.State.Outcomes[unit.Slot] = outcome;
                var finished = --unit.State.Remaining == 0;
                if (finished)
                {
                    onRecord(unit.State.ToRecord());
                }

                current = new EvalProgress(
                    current.CompletedTasks + (finished ? 1 : 0),
                    current.TotalTasks,
                    current.CompletedCalls + 1,
                    current.TotalCalls,
                    current.FailedCalls + (outcome.Error is null ? 0 : 1));
                progress?.Report(current);
            }
        }).ConfigureAwait(false);
        return current;
    }

    private async Task<ModelOutcome> RunOneAsync(EvalTask task, EvalModel model, CancellationToken cancellationToken)
    {
        var options = _chatOptions?.Clone() ?? new ChatOptions();
        var start = _time.GetTimestamp();
        ChatResponse response;
        try
        {
            response = await model.Client.GetResponseAsync(task.Messages, options, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            return new ModelOutcome(0) { LatencyMs = Milliseconds(_time.GetElapsedTime(start)), Error = Describe(ex) };
        }

        var latency = Milliseconds(_time.GetElapsedTime(start));
        var usage = response.Usage;
        decimal? cost = response.AdditionalProperties?.TryGetValue(CostKey, out var reported) == true && reported is decimal d
            ? d
            : model.Price is { } price && usage is not null
                ? CostCalculator.Cost(price, usage.InputTokenCount ?? 0, usage.CachedInputTokenCount ?? 0, usage.OutputTokenCount ?? 0)
                : null;
        var answer = response.Text;
        GradeResult grade;
        try
        {
            grade = await task.Grader.GradeAsync(task.Messages, answer, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception ex)
        {
            grade = GradeResult.Ungraded($"grading ({task.Grader.Type}) failed: {Describe(ex)}");
        }

        if (grade.Score is { } s && !(s >= 0 && s <= 1))
        {
            grade = GradeResult.Ungraded(string.Create(CultureInfo.InvariantCulture, $"the {task.Grader.Type} grader returned {s}, outside [0, 1]"));
        }

        return new ModelOutcome(grade.Score ?? 0)
        {
            RawScore = grade.RawScore,
            InputTokens = usage?.InputTokenCount,
            OutputTokens = usage?.OutputTokenCount,
            Cost = cost,
            LatencyMs = latency,
            Response = answer,
            Error = grade.Score is null ? grade.Explanation : null,
        };
    }

    private static double Milliseconds(TimeSpan elapsed) => Math.Round(elapsed.TotalMilliseconds, 1);

    private static string Describe(Exception ex) => ex switch
    {
        ProviderException or NoRouteAvailableException or UnknownModelException => FailureInfo.From(ex, "eval").Message,
        OperationCanceledException => "the call was cancelled or timed out: " + ex.Message,
        _ => ex.Message,
    };

    /// <summary>One task's outcomes as its calls finish (guarded by the run's lock).</summary>
    private sealed class TaskState(EvalPlanItem item)
    {
        public EvalPlanItem Item { get; } = item;

        public ModelOutcome?[] Outcomes { get; } = new ModelOutcome?[item.MissingModels.Count];

        public int Remaining { get; set; } = item.MissingModels.Count;

        public OutcomeRecord ToRecord()
        {
            var outcomes = new Dictionary<string, ModelOutcome>(StringComparer.Ordinal);
            if (Item.Previous is { } previous)
            {
                foreach (var (model, outcome) in previous.Outcomes)
                {
                    outcomes[model] = outcome;
                }
            }

            for (var i = 0; i < Outcomes.Length; i++)
            {
                outcomes[Item.MissingModels[i]] = Outcomes[i]!;
            }

            return new OutcomeRecord(Item.Task.Id, Item.Task.Messages, outcomes) { Group = Item.Task.Group ?? Item.Previous?.Group };
        }
    }
}
