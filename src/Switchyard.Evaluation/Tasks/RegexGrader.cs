using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.Extensions.AI;

namespace Switchyard.Evaluation.Tasks;

/// <summary>
/// Full credit when the answer contains a match of a regular expression, compiled once with a match timeout; an answer
/// that makes the pattern run past the timeout scores 0 with an explanation saying so.
/// Task-file options: <c>pattern</c> (required), <c>ignore_case</c> (default false), <c>timeout_ms</c> (default 1000).
/// </summary>
public sealed class RegexGrader : IGrader
{
    /// <summary>The match timeout used when none is given.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(1);

    private readonly Regex _regex;

    /// <summary>Creates the grader, compiling the pattern.</summary>
    /// <param name="pattern">A .NET regular expression.</param>
    /// <param name="ignoreCase">Match case-insensitively.</param>
    /// <param name="timeout">Longest a match may run; <see cref="DefaultTimeout"/> when null.</param>
    /// <exception cref="ArgumentException">The pattern is not a valid regular expression, or the timeout is not positive.</exception>
    public RegexGrader(string pattern, bool ignoreCase = false, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(pattern);
        var wait = timeout ?? DefaultTimeout;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(wait, TimeSpan.Zero, nameof(timeout));
        var options = RegexOptions.CultureInvariant | (ignoreCase ? RegexOptions.IgnoreCase : RegexOptions.None);
        _regex = new Regex(pattern, options, wait);
    }

    /// <inheritdoc />
    public string Type => "regex";

    /// <summary>The pattern.</summary>
    public string Pattern => _regex.ToString();

    /// <inheritdoc />
    public ValueTask<GradeResult> GradeAsync(IReadOnlyList<ChatMessage> conversation, string answer, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(answer);
        try
        {
            var match = _regex.Match(answer);
            return ValueTask.FromResult(match.Success
                ? GradeResult.Pass("matched " + GraderText.Quote(match.Value))
                : GradeResult.Fail($"no match for /{Pattern}/ in {GraderText.Quote(answer)}"));
        }
        catch (RegexMatchTimeoutException)
        {
            return ValueTask.FromResult(GradeResult.Fail(string.Create(CultureInfo.InvariantCulture, $"the pattern timed out after {_regex.MatchTimeout.TotalMilliseconds:0} ms on this answer")));
        }
    }
}
