using Microsoft.Extensions.AI;
using Switchyard.Evaluation.Tasks;

namespace Switchyard.Tests.Evaluation.Tasks;

public sealed class NumericGraderTests
{
    private static readonly ChatMessage[] Question = [new(ChatRole.User, "q")];

    [Theory]
    [InlineData("42", 42.0)]
    [InlineData("The answer is 42.", 42.0)]
    [InlineData("First 3 apples, then 5, so 8 in total", 8.0)]
    [InlineData("It costs $1,234.50 in all.", 1234.5)]
    [InlineData("The temperature dropped to -7 degrees", -7.0)]
    [InlineData("a loss of −3.5", -3.5)]
    [InlineData("He paid -$20", -20.0)]
    [InlineData("only .5 left", 0.5)]
    [InlineData("Natalia sold 48/2 = 24 clips in May.\n#### 72", 72.0)]
    [InlineData("#### 1,000\nSo we are done with step 3", 1000.0)]
    [InlineData("pages 3-4", 4.0)]
    [InlineData("1,000,000 people", 1000000.0)]
    [InlineData("50%", 50.0)]
    public void ExtractsTheFinalNumber(string text, double expected) =>
        Assert.Equal(expected, NumericGrader.ExtractFinalNumber(text));

    [Theory]
    [InlineData("no digits here")]
    [InlineData("")]
    [InlineData("version x2")]
    public void NoNumber_IsNull(string text) => Assert.Null(NumericGrader.ExtractFinalNumber(text));

    [Theory]
    [InlineData("#### 72", 1.0)]
    [InlineData("So she sold 72 clips.", 1.0)]
    [InlineData("72.0000001", 1.0)]
    [InlineData("72.001", 0.0)]
    [InlineData("71", 0.0)]
    [InlineData("72 clips, and 3 more days", 0.0)]
    public async Task DefaultToleranceIsTight(string answer, double expected) =>
        Assert.Equal(expected, (await new NumericGrader(72).GradeAsync(Question, answer, CancellationToken.None)).Score);

    [Fact]
    public async Task AbsoluteAndRelativeTolerance()
    {
        Assert.Equal(1.0, (await new NumericGrader(3.14159, tolerance: 0.01).GradeAsync(Question, "pi is about 3.14", CancellationToken.None)).Score);
        Assert.Equal(0.0, (await new NumericGrader(3.14159, tolerance: 0.001).GradeAsync(Question, "pi is about 3.14", CancellationToken.None)).Score);
        Assert.Equal(1.0, (await new NumericGrader(1000, relativeTolerance: 0.05).GradeAsync(Question, "about 1,040", CancellationToken.None)).Score);
        Assert.Equal(0.0, (await new NumericGrader(1000, relativeTolerance: 0.05).GradeAsync(Question, "about 1,060", CancellationToken.None)).Score);
    }

    [Fact]
    public async Task NoNumberInTheAnswer_ScoresZeroAndSaysSo()
    {
        var result = await new NumericGrader(5).GradeAsync(Question, "I don't know", CancellationToken.None);
        Assert.Equal(0.0, result.Score);
        Assert.Contains("no number", result.Explanation, StringComparison.Ordinal);
    }
}
