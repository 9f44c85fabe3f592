using System.CommandLine;
using System.Data.Common;
using System.Globalization;
using Spectre.Console;
using Switchyard.Access;
using Switchyard.Configuration;
using Switchyard.Gateway;
using Switchyard.Storage.Access;

namespace Switchyard.Cli;

/// <summary>
/// What <c>switchyard keys</c> and <c>switchyard teams</c> share: the options, opening the store the configuration
/// names, parsing budgets and labels, and the exit codes (0 ok; 1 not found, refused by the store's state, or store
/// error; 2 bad input), each failure one line on stderr.
/// </summary>
internal static class AccessCli
{
    /// <summary>The exit-code sentence every access command's description ends with.</summary>
    public const string ExitCodes = "Exit codes: 0 ok; 1 no such key or team, refused by the store's state (e.g. a team with live keys), or store error; 2 bad input.";

    /// <summary>The short form subcommands end with.</summary>
    public const string Exits = "Exits 0 ok, 1 not found/refused/store error, 2 bad input.";

    public const int NotFound = 1;
    public const int BadInput = 2;

    public static Option<string?> ConfigOption() => new("--config")
    {
        Description = $"Configuration naming the store (Storage:Provider, Ledger:Path, Storage:ConnectionString[Env], Auth:PepperEnv); default: {SwitchyardConfigLoader.DefaultFileName} if present, else the SQLite file switchyard.db.",
        HelpName = "FILE",
    };

    public static Option<bool> JsonOption() => new("--json") { Description = "Print JSON instead of tables." };

    public static Option<string[]> BudgetOption(string what, string? note = null) => new("--budget")
    {
        Description = $"A spend limit of {what}: AMOUNT/PERIOD with AMOUNT in US dollars and PERIOD daily, monthly or total, e.g. 10/daily or $0.50/total (repeatable){note}.",
        HelpName = "AMOUNT/PERIOD",
        AllowMultipleArgumentsPerToken = false,
    };

    public static Option<string[]> MetaOption(string what, string? note = null) => new("--meta")
    {
        Description = $"A label of {what}: NAME=VALUE (repeatable){note}.",
        HelpName = "NAME=VALUE",
        AllowMultipleArgumentsPerToken = false,
    };

    public static Option<string?> ModelsOption(string what, string note = " (default: all)") => new("--models")
    {
        Description = $"Models and routes {what} may request, comma-separated{note}.",
        HelpName = "a,b,...",
    };

    public static Option<string?> RpmOption(string what) => new("--rpm") { Description = $"Requests per minute {what} (at least 1; default: unlimited).", HelpName = "N" };

    public static Option<string?> TpmOption(string what) => new("--tpm") { Description = $"Tokens per minute {what} (at least 1; default: unlimited).", HelpName = "N" };

    /// <summary>
    /// Loads the configuration (as <c>serve</c> does), opens its store and runs <paramref name="body"/> on it, mapping
    /// failures to one stderr line and an exit code. <paramref name="body"/> may throw <see cref="ArgumentException"/>
    /// for bad input (2) and <see cref="InvalidOperationException"/> for a refusal (1).
    /// </summary>
    public static async Task<int> RunAsync(string? configPath, Func<KeyStore, Task<int>> body, CancellationToken cancellationToken)
    {
        SwitchyardOptions options;
        try
        {
            options = SwitchyardConfigLoader.LoadForServe(configPath, Environment.CurrentDirectory);
        }
        catch (SwitchyardConfigurationException ex)
        {
            return Fail(BadInput, ex.Message);
        }

        KeyStore store;
        try
        {
            store = KeyStore.OpenFor(options);
        }
        catch (Exception ex) when (ex is SwitchyardConfigurationException or InvalidOperationException or ArgumentException or DbException or IOException or UnauthorizedAccessException)
        {
            return Fail(NotFound, ex.Message);
        }

        await using (store.ConfigureAwait(false))
        {
            try
            {
                cancellationToken.ThrowIfCancellationRequested();
                return await body(store).ConfigureAwait(false);
            }
            catch (ArgumentException ex)
            {
                return Fail(BadInput, ex.Message);
            }
            catch (InvalidOperationException ex)
            {
                return Fail(NotFound, ex.Message);
            }
            catch (DbException ex)
            {
                return Fail(NotFound, $"The store {store.Database.Display} failed: {ex.Message}");
            }
        }
    }

    /// <summary>Writes <paramref name="message"/> as one line on stderr and returns <paramref name="code"/>.</summary>
    public static int Fail(int code, string message)
    {
        Console.Error.WriteLine(message.ReplaceLineEndings(" ").Trim());
        return code;
    }

