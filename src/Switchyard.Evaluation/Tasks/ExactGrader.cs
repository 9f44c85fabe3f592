using Microsoft.Extensions.AI;

namespace Switchyard.Evaluation.Tasks;

/// <summary>
/// Exact match with the reference after trimming both; case-insensitive unless <see cref="CaseSensitive"/>, and with
/// every run of whitespace counted as one space when <see cref="NormalizeWhitespace"/>.
/// Task-file options: <c>case_sensitive</c>, <c>normalize_whitespace</c> (booleans, default false).
/// </summary>
public sealed class ExactGrader : IGrader
{
    private readonly string _expected;

    /// <summary>Creates the grader.</summary>
    /// <param name="reference">The expected answer.</param>
    /// <param name="caseSensitive">Compare case too.</param>
    /// <param name="normalizeWhitespace">Treat every run of whitespace as one space.</param>
    public ExactGrader(string reference, bool caseSensitive = false, bool normalizeWhitespace = false)
    {
        ArgumentNullException.ThrowIfNull(reference);
        Reference = reference;
        CaseSensitive = caseSensitive;
        NormalizeWhitespace = normalizeWhitespace;
        _expected = Normalize(reference);
    }

    /// <inheritdoc />
    public string Type => "exact";

    /// <summary>The expected answer.</summary>
    public string Reference { get; }

    /// <summary>Whether case must match.</summary>
    public bool CaseSensitive { get; }

    /// <summary>Whether runs of whitespace are compared as one space.</summary>
    public bool NormalizeWhitespace { get; }

    /// <inheritdoc />
    public ValueTask<GradeResult> GradeAsync(IReadOnlyList<ChatMessage> conversation, string answer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var comparison = CaseSensitive ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        return ValueTask.FromResult(string.Equals(Normalize(answer), _expected, comparison)
            ? GradeResult.Pass("matches the reference")
            : GradeResult.Fail($"expected {GraderText.Quote(Reference)}, got {GraderText.Quote(answer)}"));
    }

    private string Normalize(string text) => NormalizeWhitespace ? GraderText.CollapseWhitespace(text.Trim()) : text.Trim();
}
