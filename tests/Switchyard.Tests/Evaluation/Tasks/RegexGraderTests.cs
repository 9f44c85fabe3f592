using Microsoft.Extensions.AI;
using Switchyard.Evaluation.Tasks;

namespace Switchyard.Tests.Evaluation.Tasks;

public sealed class RegexGraderTests
{
    private static readonly ChatMessage[] Question = [new(ChatRole.User, "q")];

    [Theory]
    [InlineData(@"\b4\b", "2 + 2 = 4.", 1.0)]
    [InlineData(@"\b4\b", "2 + 2 = 44", 0.0)]
    [InlineData(@"^\d{3}-\d{4}$", "555-1234", 1.0)]
    [InlineData(@"^\d{3}-\d{4}$", "call 555-1234", 0.0)]
    [InlineData("paris", "Paris", 0.0)]
    public async Task ScoresOneOnAMatch(string pattern, string answer, double expected) =>
        Assert.Equal(expected, (await new RegexGrader(pattern).GradeAsync(Question, answer, CancellationToken.None)).Score);

    [Fact]
    public async Task IgnoreCase_Matches()
    {
        var result = await new RegexGrader("paris", ignoreCase: true).GradeAsync(Question, "PARIS", CancellationToken.None);
        Assert.Equal(1.0, result.Score);
        Assert.Contains("PARIS", result.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CatastrophicBacktracking_TimesOutAndScoresZeroWithAnExplanation()
    {
        var grader = new RegexGrader(@"^(\w+\s?)*$", timeout: TimeSpan.FromMilliseconds(1));
        var answer = string.Concat(Enumerable.Repeat("word ", 40)) + "!";
        var result = await grader.GradeAsync(Question, answer, CancellationToken.None);
        Assert.Equal(0.0, result.Score);
        Assert.Contains("timed out", result.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void InvalidPattern_IsRejectedWhenBuilt() =>
        Assert.ThrowsAny<ArgumentException>(() => new RegexGrader("(unclosed"));
}
