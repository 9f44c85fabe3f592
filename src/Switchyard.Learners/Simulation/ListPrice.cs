using System.Globalization;
using Switchyard.Evaluation;

namespace Switchyard.Routing.Learners.Simulation;

/// <summary>A model's list price in US dollars per million tokens, for pricing recorded prompts whose cost was not recorded.</summary>
/// <param name="InputPerMillion">Dollars per million input (prompt) tokens.</param>
/// <param name="OutputPerMillion">Dollars per million output (completion) tokens.</param>
public sealed record ListPrice(double InputPerMillion, double OutputPerMillion)
{
    /// <summary>Output tokens assumed per answer (as <see cref="LearnedRouterModel.DefaultOutputTokens"/>).</summary>
    public const int DefaultOutputTokens = LearnedRouterModel.DefaultOutputTokens;

    /// <summary>Estimated input tokens of a prompt: all its messages' characters / 4, at least 1 (as the router's calibration counts them).</summary>
    /// <param name="record">The prompt.</param>
    public static int InputTokens(OutcomeRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return Math.Max(1, record.Messages.Sum(m => m.Text.Length) / 4);
    }

    /// <summary>What one request for <paramref name="record"/> costs at this price: estimated input tokens and <paramref name="outputTokens"/> output tokens.</summary>
    /// <param name="record">The prompt.</param>
    /// <param name="outputTokens">Output tokens assumed for the answer.</param>
    /// <returns>Dollars.</returns>
    public double CostOf(OutcomeRecord record, int outputTokens = DefaultOutputTokens) =>
        ((InputTokens(record) * InputPerMillion) + (outputTokens * OutputPerMillion)) / 1_000_000.0;

    /// <summary>
    /// A cost function for <see cref="MultiModelSimulation"/>:
    /// the recorded <see cref="ModelOutcome.Cost"/> when there is one, else the model's list price applied to the prompt
    /// (input tokens estimated as characters / 4, <paramref name="outputTokens"/> output tokens).
    /// </summary>
    /// <param name="prices">Each model's list price.</param>
    /// <param name="outputTokens">Output tokens assumed per answer.</param>
    /// <param name="preferRecorded">Use a recorded cost when the outcome has one.</param>
    /// <exception cref="ArgumentOutOfRangeException">A price is negative or not finite, or <paramref name="outputTokens"/> is negative.</exception>
    public static Func<OutcomeRecord, string, double> CostFunction(IReadOnlyDictionary<string, ListPrice> prices, int outputTokens = DefaultOutputTokens, bool preferRecorded = true)
    {
        ArgumentNullException.ThrowIfNull(prices);
        ArgumentOutOfRangeException.ThrowIfNegative(outputTokens);
        foreach (var (model, price) in prices)
        {
            if (price is null || !(price.InputPerMillion >= 0) || !(price.OutputPerMillion >= 0) || double.IsInfinity(price.InputPerMillion) || double.IsInfinity(price.OutputPerMillion))
            {
                throw new ArgumentOutOfRangeException(nameof(prices), string.Create(CultureInfo.InvariantCulture, $"The price of '{model}' must be finite and not negative."));
            }
        }

        return (record, model) =>
        {
            if (preferRecorded && record.Outcomes.TryGetValue(model, out var outcome) && outcome.Cost is { } recorded)
            {
                return (double)recorded;
            }

            return prices.TryGetValue(model, out var price)
                ? price.CostOf(record, outputTokens)
                : throw new KeyNotFoundException($"No price for model '{model}'.");
        };
    }
}
