using System.Text.Json.Serialization;

namespace Switchyard.Cli;

/// <summary>Source-generated JSON for CLI output (snake_case keys).</summary>
[JsonSerializable(typeof(LedgerReport))]
[JsonSerializable(typeof(List<AuditRow>))]
[JsonSerializable(typeof(Switchyard.Evaluation.Simulation.SimulationSummary))]
[JsonSerializable(typeof(KeyView))]
[JsonSerializable(typeof(List<KeyView>))]
[JsonSerializable(typeof(TeamView))]
[JsonSerializable(typeof(List<TeamView>))]
[JsonSerializable(typeof(Switchyard.Economics.Pricing.CatalogPrice))]
[JsonSerializable(typeof(List<Switchyard.Economics.Pricing.CatalogPrice>))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
internal sealed partial class CliJsonContext : JsonSerializerContext;
