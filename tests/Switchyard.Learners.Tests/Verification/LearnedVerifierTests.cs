using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchyard.Routing.Cascade;
using Switchyard.Routing.Learners.Verification;

namespace Switchyard.Learners.Tests.Verification;

public sealed class LearnedVerifierTests
{
    private const string SecretPrompt = "How many zebrafinch eggs does Quentavia keep?";
    private const string GoodAnswer = "Quentavia keeps 16 - 3 = 13 zebrafinch eggs.\n#### 13";
    private const string BadAnswer = "Maybe Quentavia keeps some zebrafinch eggs, I think, not sure";

    private static readonly Lazy<VerifierModel> Model = new(() =>
        new VerifierTrainer().Fit(VerifierSynthetic.Examples(300, seed: 11), VerifierSynthetic.Weak, VerifierSynthetic.Strong));

    private static readonly List<ChatMessage> Messages = [new(ChatRole.User, SecretPrompt)];

    [Fact]
    public async Task Accepts_at_the_threshold_and_escalates_just_above_it()
    {
        var score = Model.Value.Predict(Messages, GoodAnswer);

        var at = await Verify(new LearnedVerifier(Model.Value, score), GoodAnswer);
        var above = await Verify(new LearnedVerifier(Model.Value, Math.Min(1, score + 1e-6)), GoodAnswer);
        var all = await Verify(new LearnedVerifier(Model.Value, 1.0), GoodAnswer);
        var none = await Verify(new LearnedVerifier(Model.Value, 0.0), BadAnswer);

        Assert.True(at.Accepted);
        Assert.Equal(score, at.Score);
        Assert.Equal(score, at.Threshold);
        Assert.False(above.Accepted);
        Assert.False(all.Accepted);
        Assert.True(none.Accepted);
        Assert.Equal(LearnedVerifier.Method, at.Method);
        Assert.Equal("learned", at.Method);
    }

    [Fact]
    public async Task Good_answers_pass_and_bad_ones_escalate_at_a_middle_threshold()
    {
        var verifier = new LearnedVerifier(Model.Value, 0.5);

        Assert.True((await Verify(verifier, GoodAnswer)).Accepted);
        Assert.False((await Verify(verifier, BadAnswer)).Accepted);
        Assert.True(verifier.Score(Messages, Response(GoodAnswer)) > verifier.Score(Messages, Response(BadAnswer)));
    }

