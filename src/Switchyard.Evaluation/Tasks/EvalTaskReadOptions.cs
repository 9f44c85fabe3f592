using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Switchyard.Evaluation.Tasks;

/// <summary>How task files are read and their graders built.</summary>
public sealed class EvalTaskReadOptions
{
    /// <summary>The grader of tasks that name none (a type name string or an object, as in a task's <c>grader</c>); null = tasks must name one.</summary>
    public JsonElement? DefaultGrader { get; init; }

    /// <summary>The judging model of <c>judge</c> graders that name none (<c>--judge</c>).</summary>
    public string? DefaultJudgeModel { get; init; }

    /// <summary>Returns the client of a judging model by name, or null when there is no such model.</summary>
    public Func<string, IChatClient?>? ResolveJudge { get; init; }
}
