using Microsoft.Extensions.AI;

namespace Switchyard.Evaluation.Tasks;

/// <summary>One evaluation task: a conversation to send to every model and the grader that scores each answer.</summary>
/// <param name="Id">Stable identifier, unique within its task set (outcome files are keyed and resumed by it).</param>
/// <param name="Messages">The conversation the models answer.</param>
/// <param name="Grader">Scores an answer; built for this task (its reference and options are bound in).</param>
public sealed record EvalTask(string Id, IReadOnlyList<ChatMessage> Messages, IGrader Grader)
{
    /// <summary>The expected answer, when the task has one (as written in the task file).</summary>
    public string? Reference { get; init; }

    /// <summary>A grouping label (the task file's <c>group</c>), copied to the outcome record.</summary>
    public string? Group { get; init; }

    /// <summary>The 1-based line of the task file the task came from, or 0 when it was not read from a file.</summary>
    public int LineNumber { get; init; }
}
