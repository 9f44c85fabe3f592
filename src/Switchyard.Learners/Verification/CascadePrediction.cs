using System.Text.Json.Serialization;

namespace Switchyard.Routing.Learners.Verification;

/// <summary>One prompt's out-of-fold prediction in <see cref="CascadeSimulation"/>.</summary>
/// <param name="Id">The prompt's id.</param>
/// <param name="PGood">P(the weak answer is good enough), from a verifier fitted on the other folds.</param>
/// <param name="WeakScore">The weak model's recorded score.</param>
/// <param name="StrongScore">The strong model's recorded score.</param>
public sealed record CascadePrediction(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("p_good")] double PGood,
    [property: JsonPropertyName("weak")] double WeakScore,
    [property: JsonPropertyName("strong")] double StrongScore);
