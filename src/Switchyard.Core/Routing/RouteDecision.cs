using System.Text;
using System.Text.Json.Serialization;

namespace Switchyard.Routing;

/// <summary>
/// Every routing decision as a value: what was asked for, which candidates there were, which were eliminated and
/// why, every attempt made, which model served and why. Logged, returned in <c>x-switchyard-route</c> and stored in
/// the ledger.
/// </summary>
/// <param name="Requested">The name the caller asked for.</param>
/// <param name="Route">The route it resolved to, or null when a model was requested directly.</param>
/// <param name="Candidates">The candidate models in order.</param>
/// <param name="Eliminated">Candidates skipped without an attempt, with the reason.</param>
/// <param name="Attempts">Every upstream attempt, in order.</param>
/// <param name="Chosen">The model that served, or null if none did.</param>
/// <param name="Reason">Why <paramref name="Chosen"/> served (or why nothing did).</param>
public sealed record RouteDecision(
    [property: JsonPropertyName("requested")] string Requested,
    [property: JsonPropertyName("route")] string? Route,
    [property: JsonPropertyName("candidates")] IReadOnlyList<string> Candidates,
    [property: JsonPropertyName("eliminated")] IReadOnlyList<RouteElimination> Eliminated,
    [property: JsonPropertyName("attempts")] IReadOnlyList<RouteAttempt> Attempts,
    [property: JsonPropertyName("chosen")] string? Chosen,
    [property: JsonPropertyName("reason")] string Reason)
{
    /// <summary>The privacy policy's decision (classes found, allowed zones, deciding rules), when a privacy guard ran.</summary>
    [JsonPropertyName("privacy")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Privacy.PrivacyDecision? Privacy { get; init; }

    /// <summary>Candidates outside the allowed zones that were sent the request with detected values pseudonymised.</summary>
    [JsonPropertyName("pseudonymized")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? Pseudonymized { get; init; }

    /// <summary>What the route's strategy did (difficulty scores or cascade verdicts against their thresholds), when it has one.</summary>
    [JsonPropertyName("strategy")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public RouteStrategyTrace? Strategy { get; init; }

    /// <summary>US dollars spent beyond the answer that served (a cascade's rejected answers and verifier calls), when any.</summary>
    [JsonPropertyName("overhead_cost")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public decimal? OverheadCost { get; init; }

    /// <summary>Fields of the request a called candidate does not understand and was not sent, when any.</summary>
    [JsonPropertyName("dropped")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<DroppedField>? Dropped { get; init; }

    /// <summary>The compact, ASCII-only form sent in the <c>x-switchyard-route</c> header.</summary>
    public string ToHeaderValue()
    {
        var sb = new StringBuilder();
        sb.Append("route=").Append(Route ?? "-");
        sb.Append("; model=").Append(Chosen ?? "-");
        sb.Append("; reason=").Append(Reason);
        return HeaderSafe(sb.ToString());
    }

    private static string HeaderSafe(string value)
    {
        Span<char> buffer = value.Length <= 512 ? stackalloc char[value.Length] : new char[value.Length];
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            buffer[i] = c is >= ' ' and <= '~' ? c : '?';
        }

        return new string(buffer);
    }
}
