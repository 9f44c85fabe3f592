using System.Globalization;
using Microsoft.Extensions.AI;

namespace Switchyard.Evaluation.Tasks;

/// <summary>
/// Compares the final number of the answer (see the task-file README: <c>#### 42</c>, commas, <c>$</c>, negatives,
/// decimals) with the reference: full credit within <see cref="Tolerance"/> (absolute) or, when set,
/// <see cref="RelativeTolerance"/> (a fraction of the reference).
/// Task-file options: <c>tolerance</c> (default 1e-6), <c>relative_tolerance</c>.
/// </summary>
public sealed class NumericGrader : IGrader
{
    /// <summary>The absolute tolerance used when none is given.</summary>
    public const double DefaultTolerance = 1e-6;

    /// <summary>Creates the grader.</summary>
    /// <param name="reference">The expected number.</param>
    /// <param name="tolerance">Largest absolute difference that still scores 1.</param>
    /// <param name="relativeTolerance">Largest difference, as a fraction of |reference|, that still scores 1.</param>
    public NumericGrader(double reference, double tolerance = DefaultTolerance, double? relativeTolerance = null)
    {
        if (!double.IsFinite(reference))
        {
            throw new ArgumentOutOfRangeException(nameof(reference), reference, "The reference must be a finite number.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(tolerance);
        if (relativeTolerance is { } relative)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(relative, nameof(relativeTolerance));
        }

        Reference = reference;
        Tolerance = tolerance;
        RelativeTolerance = relativeTolerance;
    }

    /// <inheritdoc />
    public string Type => "numeric";

    /// <summary>The expected number.</summary>
    public double Reference { get; }

    /// <summary>The absolute tolerance.</summary>
    public double Tolerance { get; }

    /// <summary>The relative tolerance, when set.</summary>
    public double? RelativeTolerance { get; }

    /// <summary>The final number of a text as this grader reads it (null when there is none).</summary>
    /// <param name="text">An answer, or a reference such as <c>"#### 1,234"</c>.</param>
    public static double? ExtractFinalNumber(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return NumberExtractor.Final(text);
    }

    /// <inheritdoc />
    public ValueTask<GradeResult> GradeAsync(IReadOnlyList<ChatMessage> conversation, string answer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(answer);
        if (NumberExtractor.Final(answer) is not { } found)
        {
            return ValueTask.FromResult(GradeResult.Fail("no number in the answer " + GraderText.Quote(answer)));
        }

        var difference = Math.Abs(found - Reference);
        var within = difference <= Tolerance || (RelativeTolerance is { } relative && difference <= relative * Math.Abs(Reference));
        var text = string.Create(CultureInfo.InvariantCulture, $"expected {Reference:R}, found {found:R}");
        return ValueTask.FromResult(within ? GradeResult.Pass(text) : GradeResult.Fail(text));
    }
}
