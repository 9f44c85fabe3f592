using Microsoft.Extensions.AI;
using Switchyard.Routing.Learners.Verification;

namespace Switchyard.Learners.Tests.Verification;

public sealed class AnswerFeaturesTests
{
    private static readonly List<ChatMessage> Prompt = [new(ChatRole.User, "Janet has 16 eggs and eats 3. How many are left?")];

    [Fact]
    public void Names_cover_every_feature_once()
    {
        Assert.Equal(AnswerFeatures.Count, AnswerFeatures.Names.Count);
        Assert.Equal(AnswerFeatures.Count, AnswerFeatures.Names.Distinct().Count());
        Assert.Equal("final_hash", AnswerFeatures.Names[AnswerFeatures.FinalHash]);
        Assert.Equal("logprob_p10", AnswerFeatures.Names[AnswerFeatures.LogProbP10]);
    }

    [Fact]
    public void Gsm8k_style_final_answer_is_detected()
    {
        var f = AnswerFeatures.Compute(Prompt, "She has 16 - 3 = <<16-3=13>>13 eggs left.\n#### 13");

        Assert.Equal(1, f[AnswerFeatures.FinalHash]);
        Assert.Equal(1, f[AnswerFeatures.TrailingNumber]);
        Assert.Equal(0, f[AnswerFeatures.FinalPhrase]);
        Assert.Equal(0, f[AnswerFeatures.FinalBoxed]);
        Assert.Equal(0, f[AnswerFeatures.LogHedges]);
        Assert.Equal(MathF.Log(3), f[AnswerFeatures.AnswerLogLines], 5);

        // 16, 3, 16, 3, 13, 13, 13: seven numbers.
        Assert.Equal(MathF.Log(8), f[AnswerFeatures.LogNumbers], 5);
    }

    [Theory]
    [InlineData("So the answer is 13.", AnswerFeatures.FinalPhrase)]
    [InlineData("Final answer: thirteen", AnswerFeatures.FinalPhrase)]
    [InlineData("Thus $\\boxed{13}$", AnswerFeatures.FinalBoxed)]
    [InlineData("   #### 13", AnswerFeatures.FinalHash)]
    public void Other_final_answer_markers_are_detected(string answer, int index)
    {
        Assert.Equal(1, AnswerFeatures.Compute(Prompt, answer)[index]);
    }

    [Theory]
    [InlineData("There are 13 eggs.", true)]
    [InlineData("There are 13 eggs left.", false)]
    [InlineData("**13**", true)]
    [InlineData("She makes $1,200.00", true)]
    [InlineData("It takes 3 bolts", true)]
    [InlineData("13 eggs are left, I believe it is correct", false)]
    [InlineData("Price: 5#", false)]
    public void Trailing_number_allows_units_and_markdown(string answer, bool expected)
    {
        Assert.Equal(expected ? 1 : 0, AnswerFeatures.Compute(Prompt, answer)[AnswerFeatures.TrailingNumber]);
    }

    [Fact]
    public void Hedges_are_counted_at_word_boundaries_ignoring_case()
    {
        const string Answer = "I think it is maybe 13, but I am NOT SURE. Perhaps approximately 12. Mighty oaks unclear.";

        // i think, maybe, not sure, perhaps, approximately, unclear (not "mighty").
        Assert.Equal(6, AnswerFeatures.CountHedges(Answer));
        Assert.Equal(MathF.Log(7), AnswerFeatures.Compute(Prompt, Answer)[AnswerFeatures.LogHedges], 5);
        Assert.Equal(2, AnswerFeatures.CountHedges("However, I cannot tell."));
        Assert.Equal(0, AnswerFeatures.CountHedges("The answer is 13."));
    }

    [Theory]
    [InlineData("2 * 9 = 18 dollars.\n#### 18", 0, 0)]
    [InlineData("2 + 1/2 = 2.5 bolts, so round up.\n#### 3", 0, 1)]
    [InlineData("Half of 5 is 5 / 2 = 2.5\n#### 2.5", 1, 0)]
    [InlineData("She pays 1,200 + 300 = $1,500.\nThe answer is 1500.", 0, 0)]
    [InlineData("She pays 1,200 + 300 = $1,500.\nThe answer is 1400.", 0, 1)]
    [InlineData("x = -4, so the result is\n\\boxed{-4}", 0, 0)]
    [InlineData("No computation here, just 7.", 0, 0)]
    [InlineData("No number at all.", 0, 0)]
    public void Final_number_is_checked_against_the_last_computed_result(string answer, float fractional, float mismatch)
    {
        var f = AnswerFeatures.Compute(Prompt, answer);

        Assert.Equal(fractional, f[AnswerFeatures.FinalFractional]);
        Assert.Equal(mismatch, f[AnswerFeatures.FinalMismatch]);
    }

