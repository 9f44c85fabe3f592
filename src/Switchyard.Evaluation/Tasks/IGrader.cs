using Microsoft.Extensions.AI;

namespace Switchyard.Evaluation.Tasks;

/// <summary>Scores one model answer to one task. Instances are built per task with its reference and options bound in.</summary>
/// <remarks>Implementations must be safe to call concurrently (one task is answered by several models at once).</remarks>
public interface IGrader
{
    /// <summary>The grader type as written in task files (<c>exact</c>, <c>regex</c>, <c>numeric</c>, <c>json_schema</c>, <c>choice</c>, <c>judge</c>).</summary>
    string Type { get; }

    /// <summary>Scores <paramref name="answer"/>.</summary>
    /// <param name="conversation">The conversation the model answered (the judge shows it to the judging model).</param>
    /// <param name="answer">The model's answer text.</param>
    /// <param name="cancellationToken">Cancels grading (only graders that call a model wait on anything).</param>
    /// <returns>A score in [0, 1] with a short explanation, or a null score when the answer could not be graded.</returns>
    ValueTask<GradeResult> GradeAsync(IReadOnlyList<ChatMessage> conversation, string answer, CancellationToken cancellationToken);
}
