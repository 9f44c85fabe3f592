using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Switchyard.PrivacyBench;

/// <summary>Mean time divided by the size of the benchmark's text: microseconds per KiB (UTF-8) of prompt.</summary>
internal sealed class MicrosPerKiBColumn : IColumn
{
    public string Id => nameof(MicrosPerKiBColumn);

    public string ColumnName => "us/KiB";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Mean time per KiB (UTF-8) of the scanned text, in microseconds";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, summary.Style);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        double? meanNs = summary[benchmarkCase]?.ResultStatistics?.Mean;
        if (meanNs is null || benchmarkCase.Parameters["Text"] is not string kind)
        {
            return "NA";
        }

        return (meanNs.Value / 1000.0 / BenchTexts.KiB(kind)).ToString("0.00", CultureInfo.InvariantCulture);
    }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
