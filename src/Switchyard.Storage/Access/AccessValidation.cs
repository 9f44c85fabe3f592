using System.Globalization;
using Switchyard.Access;

namespace Switchyard.Storage.Access;

/// <summary>Checks and normalizes what callers ask the <see cref="KeyStore"/> to store; every refusal is an <see cref="ArgumentException"/> with a message fit for a user.</summary>
internal static class AccessValidation
{
    public const int MaxKeyNameLength = 100;
    public const int MaxTeamNameLength = 64;
    public const int MaxModelNameLength = 200;
    public const int MaxMetadataEntries = 50;
    public const int MaxMetadataKeyLength = 64;
    public const int MaxMetadataValueLength = 1000;

    /// <summary>The largest budget accepted, in dollars (its nano-dollars fit a 64-bit integer with room to spare).</summary>
    public const decimal MaxLimitUsd = 1_000_000_000m;

    public static string KeyName(string? name)
    {
        var trimmed = name?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length > MaxKeyNameLength || trimmed.Any(char.IsControl))
        {
            throw Bad($"A key name must be 1–{MaxKeyNameLength} characters without control characters; got '{Printable(name)}'.");
        }

        return trimmed;
    }

    public static string TeamName(string? name)
    {
        var trimmed = name?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length > MaxTeamNameLength || !trimmed.All(c => char.IsAsciiLetterOrDigit(c) || c is ' ' or '.' or '_' or '-'))
        {
            throw Bad($"A team name must be 1–{MaxTeamNameLength} letters, digits, spaces, '.', '_' or '-'; got '{Printable(name)}'.");
        }

        if (TeamIds.IsTeamId(trimmed))
        {
            throw Bad($"A team name may not look like a team id ('{trimmed}').");
        }

        return trimmed;
    }

    /// <summary>Trimmed, de-duplicated (ignoring case) model names; null stays null (all models).</summary>
    public static List<string>? Models(IReadOnlyList<string>? models)
    {
        if (models is null)
        {
            return null;
        }

        if (models.Count == 0)
        {
            throw Bad("An allow-list needs at least one model name (leave it out to allow every model).");
        }

        return Names(models, "A model name", MaxModelNameLength);
    }

    public static List<string> DataClasses(IReadOnlyList<string>? classes) => classes is null ? [] : Names(classes, "A data class", MaxModelNameLength);

    public static int? Rpm(int? rpm) => rpm is < 1
        ? throw Bad(string.Create(CultureInfo.InvariantCulture, $"The requests-per-minute limit must be at least 1; got {rpm}."))
        : rpm;

    public static long? Tpm(long? tpm) => tpm is < 1
        ? throw Bad(string.Create(CultureInfo.InvariantCulture, $"The tokens-per-minute limit must be at least 1; got {tpm}."))
        : tpm;

    public static string Period(string? period) => BudgetPeriods.IsKnown(period)
        ? period!
        : throw Bad($"'{Printable(period)}' is not a budget period (daily, monthly, total).");

    public static long LimitNanoUsd(decimal limitUsd) => limitUsd is < 0 or > MaxLimitUsd
        ? throw Bad(string.Create(CultureInfo.InvariantCulture, $"A budget limit must be between $0 and ${MaxLimitUsd:0}; got ${limitUsd}."))
        : Ledger.DatabaseLedger.NanoUsd(limitUsd);

    /// <summary>The budgets as (period, nano-dollars), one per period.</summary>
    public static List<(string Period, long NanoUsd)> Budgets(IReadOnlyList<BudgetLimit>? budgets)
    {
        var result = new List<(string, long)>();
        foreach (var budget in budgets ?? [])
        {
            ArgumentNullException.ThrowIfNull(budget);
            var period = Period(budget.Period);
            if (result.Any(b => b.Item1 == period))
            {
                throw Bad($"Only one {period} budget is allowed.");
            }

            result.Add((period, LimitNanoUsd(budget.LimitUsd)));
        }

        return result;
    }

    public static Dictionary<string, string> Metadata(IReadOnlyDictionary<string, string>? metadata)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        if (metadata is null)
        {
            return result;
        }

        if (metadata.Count > MaxMetadataEntries)
        {
            throw Bad(string.Create(CultureInfo.InvariantCulture, $"At most {MaxMetadataEntries} metadata labels are allowed; got {metadata.Count}."));
        }

        foreach (var (key, value) in metadata)
        {
            var k = key?.Trim();
            if (string.IsNullOrEmpty(k) || k.Length > MaxMetadataKeyLength || k.Any(char.IsControl))
            {
                throw Bad($"A metadata name must be 1–{MaxMetadataKeyLength} characters without control characters; got '{Printable(key)}'.");
            }

            if (value is null || value.Length > MaxMetadataValueLength)
            {
                throw Bad($"The metadata value of '{k}' must be a string of at most {MaxMetadataValueLength} characters.");
            }

            result[k] = value;
        }

        return result;
    }

    /// <summary>The expiry in unix milliseconds; it must lie after <paramref name="now"/>.</summary>
    public static long? Expiry(DateTimeOffset? expiresAt, DateTimeOffset now) => expiresAt is { } at && at <= now
        ? throw Bad($"The expiry {at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)} is not in the future.")
        : expiresAt?.ToUnixTimeMilliseconds();

    /// <summary>Refuses a new value together with the flag that removes it.</summary>
    public static void NotBoth(bool hasValue, bool clear, string what)
    {
        if (hasValue && clear)
        {
            throw Bad($"Give a new {what} or remove it, not both.");
        }
    }

    public static ArgumentException Bad(string message) => new(message);

    private static List<string> Names(IReadOnlyList<string> names, string what, int maxLength)
    {
        var result = new List<string>(names.Count);
        foreach (var name in names)
        {
            var trimmed = name?.Trim();
            if (string.IsNullOrEmpty(trimmed) || trimmed.Length > maxLength || trimmed.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c == ','))
            {
                throw Bad($"{what} must be 1–{maxLength} characters without spaces or commas; got '{Printable(name)}'.");
            }

            if (!result.Contains(trimmed, StringComparer.OrdinalIgnoreCase))
            {
                result.Add(trimmed);
            }
        }

        return result;
    }

    // Echoes input in messages without control characters and without flooding the terminal.
    private static string Printable(string? text)
    {
        if (text is null)
        {
            return "";
        }

        var clean = new string([.. text.Select(c => char.IsControl(c) ? '?' : c)]);
        return clean.Length <= 80 ? clean : clean[..77] + "...";
    }
}
