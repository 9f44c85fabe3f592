using System.Text.RegularExpressions;

namespace Switchyard.Evaluation.Tasks;

/// <summary>
/// Finds the letter (A–J) a multiple-choice answer chose. In order: an answer that is only a letter (<c>c</c>,
/// <c>(C)</c>, <c>C.</c>); the last "answer/option/choice (is) (:) X" (<c>Answer: C</c>, <c>the answer is (C)</c>);
/// the last parenthesised letter <c>(C)</c>; a line that starts with the letter and a delimiter (<c>C.</c>, <c>C)</c>,
/// <c>C:</c>, <c>**C**</c>). Only capital letters count outside the first form, so words such as "I" or "a" are not
/// read as choices.
/// </summary>
internal static class ChoiceExtractor
{
    private const RegexOptions Options = RegexOptions.CultureInvariant | RegexOptions.ExplicitCapture;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1);

    private static readonly Regex Alone = new(@"^\s*[\(\[]?\**(?<l>[A-Ja-j])\**[\)\]]?[\.:]?\s*$", Options, Timeout);
    private static readonly Regex Stated = new(@"(?i:answer|option|choice)(?:\s+(?i:is))?\s*[:：]?\s*(?:(?i:option|choice)\s*)?[\(\[]?\**(?<l>[A-J])(?![A-Za-z0-9])", Options, Timeout);
    private static readonly Regex Parenthesised = new(@"\((?<l>[A-J])\)", Options, Timeout);
    private static readonly Regex LineStart = new(@"^\s*\**(?<l>[A-J])(?:[\.\):]|\*\*|\s*$)", Options | RegexOptions.Multiline, Timeout);

    /// <summary>The chosen letter (upper case), or null when none is found.</summary>
    public static char? Find(string answer)
    {
        if (Alone.Match(answer) is { Success: true } alone)
        {
            return char.ToUpperInvariant(alone.Groups["l"].Value[0]);
        }

        foreach (var pattern in new[] { Stated, Parenthesised })
        {
            Match? last = null;
            for (var m = pattern.Match(answer); m.Success; m = m.NextMatch())
            {
                last = m;
            }

            if (last is not null)
            {
                return last.Groups["l"].Value[0];
            }
        }

        return LineStart.Match(answer) is { Success: true } line ? line.Groups["l"].Value[0] : null;
    }
}
