using System.Text.Json.Serialization;

namespace Switchyard.Economics;

/// <summary>The traffic a deployment has to carry: rate, request shape and burstiness.</summary>
/// <param name="RequestsPerDay">Mean requests per day (0 or more).</param>
/// <param name="InputTokens">Mean input (prompt) tokens per request (0 or more).</param>
/// <param name="OutputTokens">Mean output tokens per request (greater than 0).</param>
/// <param name="PeakToMean">Peak request rate ÷ mean request rate (1 or more): the capacity peaks require.</param>
/// <param name="DaysPerMonth">Days in a billing month (default 30.4 = 365 ÷ 12, rounded); hours per month are this × 24 (729.6 by default).</param>
public sealed record TrafficProfile(
    [property: JsonPropertyName("requests_per_day")] double RequestsPerDay,
    [property: JsonPropertyName("input_tokens")] double InputTokens,
    [property: JsonPropertyName("output_tokens")] double OutputTokens,
    [property: JsonPropertyName("peak_to_mean")] double PeakToMean = 1.0,
    [property: JsonPropertyName("days_per_month")] double DaysPerMonth = TrafficProfile.DefaultDaysPerMonth)
{
    /// <summary>Default days per month: 30.4 (so 729.6 hours per month).</summary>
    public const double DefaultDaysPerMonth = 30.4;

    /// <summary>Largest accepted <see cref="RequestsPerDay"/> (10¹²), which keeps every money figure inside <see cref="decimal"/>.</summary>
    public const double MaxRequestsPerDay = 1e12;

    /// <summary>Largest accepted tokens per request (10⁸).</summary>
    public const double MaxTokensPerRequest = 1e8;

    /// <summary>Requests per month: <c>RequestsPerDay × DaysPerMonth</c>.</summary>
    [JsonIgnore]
    public double MonthlyRequests => RequestsPerDay * DaysPerMonth;

    /// <summary>Hours per month: <c>DaysPerMonth × 24</c>, as the decimal used for money.</summary>
    [JsonIgnore]
    public decimal HoursPerMonth => (decimal)DaysPerMonth * 24m;

    /// <summary>Mean output tokens per second: <c>RequestsPerDay × OutputTokens ÷ 86,400</c>.</summary>
    [JsonIgnore]
    public double MeanOutputTokensPerSecond => RequestsPerDay * OutputTokens / 86_400.0;

    /// <summary>Peak output tokens per second: <c>MeanOutputTokensPerSecond × PeakToMean</c>.</summary>
    [JsonIgnore]
    public double PeakOutputTokensPerSecond => MeanOutputTokensPerSecond * PeakToMean;

    /// <summary>The same request shape at another daily rate.</summary>
    /// <param name="requestsPerDay">The new mean requests per day.</param>
    public TrafficProfile AtRate(double requestsPerDay) => this with { RequestsPerDay = requestsPerDay };

    /// <summary>The same request shape at a monthly volume: <c>RequestsPerDay = monthlyRequests ÷ DaysPerMonth</c>.</summary>
    /// <param name="monthlyRequests">Requests per month.</param>
    public TrafficProfile AtMonthlyVolume(double monthlyRequests) => this with { RequestsPerDay = monthlyRequests / DaysPerMonth };

    /// <summary>Throws when a field is out of range.</summary>
    /// <param name="fieldPrefix">Prepended to field names in messages (e.g. <c>"workload."</c>).</param>
    /// <exception cref="EconomicsInputException">Lists every problem.</exception>
    public void Validate(string fieldPrefix = "")
    {
        var problems = new List<string>();
        Check(problems, fieldPrefix + "requests_per_day", RequestsPerDay, 0, MaxRequestsPerDay, minInclusive: true);
        Check(problems, fieldPrefix + "input_tokens", InputTokens, 0, MaxTokensPerRequest, minInclusive: true);
        Check(problems, fieldPrefix + "output_tokens", OutputTokens, 0, MaxTokensPerRequest, minInclusive: false);
        Check(problems, fieldPrefix + "peak_to_mean", PeakToMean, 1, 1e6, minInclusive: true);
        Check(problems, fieldPrefix + "days_per_month", DaysPerMonth, 0, 31, minInclusive: false);
        if (problems.Count > 0)
        {
            throw new EconomicsInputException(problems);
        }
    }

    /// <summary>Adds a problem when <paramref name="value"/> is not finite or not within the bounds.</summary>
    internal static void Check(List<string> problems, string field, double value, double min, double max, bool minInclusive)
    {
        var tooLow = minInclusive ? value < min : value <= min;
        if (!double.IsFinite(value) || tooLow || value > max)
        {
            var lower = minInclusive ? Figures.Invariant($"at least {min}") : Figures.Invariant($"greater than {min}");
            problems.Add(Figures.Invariant($"{field} must be {lower} and at most {max:G} (got {value})"));
        }
    }
}
