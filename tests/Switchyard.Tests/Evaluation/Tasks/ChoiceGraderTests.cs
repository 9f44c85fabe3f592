using Microsoft.Extensions.AI;
using Switchyard.Evaluation.Tasks;

namespace Switchyard.Tests.Evaluation.Tasks;

public sealed class ChoiceGraderTests
{
    private static readonly ChatMessage[] Question = [new(ChatRole.User, "q")];

    [Theory]
    [InlineData("C", 'C')]
    [InlineData("c", 'C')]
    [InlineData("(C)", 'C')]
    [InlineData(" C. ", 'C')]
    [InlineData("Answer: C", 'C')]
    [InlineData("The answer is (B) because of X.", 'B')]
    [InlineData("the answer is D", 'D')]
    [InlineData("Let me think. A is wrong, B is wrong.\nAnswer: C", 'C')]
    [InlineData("I think the correct option is E.", 'E')]
    [InlineData("Looking at it again, (A) fits best.", 'A')]
    [InlineData("J) none of the above", 'J')]
    [InlineData("**B**\n\nBecause the reaction is exothermic.", 'B')]
    [InlineData("I believe it is... Answer: (A)", 'A')]
    public void FindsTheChosenLetter(string answer, char expected) => Assert.Equal(expected, ChoiceGrader.ExtractChoice(answer));

    [Theory]
    [InlineData("I am not sure.")]
    [InlineData("The answer is a bit tricky")]
    [InlineData("None")]
    [InlineData("K")]
    [InlineData("")]
    public void NoLetter_IsNull(string answer) => Assert.Null(ChoiceGrader.ExtractChoice(answer));

    [Fact]
    public async Task ScoresAgainstTheReference()
    {
        var grader = new ChoiceGrader("c");
        Assert.Equal(1.0, (await grader.GradeAsync(Question, "Answer: C", CancellationToken.None)).Score);
        var wrong = await grader.GradeAsync(Question, "Answer: B", CancellationToken.None);
        Assert.Equal(0.0, wrong.Score);
        Assert.Contains("chose B, expected C", wrong.Explanation, StringComparison.Ordinal);
        Assert.Equal(0.0, (await grader.GradeAsync(Question, "no idea", CancellationToken.None)).Score);
    }

    [Theory]
    [InlineData("K")]
    [InlineData("AB")]
    [InlineData("1")]
    [InlineData("")]
    public void ReferenceMustBeALetterAToJ(string reference) => Assert.ThrowsAny<ArgumentException>(() => new ChoiceGrader(reference));
}
