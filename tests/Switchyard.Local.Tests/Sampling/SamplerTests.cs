using Switchyard.Local.Sampling;

namespace Switchyard.Local.Tests.Sampling;

public sealed class SamplerTests
{
    private static float[] Logits() => [1f, 5f, 3f, 4.9f, -2f, 0f];

    [Fact]
    public void Greedy_picks_the_largest_logit()
    {
        var sampler = new Sampler(SamplingOptions.Greedy);
        Assert.Equal(1, sampler.Sample(Logits(), []));
    }

    [Fact]
    public void Same_seed_same_sequence_different_seed_different_sequence()
    {
        int[] Draw(int seed)
        {
            var sampler = new Sampler(new SamplingOptions { Temperature = 1.5f, TopK = 0, TopP = 1, MinP = 0, Seed = seed });
            return Enumerable.Range(0, 64).Select(_ => sampler.Sample(Logits(), [])).ToArray();
        }

        Assert.Equal(Draw(7), Draw(7));
        Assert.NotEqual(Draw(7), Draw(8));
    }

    [Fact]
    public void Top_k_keeps_only_the_k_most_likely()
    {
        var sampler = new Sampler(new SamplingOptions { Temperature = 5f, TopK = 2, TopP = 1, MinP = 0, Seed = 1 });
        var seen = Enumerable.Range(0, 500).Select(_ => sampler.Sample(Logits(), [])).ToHashSet();
        Assert.Equal([1, 3], seen.Order());
    }

    [Fact]
    public void Top_p_keeps_the_smallest_set_reaching_p()
    {
        // Probabilities at T=1: token 1 ≈ 0.46, token 3 ≈ 0.42, token 2 ≈ 0.06 ... so p = 0.5 keeps tokens 1 and 3.
        var sampler = new Sampler(new SamplingOptions { Temperature = 1f, TopK = 0, TopP = 0.5f, MinP = 0, Seed = 3 });
        var seen = Enumerable.Range(0, 500).Select(_ => sampler.Sample(Logits(), [])).ToHashSet();
        Assert.Equal([1, 3], seen.Order());
    }

    [Fact]
    public void Min_p_drops_tokens_far_below_the_best()
    {
        // Token 2 has e^(3-5) ≈ 0.135 of the best's probability: kept at min_p 0.1, dropped at 0.2.
        var keep = new Sampler(new SamplingOptions { Temperature = 3f, TopK = 0, TopP = 1, MinP = 0.1f, Seed = 5 });
        Assert.Contains(2, Enumerable.Range(0, 800).Select(_ => keep.Sample(Logits(), [])).ToHashSet());
        var drop = new Sampler(new SamplingOptions { Temperature = 3f, TopK = 0, TopP = 1, MinP = 0.2f, Seed = 5 });
        Assert.Equal([1, 3], Enumerable.Range(0, 800).Select(_ => drop.Sample(Logits(), [])).ToHashSet().Order());
    }

    [Fact]
    public void Repetition_penalty_can_change_the_greedy_choice()
    {
        var sampler = new Sampler(SamplingOptions.Greedy with { RepetitionPenalty = 1.1f });
        // 5 / 1.1 ≈ 4.55 < 4.9: the recently used token 1 loses to token 3.
        Assert.Equal(3, sampler.Sample(Logits(), [1]));
        // Outside the window the penalty does not apply.
        var narrow = new Sampler(SamplingOptions.Greedy with { RepetitionPenalty = 1.1f, RepetitionWindow = 1 });
        Assert.Equal(1, narrow.Sample(Logits(), [1, 4]));
    }

    [Fact]
    public void Frequency_and_presence_penalties_subtract_per_occurrence_and_once()
    {
        // Token 1 (5.0) seen twice: 5 - 2 * 0.1 = 4.8 < 4.9, so token 3 wins; seen once with 0.05: 4.95 > 4.9, token 1 stays.
        Assert.Equal(3, new Sampler(SamplingOptions.Greedy with { FrequencyPenalty = 0.1f }).Sample(Logits(), [1, 1]));
        Assert.Equal(1, new Sampler(SamplingOptions.Greedy with { FrequencyPenalty = 0.05f }).Sample(Logits(), [1]));
        // Presence counts once however often the token occurred: 5 - 0.2 = 4.8 whether seen once or three times.
        Assert.Equal(3, new Sampler(SamplingOptions.Greedy with { PresencePenalty = 0.2f }).Sample(Logits(), [1, 1, 1]));
        Assert.Equal(1, new Sampler(SamplingOptions.Greedy with { PresencePenalty = 0.05f }).Sample(Logits(), [1, 1, 1]));
        // A negative penalty encourages repetition: token 3 rises to 4.9 + 0.2 = 5.1 > 5.
        Assert.Equal(3, new Sampler(SamplingOptions.Greedy with { PresencePenalty = -0.2f }).Sample(Logits(), [3]));
    }

    [Fact]
    public void Penalties_out_of_range_are_named()
    {
        Assert.Equal("FrequencyPenalty", Assert.Throws<ArgumentOutOfRangeException>(() => new Sampler(new SamplingOptions { FrequencyPenalty = 2.5f })).ParamName);
        Assert.Equal("PresencePenalty", Assert.Throws<ArgumentOutOfRangeException>(() => new Sampler(new SamplingOptions { PresencePenalty = -3f })).ParamName);
    }

    [Theory]
    [InlineData(-1f, 40, 0.9f, 0.05f, 1f, "Temperature")]
    [InlineData(1f, -1, 0.9f, 0.05f, 1f, "TopK")]
    [InlineData(1f, 40, 0f, 0.05f, 1f, "TopP")]
    [InlineData(1f, 40, 0.9f, 1.5f, 1f, "MinP")]
    [InlineData(1f, 40, 0.9f, 0.05f, 0f, "RepetitionPenalty")]
    public void Out_of_range_options_are_named(float t, int k, float p, float minP, float penalty, string name)
    {
        var options = new SamplingOptions { Temperature = t, TopK = k, TopP = p, MinP = minP, RepetitionPenalty = penalty };
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new Sampler(options));
        Assert.Equal(name, error.ParamName);
    }
}
