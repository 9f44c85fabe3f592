using Microsoft.Extensions.AI;

namespace Switchyard.Evaluation.Tasks;

/// <summary>
/// Multiple choice: extracts the letter (A–J) the answer chose (<c>Answer: C</c>, <c>(C)</c>, <c>C.</c>, …) and gives
/// full credit when it is the reference letter. The reference is a single letter A–J (either case).
/// </summary>
public sealed class ChoiceGrader : IGrader
{
    /// <summary>Creates the grader.</summary>
    /// <param name="reference">The correct letter, A–J (either case; surrounding spaces and parentheses are ignored).</param>
    /// <exception cref="ArgumentException">The reference is not a letter A–J.</exception>
    public ChoiceGrader(string reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        var letter = reference.Trim().Trim('(', ')').Trim();
        if (letter.Length != 1 || char.ToUpperInvariant(letter[0]) is < 'A' or > 'J')
        {
            throw new ArgumentException($"The reference of a choice grader must be a letter A–J, not '{reference}'.", nameof(reference));
        }

        Reference = char.ToUpperInvariant(letter[0]);
    }

    /// <inheritdoc />
    public string Type => "choice";

    /// <summary>The correct letter (upper case).</summary>
    public char Reference { get; }

    /// <summary>The letter an answer chose as this grader reads it, or null.</summary>
    /// <param name="answer">A model answer.</param>
    public static char? ExtractChoice(string answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        return ChoiceExtractor.Find(answer);
    }

    /// <inheritdoc />
    public ValueTask<GradeResult> GradeAsync(IReadOnlyList<ChatMessage> conversation, string answer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(answer);
        return ValueTask.FromResult(ChoiceExtractor.Find(answer) switch
        {
            null => GradeResult.Fail("no choice letter found in " + GraderText.Quote(answer)),
            var chosen when chosen == Reference => GradeResult.Pass($"chose {chosen}"),
            var chosen => GradeResult.Fail($"chose {chosen}, expected {Reference}"),
        });
    }
}
