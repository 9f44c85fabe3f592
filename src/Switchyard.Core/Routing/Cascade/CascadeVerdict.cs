using System.Text.Json.Serialization;
using Microsoft.Extensions.AI;

namespace Switchyard.Routing.Cascade;

/// <summary>The outcome of checking one answer in a cascade.</summary>
/// <param name="Accepted">Whether the answer may be returned; when false the cascade escalates.</param>
/// <param name="Score">The verifier's confidence in the answer, from 0 to 1.</param>
/// <param name="Threshold">The score at or above which the verifier accepts.</param>
/// <param name="Method">How the answer was checked: <see cref="JudgeMethod"/>, <see cref="SelfConsistencyMethod"/>, <see cref="SkippedMethod"/>, or another verifier's own (the learned verifier's is <c>learned</c>).</param>
/// <param name="Detail">A short explanation for logs and the routing decision; never contains prompt or answer text.</param>
public sealed record CascadeVerdict(
    [property: JsonPropertyName("accepted")] bool Accepted,
    [property: JsonPropertyName("score")] double Score,
    [property: JsonPropertyName("threshold")] double Threshold,
    [property: JsonPropertyName("method")] string Method,
    [property: JsonPropertyName("detail")] string? Detail)
{
    /// <summary>A judge model rated the answer (<see cref="JudgeVerifier"/>).</summary>
    public const string JudgeMethod = "judge";

    /// <summary>The answer was compared with further samples from the same model (<see cref="SelfConsistencyVerifier"/>).</summary>
    public const string SelfConsistencyMethod = "self_consistency";

    /// <summary>The answer was accepted without a check (it calls tools: see <see cref="VerifyingChatClient"/>).</summary>
    public const string SkippedMethod = "skipped";

    /// <summary>
    /// Tolerance for comparing <see cref="Score"/> with <see cref="Threshold"/>, so that a threshold written as, say,
    /// <c>0.1 * 7</c> still accepts a score of 7/10.
    /// </summary>
    public const double Tolerance = 1e-9;

    /// <summary>
    /// Tokens the check itself used (the judge call, or all samples), when the verifier's client reported them.
    /// Not serialised: usage belongs in the ledger, not the routing decision.
    /// </summary>
    [JsonIgnore]
    public UsageDetails? Usage { get; init; }

    /// <summary>Whether <paramref name="score"/> reaches <paramref name="threshold"/> (within <see cref="Tolerance"/>).</summary>
    /// <param name="score">A score from 0 to 1.</param>
    /// <param name="threshold">A threshold from 0 to 1.</param>
    /// <returns>True when the score is at or above the threshold.</returns>
    public static bool Reaches(double score, double threshold) => score >= threshold - Tolerance;

    /// <summary>The verdict for an answer accepted without a check: score 1, threshold 0.</summary>
    /// <param name="detail">Why the check was skipped.</param>
    /// <returns>An accepted verdict with <see cref="Method"/> <see cref="SkippedMethod"/>.</returns>
    public static CascadeVerdict Skipped(string detail) => new(true, 1, 0, SkippedMethod, detail);
}
