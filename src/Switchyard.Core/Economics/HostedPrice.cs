using System.Text.Json.Serialization;

namespace Switchyard.Economics;

/// <summary>
/// The list price of a hosted model, in US dollars per million tokens (mapped by the caller from the pricing catalog).
/// </summary>
/// <param name="Id">The catalog id of the model.</param>
/// <param name="InputPerMillion">Dollars per million input tokens.</param>
/// <param name="OutputPerMillion">Dollars per million output tokens.</param>
public sealed record HostedPrice(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("input_per_million")] decimal InputPerMillion,
    [property: JsonPropertyName("output_per_million")] decimal OutputPerMillion)
{
    /// <summary>
    /// Dollars per request: <c>(input_tokens × InputPerMillion + output_tokens × OutputPerMillion) / 10⁶</c>.
    /// </summary>
    /// <param name="inputTokens">Input tokens per request.</param>
    /// <param name="outputTokens">Output tokens per request.</param>
    public decimal CostPerRequest(double inputTokens, double outputTokens) =>
        (((decimal)inputTokens * InputPerMillion) + ((decimal)outputTokens * OutputPerMillion)) / 1_000_000m;

    /// <summary>
    /// What the hosted model costs per million <em>output</em> tokens once the input of the same request mix is folded
    /// in: <c>CostPerRequest ÷ output_tokens × 10⁶</c>. This is the price a self-hosted replica, whose capacity is
    /// stated in output tokens per second, has to beat.
    /// </summary>
    /// <param name="inputTokens">Input tokens per request.</param>
    /// <param name="outputTokens">Output tokens per request (greater than 0).</param>
    public decimal PerMillionOutputTokensOfMix(double inputTokens, double outputTokens) =>
        CostPerRequest(inputTokens, outputTokens) / (decimal)outputTokens * 1_000_000m;

    /// <summary>Throws when the id is empty or a price is negative.</summary>
    /// <exception cref="EconomicsInputException">Lists every problem.</exception>
    public void Validate()
    {
        var problems = new List<string>();
        if (string.IsNullOrWhiteSpace(Id))
        {
            problems.Add("hosted price id must not be empty");
        }

        if (InputPerMillion < 0)
        {
            problems.Add(Figures.Invariant($"hosted price '{Id}': input_per_million must be at least 0 (got {InputPerMillion})"));
        }

        if (OutputPerMillion < 0)
        {
            problems.Add(Figures.Invariant($"hosted price '{Id}': output_per_million must be at least 0 (got {OutputPerMillion})"));
        }

        if (problems.Count > 0)
        {
            throw new EconomicsInputException(problems);
        }
    }
}
