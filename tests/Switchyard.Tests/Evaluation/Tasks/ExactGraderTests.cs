using Microsoft.Extensions.AI;
using Switchyard.Evaluation.Tasks;

namespace Switchyard.Tests.Evaluation.Tasks;

public sealed class ExactGraderTests
{
    private static readonly ChatMessage[] Question = [new(ChatRole.User, "q")];

    private static async Task<double?> Score(ExactGrader grader, string answer) => (await grader.GradeAsync(Question, answer, CancellationToken.None)).Score;

    [Theory]
    [InlineData("Paris", "Paris", 1.0)]
    [InlineData("Paris", "  paris \n", 1.0)]
    [InlineData("Paris", "PARIS", 1.0)]
    [InlineData("Paris", "Paris.", 0.0)]
    [InlineData("Paris", "The answer is Paris", 0.0)]
    [InlineData("New York", "New  York", 0.0)]
    [InlineData("42", "42", 1.0)]
    public async Task DefaultIsTrimmedAndCaseInsensitive(string reference, string answer, double expected) =>
        Assert.Equal(expected, await Score(new ExactGrader(reference), answer));

    [Fact]
    public async Task CaseSensitive_RejectsOtherCase()
    {
        var grader = new ExactGrader("Paris", caseSensitive: true);
        Assert.Equal(0.0, await Score(grader, "paris"));
        Assert.Equal(1.0, await Score(grader, " Paris "));
    }

    [Fact]
    public async Task NormalizeWhitespace_CollapsesRunsInsideTheAnswer()
    {
        var grader = new ExactGrader("New York City", normalizeWhitespace: true);
        Assert.Equal(1.0, await Score(grader, "New \t York\n\nCity"));
        Assert.Equal(0.0, await Score(grader, "NewYork City"));
    }

    [Fact]
    public async Task Failure_ExplainsWhatWasExpected()
    {
        var result = await new ExactGrader("Paris").GradeAsync(Question, "London", CancellationToken.None);
        Assert.Equal(0.0, result.Score);
        Assert.Contains("'Paris'", result.Explanation, StringComparison.Ordinal);
        Assert.Contains("'London'", result.Explanation, StringComparison.Ordinal);
    }
}
