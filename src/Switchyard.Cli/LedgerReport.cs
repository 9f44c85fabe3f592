using Switchyard.Metering;
using Switchyard.Storage.Ledger;

namespace Switchyard.Cli;

/// <summary>What <c>switchyard ledger --json</c> prints.</summary>
/// <param name="Records">Recent records, newest first.</param>
/// <param name="Totals">Totals per served model.</param>
internal sealed record LedgerReport(IReadOnlyList<LedgerRecord> Records, IReadOnlyList<LedgerTotals> Totals);
