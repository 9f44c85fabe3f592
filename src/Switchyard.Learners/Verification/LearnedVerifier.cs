using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchyard.Embeddings;
using Switchyard.Routing.Cascade;
using Switchyard.Routing.Difficulty;

namespace Switchyard.Routing.Learners.Verification;

/// <summary>
/// A cascade verifier that checks the cheap model's answer with a learned model (<see cref="VerifierModel"/>) instead
/// of another model call: it computes <see cref="AnswerFeatures"/> of the answer (and the prompt's embedding when the
/// model was trained with one), predicts P(the answer is good enough) and accepts when that reaches the calibrated
/// threshold; otherwise the cascade escalates.
/// </summary>
/// <remarks>
/// <para>
/// Token log-probabilities: Microsoft.Extensions.AI (10.x) has no standard place for them, and Switchyard's providers
/// do not request them, so by default the verifier reads the answer text only. A client that has them can pass them
/// as a list of numbers (<c>double[]</c>, <c>float[]</c>, <c>IEnumerable&lt;double&gt;</c>, <c>IEnumerable&lt;float&gt;</c>
/// or a JSON array) under <see cref="LogProbsKey"/> in <see cref="ChatResponse.AdditionalProperties"/> or in the last
/// message's <see cref="ChatMessage.AdditionalProperties"/>. A model trained without log-probabilities gives those
/// features no weight, so passing them changes nothing.
/// </para>
/// <para>
/// No I/O and no model call (the embedder, when there is one, runs in process); thread-safe when the embedder is. An
/// empty answer, or an embedder that fails, gives a verdict that is not accepted, score 0, with the reason in
/// <see cref="CascadeVerdict.Detail"/>. The detail holds the score and threshold, never prompt or answer text.
/// </para>
/// </remarks>
public sealed class LearnedVerifier : ICascadeVerifier
{
    /// <summary>The <see cref="CascadeVerdict.Method"/> of this verifier's verdicts.</summary>
    public const string Method = "learned";

    /// <summary>The <c>AdditionalProperties</c> key under which a response may carry its token log-probabilities.</summary>
    public const string LogProbsKey = "switchyard.token_logprobs";

    private readonly ITextEmbedder? _embedder;

    /// <summary>Creates a verifier with a calibrated threshold (e.g. from <see cref="VerifierModel.ThresholdForStrongShare"/>).</summary>
    /// <param name="model">The fitted model.</param>
    /// <param name="threshold">Escalate when P(good) is below <see cref="CalibratedThreshold.Threshold"/> (a threshold of 1 escalates everything).</param>
    /// <param name="embedder">Embeds prompts: required, and of the model's embedding size, exactly when the model reads an embedding.</param>
    /// <exception cref="ArgumentException">The embedder does not match the model, or the threshold is outside [0, 1].</exception>
    public LearnedVerifier(VerifierModel model, CalibratedThreshold threshold, ITextEmbedder? embedder = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(threshold);
        if (!(threshold.Threshold is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold.Threshold, "The threshold must be between 0 and 1.");
        }

        if ((embedder?.Dimensions ?? 0) != model.EmbeddingDimensions)
        {
            throw new ArgumentException(
                model.EmbeddingDimensions == 0
                    ? "The model reads no prompt embedding; give no embedder."
                    : $"The model reads a {model.EmbeddingDimensions}-dimensional prompt embedding; give an embedder of that size.",
                nameof(embedder));
        }

        Model = model;
        Calibrated = threshold;
        _embedder = embedder;
    }

    /// <summary>Creates a verifier with a fixed threshold on P(good).</summary>
    /// <param name="model">The fitted model.</param>
    /// <param name="threshold">Escalate when P(good) is below this, from 0 to 1 (1 escalates everything).</param>
    /// <param name="embedder">Embeds prompts: required exactly when the model reads an embedding.</param>
    public LearnedVerifier(VerifierModel model, double threshold, ITextEmbedder? embedder = null)
        : this(model, new CalibratedThreshold(threshold, double.NaN, double.NaN, "fixed"), embedder)
    {
    }

    /// <summary>The model.</summary>
    public VerifierModel Model { get; }

    /// <summary>The threshold and what it achieved on the calibration set (NaN figures for a fixed threshold).</summary>
    public CalibratedThreshold Calibrated { get; }

