using System.Globalization;
using Microsoft.Extensions.AI;

namespace Switchyard.Routing.Cascade;

/// <summary>
/// Verifies an answer by sampling further answers to the same request from the same (cheap) model and checking
/// that they reach the same final answer (see <see cref="FinalAnswer"/>). The score is the share of samples whose
/// final answer equals the original's; the answer is accepted when the score reaches the threshold.
/// </summary>
/// <remarks>
/// <para>
/// Suited to requests with a short, checkable result (arithmetic, classification, extraction, multiple choice).
/// For open-ended text the final answers rarely match word for word, so nearly every answer escalates: use
/// <see cref="JudgeVerifier"/> there.
/// </para>
/// <para>
/// All samples run concurrently. Each is the caller's request with a clone of its options where
/// <see cref="ChatOptions.Temperature"/> is the sampling temperature, <see cref="ChatOptions.Seed"/> is distinct per
/// sample (the caller's seed, or 0, plus the sample's number from 1), tools stay declared but
/// <see cref="ChatOptions.ToolMode"/> is <see cref="ChatToolMode.None"/>, and the conversation id, continuation token
/// and the request's <see cref="RequestTrace"/> are removed (samples must not add turns to a stored conversation,
/// resume a background response or be seen as routing attempts). The caller's options are not modified.
/// </para>
/// <para>
/// Failing towards escalation: an original answer with no final answer (empty) is rejected without sampling; a
/// sample that fails or has no final answer counts as disagreeing, and <see cref="CascadeVerdict.Detail"/> says
/// how many failed. Only the caller's cancellation is thrown.
/// </para>
/// <para>Thread-safe; the client is not owned (not disposed).</para>
/// </remarks>
public sealed class SelfConsistencyVerifier : ICascadeVerifier
{
    /// <summary>The default sampling temperature.</summary>
    public const float DefaultTemperature = 0.7f;

    private readonly IChatClient _cheap;
    private readonly int _samples;
    private readonly double _threshold;
    private readonly float _temperature;

    /// <summary>Creates a self-consistency verifier.</summary>
    /// <param name="cheap">The client of the model that answered (bound to its model).</param>
    /// <param name="samples">How many further answers to sample, from 1 to 32.</param>
    /// <param name="threshold">The share of agreeing samples, from 0 to 1, at or above which the answer is accepted.</param>
    /// <param name="temperature">The sampling temperature, above 0 (samples at 0 would only repeat the answer).</param>
    public SelfConsistencyVerifier(IChatClient cheap, int samples, double threshold, float temperature = DefaultTemperature)
    {
        ArgumentNullException.ThrowIfNull(cheap);
        ArgumentOutOfRangeException.ThrowIfLessThan(samples, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(samples, 32);
        if (!(threshold is >= 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "The threshold must be between 0 and 1.");
        }

        if (!(temperature > 0 && float.IsFinite(temperature)))
        {
            throw new ArgumentOutOfRangeException(nameof(temperature), temperature, "The temperature must be above 0.");
        }

        _cheap = cheap;
        _samples = samples;
        _threshold = threshold;
        _temperature = temperature;
    }

    /// <summary>The share of agreeing samples at or above which answers are accepted.</summary>
    public double Threshold => _threshold;

    /// <summary>How many further answers each check samples.</summary>
    public int Samples => _samples;

    /// <inheritdoc />
    public async ValueTask<CascadeVerdict> VerifyAsync(IReadOnlyList<ChatMessage> messages, ChatResponse answer, ChatOptions? options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(answer);
        var original = FinalAnswer.Extract(answer.Text);
        if (original.Length == 0)
        {
            return new CascadeVerdict(false, 0, _threshold, CascadeVerdict.SelfConsistencyMethod, "empty answer");
        }

        var samples = new Task<Sample>[_samples];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = SampleAsync(messages, SampleOptions(options, i + 1), cancellationToken);
        }

        var results = await Task.WhenAll(samples).ConfigureAwait(false);
        var agreeing = results.Count(r => r.FinalAnswer == original);
        var failed = results.Count(r => r.Failed);
        UsageDetails? usage = null;
        foreach (var result in results)
        {
            if (result.Usage is { } u)
            {
                (usage ??= new UsageDetails()).Add(u);
            }
        }

        var score = (double)agreeing / _samples;
        var detail = string.Create(CultureInfo.InvariantCulture, $"{agreeing} of {_samples} samples agree");
        if (failed > 0)
        {
            detail += string.Create(CultureInfo.InvariantCulture, $", {failed} failed");
        }

        return new CascadeVerdict(CascadeVerdict.Reaches(score, _threshold), score, _threshold, CascadeVerdict.SelfConsistencyMethod, detail) { Usage = usage };
    }

    private async Task<Sample> SampleAsync(IReadOnlyList<ChatMessage> messages, ChatOptions options, CancellationToken cancellationToken)
    {
        try
        {
            var response = await _cheap.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
            return new Sample(FinalAnswer.Extract(response.Text), response.Usage, Failed: false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // A failed sample is a disagreeing sample: escalate instead of failing the request.
        catch (Exception)
#pragma warning restore CA1031
        {
            return new Sample(null, null, Failed: true);
        }
    }

    private ChatOptions SampleOptions(ChatOptions? options, int number)
    {
        var sample = options?.Clone() ?? new ChatOptions();
        sample.Temperature = _temperature;
        sample.Seed = unchecked((options?.Seed ?? 0) + number);
        if (sample.Tools is { Count: > 0 })
        {
            sample.ToolMode = ChatToolMode.None;
        }

        sample.ConversationId = null;
        sample.ContinuationToken = null;
        sample.AdditionalProperties?.Remove(RequestTrace.Key);
        return sample;
    }

    private sealed record Sample(string? FinalAnswer, UsageDetails? Usage, bool Failed);
}
