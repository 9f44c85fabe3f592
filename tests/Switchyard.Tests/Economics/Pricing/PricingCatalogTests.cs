using System.Text;
using Switchyard.Economics.Pricing;

namespace Switchyard.Tests.Economics.Pricing;

public sealed class PricingCatalogTests
{
    private static DateOnly Today => DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime);

    private static CatalogPrice Price(string id, decimal input = 1m, decimal output = 2m, params string[] aliases) => new()
    {
        Id = id,
        Aliases = aliases,
        Provider = "test",
        Input = input,
        Output = output,
        ContextWindow = 100_000,
        Observed = new DateOnly(2025, 1, 1),
        Source = "https://example.com/pricing",
    };

    private static PricingCatalog Load(string json) => PricingCatalog.Load(new MemoryStream(Encoding.UTF8.GetBytes(json)));

    [Fact]
    public void VerifiedCatalog_Loads_AndEveryEntryIsValid()
    {
        var catalog = PricingCatalog.LoadVerified();

        Assert.NotEmpty(catalog.Entries);
        Assert.Empty(catalog.Validate(Today));
        Assert.Equal(catalog.Entries.Count, catalog.Entries.Select(e => e.Id).Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.All(catalog.Entries, entry =>
        {
            Assert.True(entry.Input > 0, $"{entry.Id}: input");
            Assert.True(entry.Output > 0, $"{entry.Id}: output");
            Assert.NotEqual(default, entry.Observed);
            Assert.True(entry.Observed <= Today, $"{entry.Id}: observed {entry.Observed} is in the future");
            Assert.True(Uri.TryCreate(entry.Source, UriKind.Absolute, out var source) && source.Scheme == Uri.UriSchemeHttps, $"{entry.Id}: source '{entry.Source}' is not an https URL");
            Assert.True(entry.ContextWindow > 0, $"{entry.Id}: context window");
            Assert.Contains(entry.Provider, new[] { "openai", "anthropic", "google", "mistral", "deepseek" });
            Assert.False(string.IsNullOrWhiteSpace(entry.Notes), $"{entry.Id}: notes should say how the date was established");
        });
    }

    [Fact]
    public void ShippedCatalog_ValidationFailsForADateBeforeItsObservations()
    {
        var catalog = PricingCatalog.LoadDefault();
        var earliest = catalog.Entries.Min(e => e.Observed);

        var problems = catalog.Validate(earliest.AddDays(-1));

        Assert.NotEmpty(problems);
        Assert.All(problems, p => Assert.Equal("observed", p.Field));
    }

    [Fact]
    public void ShippedCatalog_HasTheVerifiedPublishedPrices()
    {
        var catalog = PricingCatalog.LoadDefault();

        Assert.True(catalog.TryGet("claude-sonnet-4-5", out var sonnet));
        Assert.Equal(("claude-sonnet-4-5-20250929", 3m, 15m, 0.30m, 3.75m), (sonnet.Id, sonnet.Input, sonnet.Output, sonnet.CachedInputRead, sonnet.CachedInputWrite));
        Assert.True(catalog.TryGet("gpt-5-nano", out var nano));
        Assert.Equal((0.05m, 0.40m, 0.005m), (nano.Input, nano.Output, nano.CachedInputRead));
    }

    [Fact]
    public void TryGet_MatchesIdsAndListedAliases_CaseInsensitively()
    {
        var catalog = PricingCatalog.From([Price("gpt-4o-2024-08-06", 2.5m, 10m, "gpt-4o"), Price("gpt-4o-mini-2024-07-18", 0.15m, 0.6m, "gpt-4o-mini")]);

        Assert.True(catalog.TryGet("gpt-4o", out var byAlias));
        Assert.Equal("gpt-4o-2024-08-06", byAlias.Id);
        Assert.True(catalog.TryGet("GPT-4O-2024-08-06", out var byId));
        Assert.Same(byAlias, byId);
        Assert.True(catalog.TryGet(" gpt-4o-mini ", out var mini));
        Assert.Equal(0.15m, mini.Input);
    }

    [Fact]
    public void TryGet_DoesNotGuessUnlistedSnapshotsOrPrefixes()
    {
        var catalog = PricingCatalog.From([Price("gpt-4o-2024-08-06", 2.5m, 10m, "gpt-4o")]);

        Assert.False(catalog.TryGet("gpt-4o-2024-11-20", out var unlisted));
        Assert.Null(unlisted);
        Assert.False(catalog.TryGet("gpt-4o-mini", out _));
        Assert.False(catalog.TryGet("gpt", out _));
        Assert.False(catalog.TryGet("", out _));
    }

    [Fact]
    public void TryGet_PrefersAnIdOverAnotherEntrysAlias()
    {
        var catalog = PricingCatalog.From([Price("family-2025", 1m, 1m, "shared"), Price("shared", 5m, 5m)]);

        Assert.True(catalog.TryGet("shared", out var price));
        Assert.Equal(5m, price.Input);
    }

    [Fact]
    public void WithOverrides_ReplacesById_KeepingTheAliases()
    {
        var catalog = PricingCatalog.From([Price("m-2025-01-01", 1m, 2m, "m"), Price("other")]);

        var overridden = catalog.WithOverrides([Price("M-2025-01-01", 9m, 18m)]);

        Assert.Equal(2, overridden.Entries.Count);
        Assert.True(overridden.TryGet("m", out var byAlias));
        Assert.Equal((9m, 18m), (byAlias.Input, byAlias.Output));
        Assert.Equal(["m"], byAlias.Aliases);
        Assert.True(catalog.TryGet("m", out var original));
        Assert.Equal(1m, original.Input);
        Assert.Empty(overridden.Validate(Today));
    }

    [Fact]
    public void WithOverrides_ByAnAlias_ReplacesThatEntry_AndTheOldIdBecomesAnAlias()
    {
        var catalog = PricingCatalog.From([Price("m-2025-01-01", 1m, 2m, "m")]);

        var overridden = catalog.WithOverrides([Price("m", 4m, 8m)]);

        var entry = Assert.Single(overridden.Entries);
        Assert.Equal("m", entry.Id);
        Assert.Equal(["m-2025-01-01"], entry.Aliases);
        Assert.True(overridden.TryGet("m-2025-01-01", out var bySnapshot));
        Assert.Equal(4m, bySnapshot.Input);
        Assert.Empty(overridden.Validate(Today));
    }

    [Fact]
    public void WithOverrides_WithItsOwnAliases_UsesOnlyThose()
    {
        var catalog = PricingCatalog.From([Price("m-2025-01-01", 1m, 2m, "m", "m-latest")]);

        var overridden = catalog.WithOverrides([Price("m-2025-01-01", 3m, 6m, "m")]);

        Assert.True(overridden.TryGet("m", out var price));
        Assert.Equal(3m, price.Input);
        Assert.False(overridden.TryGet("m-latest", out _));
    }

    [Fact]
    public void WithOverrides_AddsUnknownModels()
    {
        var catalog = PricingCatalog.LoadDefault();

        var overridden = catalog.WithOverrides([Price("in-house-70b", 0.5m, 0.5m, "house")]);

        Assert.Equal(catalog.Entries.Count + 1, overridden.Entries.Count);
        Assert.Equal("in-house-70b", overridden.Entries[^1].Id);
        Assert.True(overridden.TryGet("HOUSE", out var added));
        Assert.Equal(0.5m, added.Input);
        Assert.False(catalog.TryGet("house", out _));
        Assert.Empty(overridden.Validate(Today));
    }

    [Fact]
    public void Load_ReadsSnakeCaseFields()
    {
        var catalog = Load("""
            {
              // comments and trailing commas are allowed
              "models": [
                { "id": "m-1", "aliases": ["m"], "provider": "google", "input": 1.25, "output": 10, "cached_input_read": 0.125,
                  "cached_input_write": 1.5, "batch_input": 0.625, "batch_output": 5, "long_context_threshold": 200000,
                  "long_context_input": 2.5, "long_context_output": 15, "context_window": 1048576,
                  "observed": "2025-06-17", "source": "https://example.com/pricing", "notes": "n" },
              ]
            }
            """);

        var entry = Assert.Single(catalog.Entries);
        Assert.Equal(
            new CatalogPrice
            {
                Id = "m-1", Aliases = entry.Aliases, Provider = "google", Input = 1.25m, Output = 10m, CachedInputRead = 0.125m,
                CachedInputWrite = 1.5m, BatchInput = 0.625m, BatchOutput = 5m, LongContextThreshold = 200_000,
                LongContextInput = 2.5m, LongContextOutput = 15m, ContextWindow = 1_048_576,
                Observed = new DateOnly(2025, 6, 17), Source = "https://example.com/pricing", Notes = "n",
            },
            entry);
        Assert.Equal(["m"], entry.Aliases);
    }

    [Theory]
    [InlineData("""{ "models": [ { "id": "m", "cached_input": 1 } ] }""")]
    [InlineData("""{ "models": [ { "id": "m", "input": "cheap" } ] }""")]
    [InlineData("""{ "models": [ { "id": "m", "observed": "yesterday" } ] }""")]
    [InlineData("""[ ]""")]
    [InlineData("""null""")]
    [InlineData("""{ }""")]
    [InlineData("""{ "models": [ null ] }""")]
    public void Load_RejectsMalformedFiles(string json)
    {
        Assert.Throws<InvalidDataException>(() => Load(json));
    }

    [Fact]
    public void Validate_ReportsNegativePriceAndMissingDate_WithIdAndField()
    {
        var catalog = Load("""
            { "models": [
              { "id": "negative", "provider": "p", "input": -1, "output": 2, "observed": "2025-01-01", "source": "https://example.com" },
              { "id": "undated", "provider": "p", "input": 1, "output": 2, "source": "https://example.com" },
              { "id": "fine", "provider": "p", "input": 1, "output": 2, "observed": "2025-01-01", "source": "https://example.com" }
            ] }
            """);

        var problems = catalog.Validate(new DateOnly(2026, 1, 1));

        Assert.Equal(2, problems.Count);
        Assert.Contains(problems, p => p is { Id: "negative", Field: "input" } && p.Message.Contains("negative", StringComparison.Ordinal));
        Assert.Contains(problems, p => p is { Id: "undated", Field: "observed" } && p.Message.Contains("missing", StringComparison.Ordinal));
        Assert.Equal("negative:input: negative price -1", problems.Single(p => p.Id == "negative").ToString());
    }

    [Fact]
    public void Validate_ReportsNullsInTheFileAsMissing()
    {
        var catalog = Load("""{ "models": [ { "id": null, "aliases": [null], "provider": null, "input": 1, "output": 1, "observed": "2025-01-01", "source": null } ] }""");

        var problems = catalog.Validate(Today);

        Assert.Equal(["aliases", "id", "provider", "source"], problems.Select(p => p.Field).Order(StringComparer.Ordinal));
        Assert.False(catalog.TryGet("", out _));
    }

    [Fact]
    public void Validate_ReportsFutureDates()
    {
        var catalog = PricingCatalog.From([Price("m") with { Observed = new DateOnly(2026, 1, 2) }]);

        Assert.Empty(catalog.Validate(new DateOnly(2026, 1, 2)));
        var problem = Assert.Single(catalog.Validate(new DateOnly(2026, 1, 1)));
        Assert.Equal(("m", "observed"), (problem.Id, problem.Field));
    }

    [Fact]
    public void Validate_AcceptsZeroOnlyWithAReason()
    {
        var free = Price("free-tier", 0m, 0m);

        var problems = PricingCatalog.From([free]).Validate(Today);

        Assert.Equal(["input", "output"], problems.Select(p => p.Field).Order(StringComparer.Ordinal));
        Assert.Empty(PricingCatalog.From([free with { Notes = "Free during preview." }]).Validate(Today));
    }

    [Fact]
    public void Validate_ReportsDuplicateIdsAndAliases()
    {
        var catalog = PricingCatalog.From([Price("a", 1m, 1m, "x"), Price("A"), Price("b", 1m, 1m, "x"), Price("c", 1m, 1m, "a")]);

        var problems = catalog.Validate(Today);

        Assert.Contains(problems, p => p is { Id: "A", Field: "id" });
        Assert.Contains(problems, p => p is { Id: "b", Field: "aliases" } && p.Message.Contains("'x'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p is { Id: "c", Field: "aliases" } && p.Message.Contains("'a'", StringComparison.Ordinal));
        Assert.Equal(3, problems.Count);
    }

    [Fact]
    public void Validate_ReportsMissingIdProviderAndSource()
    {
        var problems = PricingCatalog.From([Price(" ") with { Provider = "", Source = "" }]).Validate(Today);

        Assert.Equal(["id", "provider", "source"], problems.Select(p => p.Field).Order(StringComparer.Ordinal));
        Assert.All(problems, p => Assert.Equal("", p.Id));
    }

    [Fact]
    public void Validate_ReportsInconsistentLongContextAndBatchFields()
    {
        var catalog = PricingCatalog.From(
        [
            Price("no-threshold") with { LongContextInput = 2m, LongContextOutput = 4m },
            Price("no-output") with { LongContextThreshold = 50_000, LongContextInput = 2m },
            Price("beyond-window") with { LongContextThreshold = 100_000, LongContextInput = 2m, LongContextOutput = 4m },
            Price("cheaper-long") with { LongContextThreshold = 50_000, LongContextInput = 0.5m, LongContextOutput = 4m },
            Price("half-batch") with { BatchInput = 0.5m },
            Price("bad-window") with { ContextWindow = 0 },
            Price("consistent") with { LongContextThreshold = 50_000, LongContextInput = 2m, LongContextOutput = 4m, BatchInput = 0.5m, BatchOutput = 1m },
        ]);

        var problems = catalog.Validate(Today).Select(p => (p.Id, p.Field)).ToList();

        Assert.Equal(
            [
                ("no-threshold", "long_context_threshold"),
                ("no-output", "long_context_output"),
                ("beyond-window", "long_context_threshold"),
                ("cheaper-long", "long_context_input"),
                ("half-batch", "batch_output"),
                ("bad-window", "context_window"),
            ],
            problems);
    }
}