    /// <summary>Escalate when P(good) is below this.</summary>
    public double Threshold => Calibrated.Threshold;

    /// <summary>A verifier whose threshold escalates <paramref name="share"/> of the model's calibration prompts.</summary>
    /// <param name="model">The fitted (or loaded) model.</param>
    /// <param name="share">The target share of strong calls, from 0 to 1.</param>
    /// <param name="embedder">Embeds prompts, when the model reads an embedding.</param>
    /// <returns>The verifier.</returns>
    public static LearnedVerifier ForStrongShare(VerifierModel model, double share, ITextEmbedder? embedder = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new LearnedVerifier(model, model.ThresholdForStrongShare(share), embedder);
    }

    /// <summary>A verifier whose threshold is the cheapest that recovers <paramref name="pgr"/> of the quality gap on the calibration prompts.</summary>
    /// <param name="model">The fitted (or loaded) model.</param>
    /// <param name="pgr">The quality target (PGR), from 0 to 1.</param>
    /// <param name="embedder">Embeds prompts, when the model reads an embedding.</param>
    /// <returns>The verifier.</returns>
    public static LearnedVerifier ForQuality(VerifierModel model, double pgr, ITextEmbedder? embedder = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        return new LearnedVerifier(model, model.ThresholdForQuality(pgr), embedder);
    }

    /// <summary>P(good enough) of <paramref name="answer"/> to <paramref name="messages"/>.</summary>
    /// <param name="messages">The request's messages.</param>
    /// <param name="answer">The cheap model's response.</param>
    /// <returns>A probability in [0, 1].</returns>
    public double Score(IReadOnlyList<ChatMessage> messages, ChatResponse answer)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(answer);
        return Model.Predict(messages, answer.Text, LogProbsOf(answer), _embedder);
    }

    /// <inheritdoc />
    public ValueTask<CascadeVerdict> VerifyAsync(IReadOnlyList<ChatMessage> messages, ChatResponse answer, ChatOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(answer);
        cancellationToken.ThrowIfCancellationRequested();
        if (string.IsNullOrWhiteSpace(answer.Text))
        {
            return ValueTask.FromResult(new CascadeVerdict(false, 0, Threshold, Method, "empty answer"));
        }

        var logProbs = LogProbsOf(answer);
        double score;
        try
        {
            score = Model.Predict(messages, answer.Text, logProbs, _embedder);
        }
#pragma warning disable CA1031 // An embedder failure means "cannot tell": escalate instead of failing the request.
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            return ValueTask.FromResult(new CascadeVerdict(false, 0, Threshold, Method, "verifier failed: " + ex.GetType().Name));
        }

        var accepted = !Calibrated.Escalates(score);
        var detail = string.Create(
            CultureInfo.InvariantCulture,
            $"P(good) {score:0.0000} {(accepted ? ">=" : "<")} threshold {Threshold:0.0000}{(logProbs is null ? string.Empty : ", with logprobs")}");
        return ValueTask.FromResult(new CascadeVerdict(accepted, score, Threshold, Method, detail));
    }

    /// <summary>
    /// The token log-probabilities a response carries under <see cref="LogProbsKey"/> (in the response's additional
    /// properties, else the last message's), or null when it carries none or they are not a list of numbers.
    /// </summary>
    /// <param name="response">A response.</param>
    /// <returns>The log-probabilities, or null.</returns>
    public static IReadOnlyList<double>? LogProbsOf(ChatResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.AdditionalProperties?.TryGetValue(LogProbsKey, out var value) == true && Read(value) is { } fromResponse)
        {
            return fromResponse;
        }

        return response.Messages.Count > 0 && response.Messages[^1].AdditionalProperties?.TryGetValue(LogProbsKey, out var inMessage) == true
            ? Read(inMessage)
            : null;
    }

    private static IReadOnlyList<double>? Read(object? value)
    {
        IReadOnlyList<double>? values = value switch
        {
            double[] d => d,
            IEnumerable<double> d => [.. d],
            IEnumerable<float> f => [.. f.Select(v => (double)v)],
            JsonElement { ValueKind: JsonValueKind.Array } e when e.EnumerateArray().All(v => v.ValueKind == JsonValueKind.Number) =>
                [.. e.EnumerateArray().Select(v => v.GetDouble())],
            _ => null,
        };
        return values is { Count: > 0 } ? values : null;
    }
}
