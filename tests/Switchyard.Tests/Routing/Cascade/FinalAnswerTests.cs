using Switchyard.Routing.Cascade;

namespace Switchyard.Tests.Routing.Cascade;

public sealed class FinalAnswerTests
{
    [Theory]
    [InlineData("42", "42")]
    [InlineData("6 * 7 = 42", "42")]
    [InlineData("We add 40 and 2.\nThe answer is 42.", "42")]
    [InlineData("Step 1: 3 + 4 = 7\nStep 2: 7 * 6 = 42\n#### 42", "42")]
    [InlineData("Final answer:\n42", "42")]
    [InlineData("**Answer:** 42 apples\nHope this helps!", "42")]
    [InlineData("So the result is $\\boxed{\\frac{84}{2}}$ hmm, i.e. \\boxed{42}.", "42")]
    [InlineData("It costs $1,200.00", "1200")]
    [InlineData("42.50", "42.5")]
    [InlineData("-3 degrees", "-3")]
    [InlineData("x-3", "3")]
    [InlineData("3/4", "0.75")]
    [InlineData("0.75", "0.75")]
    [InlineData("1, 2, 3", "3")]
    [InlineData("**Paris**.", "paris")]
    [InlineData("The Eiffel Tower", "eiffel tower")]
    [InlineData("Intro line\n\n  Yes!  \n```\n", "yes")]
    [InlineData("", "")]
    [InlineData("  \n ** \n", "")]
    public void Extract_ReducesToTheFinalAnswer(string text, string expected) => Assert.Equal(expected, FinalAnswer.Extract(text));

    [Fact]
    public void Extract_AnEarlyAnswerMarkerIsReasoning_TheLastLineWins()
    {
        const string Text = "The answer is not obvious.\nFirst, 6 * 7.\nThat gives 40 + 2.\nSo we get\n42";

        Assert.Equal("42", FinalAnswer.Extract(Text));
    }

    [Fact]
    public void Extract_DistinguishesFractionsWithTheSameDenominator() =>
        Assert.NotEqual(FinalAnswer.Extract("1/4"), FinalAnswer.Extract("3/4"));

    [Fact]
    public void Extract_TextIsComparedStrictly() =>
        Assert.NotEqual(FinalAnswer.Extract("Paris"), FinalAnswer.Extract("The capital is Paris"));
}