    [Fact]
    public async Task Detail_has_the_score_and_threshold_but_no_text()
    {
        var verdict = await Verify(new LearnedVerifier(Model.Value, 0.5), GoodAnswer);

        Assert.NotNull(verdict.Detail);
        Assert.Contains("P(good)", verdict.Detail, StringComparison.Ordinal);
        Assert.Contains("threshold 0.5000", verdict.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("zebrafinch", verdict.Detail, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Quentavia", verdict.Detail, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Empty_answer_escalates_with_score_zero()
    {
        var verdict = await Verify(new LearnedVerifier(Model.Value, 0.0), "   ");

        Assert.False(verdict.Accepted);
        Assert.Equal(0, verdict.Score);
        Assert.Equal("empty answer", verdict.Detail);
    }

    [Fact]
    public void Calibrated_constructors_use_the_models_calibration()
    {
        var byShare = LearnedVerifier.ForStrongShare(Model.Value, 0.4);
        var byQuality = LearnedVerifier.ForQuality(Model.Value, 0.9);

        Assert.Equal(Model.Value.ThresholdForStrongShare(0.4), byShare.Calibrated);
        Assert.Equal(Model.Value.ThresholdForQuality(0.9).Threshold, byQuality.Threshold);
        Assert.Equal(0.4, byShare.Calibrated.StrongShare, 0.01);
    }

    [Fact]
    public async Task Log_probabilities_are_read_from_additional_properties()
    {
        var plain = Response(GoodAnswer);
        var onResponse = Response(GoodAnswer);
        onResponse.AdditionalProperties = new() { [LearnedVerifier.LogProbsKey] = new[] { -0.1, -0.5, -2.0 } };
        var onMessage = Response(GoodAnswer);
        onMessage.Messages[^1].AdditionalProperties = new() { [LearnedVerifier.LogProbsKey] = JsonDocument.Parse("[-0.1, -0.5, -2.0]").RootElement.Clone() };
        var floats = Response(GoodAnswer);
        floats.AdditionalProperties = new() { [LearnedVerifier.LogProbsKey] = new List<float> { -0.1f, -0.5f } };
        var junk = Response(GoodAnswer);
        junk.AdditionalProperties = new() { [LearnedVerifier.LogProbsKey] = "not numbers" };

        Assert.Null(LearnedVerifier.LogProbsOf(plain));
        Assert.Equal([-0.1, -0.5, -2.0], LearnedVerifier.LogProbsOf(onResponse));
        Assert.Equal([-0.1, -0.5, -2.0], LearnedVerifier.LogProbsOf(onMessage));
        Assert.Equal(2, LearnedVerifier.LogProbsOf(floats)!.Count);
        Assert.Null(LearnedVerifier.LogProbsOf(junk));

        var verifier = new LearnedVerifier(Model.Value, 0.5);
        var with = await verifier.VerifyAsync(Messages, onResponse, null, CancellationToken.None);
        Assert.EndsWith("with logprobs", with.Detail, StringComparison.Ordinal);

        // Trained without log-probabilities, the model gives them no weight.
        Assert.Equal(verifier.Score(Messages, plain), with.Score, 12);
    }

    [Fact]
    public async Task Embedder_must_match_the_model()
    {
        Assert.Throws<ArgumentException>(() => new LearnedVerifier(Model.Value, 0.5, new HashEmbedder()));
        Assert.Throws<ArgumentOutOfRangeException>(() => new LearnedVerifier(Model.Value, 1.5));

        var embedded = new VerifierTrainer().Fit(VerifierSynthetic.Examples(80, seed: 12), VerifierSynthetic.Weak, VerifierSynthetic.Strong, new HashEmbedder());
        Assert.Throws<ArgumentException>(() => new LearnedVerifier(embedded, 0.5));
        Assert.Throws<ArgumentException>(() => new LearnedVerifier(embedded, 0.5, new HashEmbedder(16)));
        var verdict = await Verify(new LearnedVerifier(embedded, 0.5, new HashEmbedder()), GoodAnswer);
        Assert.InRange(verdict.Score, 0, 1);
    }

    [Fact]
    public async Task A_failing_embedder_escalates_instead_of_throwing()
    {
        var embedded = new VerifierTrainer().Fit(VerifierSynthetic.Examples(80, seed: 13), VerifierSynthetic.Weak, VerifierSynthetic.Strong, new HashEmbedder());
        var verdict = await Verify(new LearnedVerifier(embedded, 0.0, new FailingEmbedder()), GoodAnswer);

        Assert.False(verdict.Accepted);
        Assert.Equal("verifier failed: InvalidOperationException", verdict.Detail);
    }

    [Fact]
    public async Task Cancellation_is_thrown()
    {
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();

        await Assert.ThrowsAsync<OperationCanceledException>(async () => await new LearnedVerifier(Model.Value, 0.5).VerifyAsync(Messages, Response(GoodAnswer), null, cancelled.Token));
    }

    [Fact]
    public async Task Concurrent_calls_agree()
    {
        var verifier = new LearnedVerifier(Model.Value, 0.5);
        var expected = verifier.Score(Messages, Response(GoodAnswer));
        var scores = new double[64];

        await Parallel.ForAsync(0, scores.Length, async (i, token) => scores[i] = (await verifier.VerifyAsync(Messages, Response(GoodAnswer), null, token)).Score);

        Assert.All(scores, s => Assert.Equal(expected, s));
    }

    private static ChatResponse Response(string text) => new(new ChatMessage(ChatRole.Assistant, text));

    private static async Task<CascadeVerdict> Verify(LearnedVerifier verifier, string answer) =>
        await verifier.VerifyAsync(Messages, Response(answer), null, CancellationToken.None);

    private sealed class FailingEmbedder : Switchyard.Embeddings.ITextEmbedder
    {
        public int Dimensions => 8;

        public float[] Embed(string text) => throw new InvalidOperationException("model not loaded");

        public IReadOnlyList<float[]> Embed(IReadOnlyList<string> texts) => throw new InvalidOperationException("model not loaded");
    }
}