    /// <summary>Runs <paramref name="parse"/>, turning its <see cref="ArgumentException"/> into one stderr line and exit 2.</summary>
    public static bool TryInput<T>(Func<T> parse, out T value, out int exitCode)
    {
        try
        {
            value = parse();
            exitCode = 0;
            return true;
        }
        catch (ArgumentException ex)
        {
            value = default!;
            exitCode = Fail(BadInput, ex.Message);
            return false;
        }
    }

    /// <summary>Parses <c>AMOUNT/PERIOD</c> values (<c>$</c> before the amount is allowed; the period ignores case).</summary>
    public static List<BudgetLimit> Budgets(string[]? values)
    {
        var budgets = new List<BudgetLimit>();
        foreach (var value in values ?? [])
        {
            var slash = value.LastIndexOf('/');
            var amount = slash < 0 ? "" : value[..slash].Trim();
            var period = slash < 0 ? "" : value[(slash + 1)..].Trim().ToLowerInvariant();
            if (amount.StartsWith('$'))
            {
                amount = amount[1..];
            }

            if (slash < 0)
            {
                throw new ArgumentException($"--budget '{value}': expected AMOUNT/PERIOD, e.g. 10/daily.");
            }

            if (!decimal.TryParse(amount, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var usd))
            {
                throw new ArgumentException($"--budget '{value}': AMOUNT must be a dollar amount such as 10 or 0.50 (AMOUNT/PERIOD, e.g. 10/daily).");
            }

            if (!BudgetPeriods.IsKnown(period))
            {
                throw new ArgumentException($"--budget '{value}': PERIOD must be daily, monthly or total (AMOUNT/PERIOD, e.g. 10/daily).");
            }

            if (budgets.Any(b => b.Period == period))
            {
                throw new ArgumentException($"--budget: more than one {period} budget.");
            }

            budgets.Add(new BudgetLimit(period, usd));
        }

        return budgets;
    }

    /// <summary>Parses <c>NAME=VALUE</c> labels; null when none are given.</summary>
    public static Dictionary<string, string>? Metadata(string[]? values)
    {
        if (values is null || values.Length == 0)
        {
            return null;
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            var equals = value.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new ArgumentException($"--meta '{value}': expected NAME=VALUE.");
            }

            metadata[value[..equals].Trim()] = value[(equals + 1)..];
        }

        return metadata;
    }

    /// <summary>Splits a comma-separated model list; null when the option is absent.</summary>
    public static List<string>? Models(string? value)
    {
        if (value is null)
        {
            return null;
        }

        var models = value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        return models.Count == 0 ? throw new ArgumentException("--models: give at least one model or route name, comma-separated.") : models;
    }

    /// <summary>Parses a positive whole number given to <paramref name="option"/>; null when absent.</summary>
    public static int? Positive(string? value, string option) => value is null ? null
        : int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 ? n
        : throw new ArgumentException($"{option} '{value}' is not a whole number of at least 1.");

    /// <summary>Parses a positive whole number given to <paramref name="option"/>; null when absent.</summary>
    public static long? PositiveLong(string? value, string option) => value is null ? null
        : long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 ? n
        : throw new ArgumentException($"{option} '{value}' is not a whole number of at least 1.");

    /// <summary>Refuses two options that contradict each other.</summary>
    public static void NotBoth(bool first, bool second, string firstName, string secondName)
    {
        if (first && second)
        {
            throw new ArgumentException($"{firstName} and {secondName} cannot be combined.");
        }
    }

    public static string Models(IReadOnlyList<string>? models) => models is null ? "all" : string.Join(", ", models);

    public static string Budgets(IReadOnlyList<BudgetLimit> budgets) =>
        budgets.Count == 0 ? "-" : string.Join(", ", budgets.Select(b => $"${Usd(b.LimitUsd)}/{b.Period}"));

    public static string Usd(decimal usd) => usd.ToString("0.##########", CultureInfo.InvariantCulture);

    public static string Limit(long? limit) => limit?.ToString(CultureInfo.InvariantCulture) ?? "-";

    public static string Time(DateTimeOffset? at) => at?.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture) ?? "-";

    public static string Labels(IReadOnlyDictionary<string, string> metadata) =>
        metadata.Count == 0 ? "-" : string.Join(", ", metadata.Select(m => $"{m.Key}={m.Value}"));

    /// <summary>A two-column table of field and value.</summary>
    public static Table Fields(string title, IEnumerable<(string Field, string Value)> rows)
    {
        var table = new Table().Title(Markup.Escape(title)).Border(TableBorder.Rounded).AddColumn("field").AddColumn("value");
        foreach (var (field, value) in rows)
        {
            table.AddRow(Markup.Escape(field), Markup.Escape(value));
        }

        return table;
    }
}