    [Fact]
    public void Repetition_ratio_falls_for_degenerate_loops()
    {
        var normal = AnswerFeatures.Compute(Prompt, "She eats three eggs and bakes with four, so nine are sold for eighteen dollars.");
        var loop = AnswerFeatures.Compute(Prompt, string.Concat(Enumerable.Repeat("and then she eats the eggs ", 40)));
        var short2 = AnswerFeatures.Compute(Prompt, "Thirteen eggs");

        Assert.Equal(1, normal[AnswerFeatures.TrigramDistinct]);
        Assert.InRange(loop[AnswerFeatures.TrigramDistinct], 0, 0.05f);
        Assert.Equal(1, short2[AnswerFeatures.TrigramDistinct]);
    }

    [Fact]
    public void Structure_and_lengths_are_measured()
    {
        const string Answer = "Steps:\n1. Count the eggs\n2. Subtract three\n- done\n```python\nprint(13)\n```";
        var f = AnswerFeatures.Compute(Prompt, Answer);

        Assert.Equal(1, f[AnswerFeatures.CodeFence]);
        Assert.Equal(3f / 7, f[AnswerFeatures.ListShare], 5);
        Assert.Equal(MathF.Log(1 + Answer.Length), f[AnswerFeatures.AnswerLogChars], 5);
        Assert.Equal(MathF.Log(1 + Prompt[0].Text.Length), f[AnswerFeatures.PromptLogChars], 5);
        Assert.Equal((float)Math.Log((1.0 + Answer.Length) / (1.0 + Prompt[0].Text.Length)), f[AnswerFeatures.LogLengthRatio], 5);

        // Steps, 1, Count, the, eggs, 2, Subtract, three, done, python, print, 13: 12 words.
        Assert.Equal(MathF.Log(13), f[AnswerFeatures.AnswerLogWords], 5);
    }

    [Fact]
    public void Empty_answer_has_zero_lengths_and_no_markers()
    {
        var f = AnswerFeatures.Compute(Prompt, string.Empty);

        Assert.Equal(0, f[AnswerFeatures.AnswerLogChars]);
        Assert.Equal(0, f[AnswerFeatures.AnswerLogWords]);
        Assert.Equal(0, f[AnswerFeatures.AnswerLogLines]);
        Assert.Equal(0, f[AnswerFeatures.FinalHash] + f[AnswerFeatures.TrailingNumber] + f[AnswerFeatures.LogNumbers]);
        Assert.Equal(1, f[AnswerFeatures.TrigramDistinct]);
    }

    [Fact]
    public void Logprob_features_are_present_only_when_given()
    {
        var without = AnswerFeatures.Compute(Prompt, "#### 13");
        var empty = AnswerFeatures.Compute(Prompt, "#### 13", []);
        double[] logProbs = [-0.1, -0.2, -3.0, -0.05, double.NaN, -0.5, -0.3, -0.15, -0.25, -0.4, -1.0, 0.2];
        var with = AnswerFeatures.Compute(Prompt, "#### 13", logProbs);

        foreach (var f in new[] { without, empty })
        {
            Assert.Equal(0, f[AnswerFeatures.HasLogProbs]);
            Assert.Equal(0, f[AnswerFeatures.LogProbMean]);
            Assert.Equal(0, f[AnswerFeatures.LogProbMin]);
            Assert.Equal(0, f[AnswerFeatures.LogProbP10]);
        }

        // NaN is dropped and +0.2 counts as 0: 11 values.
        double[] kept = [-0.1, -0.2, -3.0, -0.05, -0.5, -0.3, -0.15, -0.25, -0.4, -1.0, 0];
        Assert.Equal(1, with[AnswerFeatures.HasLogProbs]);
        Assert.Equal((float)kept.Average(), with[AnswerFeatures.LogProbMean], 5);
        Assert.Equal(-3f, with[AnswerFeatures.LogProbMin]);

        // Sorted: -3, -1, -0.5, …; position 0.1 · 10 = 1 → -1.
        Assert.Equal(-1f, with[AnswerFeatures.LogProbP10], 5);

        // The answer-text features do not change.
        Assert.Equal(without.AsSpan(0, AnswerFeatures.HasLogProbs).ToArray(), with.AsSpan(0, AnswerFeatures.HasLogProbs).ToArray());
    }

    [Fact]
    public void Span_overload_overwrites_the_destination_and_refuses_a_short_one()
    {
        var destination = Enumerable.Repeat(9f, AnswerFeatures.Count + 2).ToArray();
        AnswerFeatures.Compute(Prompt[0].Text, "#### 13", null, destination);

        Assert.Equal(AnswerFeatures.Compute(Prompt, "#### 13"), destination.AsSpan(0, AnswerFeatures.Count).ToArray());
        Assert.Equal(9f, destination[^1]);
        Assert.Throws<ArgumentException>(() => AnswerFeatures.Compute("p", "a", null, new float[AnswerFeatures.Count - 1]));
    }

    [Fact]
    public void Very_long_answers_are_handled()
    {
        var words = string.Join(' ', Enumerable.Range(0, 10_000).Select(i => "w" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var f = AnswerFeatures.Compute(Prompt, words);

        Assert.Equal(MathF.Log(10_001), f[AnswerFeatures.AnswerLogWords], 4);
        Assert.Equal(1, f[AnswerFeatures.TrigramDistinct]);
    }
}
