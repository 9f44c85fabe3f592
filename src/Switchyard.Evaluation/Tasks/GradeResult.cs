namespace Switchyard.Evaluation.Tasks;

/// <summary>A grader's verdict on one answer.</summary>
/// <param name="Score">The score in [0, 1], or null when the answer could not be graded (recorded as an error, score 0).</param>
/// <param name="Explanation">A short reason, e.g. <c>expected 72, found 70</c>.</param>
public sealed record GradeResult(double? Score, string Explanation)
{
    /// <summary>The score on the grader's own scale when it differs (a judge's 1–10 rating).</summary>
    public double? RawScore { get; init; }

    /// <summary>A full-credit verdict.</summary>
    /// <param name="explanation">Why.</param>
    public static GradeResult Pass(string explanation) => new(1, explanation);

    /// <summary>A no-credit verdict.</summary>
    /// <param name="explanation">Why.</param>
    public static GradeResult Fail(string explanation) => new(0, explanation);

    /// <summary>No verdict: the answer could not be graded.</summary>
    /// <param name="explanation">Why.</param>
    public static GradeResult Ungraded(string explanation) => new(null, explanation);
}
