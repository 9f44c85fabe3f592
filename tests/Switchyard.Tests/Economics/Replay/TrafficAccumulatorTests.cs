using Switchyard.Economics.Replay;
using Switchyard.Storage.Ledger;

namespace Switchyard.Tests.Economics.Replay;

public sealed class TrafficAccumulatorTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("traffic-").FullName;
    private string _ledger = null!;

    public async Task InitializeAsync() => _ledger = await SyntheticLedger.CreateAsync(_dir);

    public Task DisposeAsync()
    {
        Directory.Delete(_dir, recursive: true);
        return Task.CompletedTask;
    }

    private TrafficSummary Summarize(DateTimeOffset from, DateTimeOffset to)
    {
        var accumulator = new TrafficAccumulator();
        foreach (var record in new LedgerReader(_ledger).Between(from, to))
        {
            accumulator.Add(record);
        }

        return accumulator.Build(from, to);
    }

    [Fact]
    public void WholeLedger_KnownTotalsPeakAndPerModel()
    {
        var s = Summarize(SyntheticLedger.Start, SyntheticLedger.Start.AddDays(2));

        Assert.Equal(SyntheticLedger.LocalRequests + SyntheticLedger.HostedRequests, s.Requests);
        Assert.Equal(SyntheticLedger.InputTokens, s.InputTokens);
        Assert.Equal(SyntheticLedger.CachedTokens, s.CachedInputTokens);
        Assert.Equal(SyntheticLedger.OutputTokens, s.OutputTokens);
        Assert.Equal(SyntheticLedger.RecordedCost, s.RecordedCost);
        Assert.Equal(2.0, s.Days, 9);
        Assert.Equal(SyntheticLedger.OutputTokens / (2 * 86400.0), s.MeanOutputTokensPerSecond, 9);
        Assert.Equal(SyntheticLedger.BurstMinuteOutput / 60.0, s.PeakOutputTokensPerSecond, 9);
        Assert.Equal(s.PeakOutputTokensPerSecond / s.MeanOutputTokensPerSecond, s.PeakToMean, 9);

        Assert.Equal(["local", "gpt-4o"], s.ByModel.Select(m => m.Model));
        var hosted = s.ByModel[1];
        Assert.Equal(("us", 96L, 96 * 400L, 0.96m), (hosted.Zone, hosted.Requests, hosted.OutputTokens, hosted.Cost));
    }

    [Fact]
    public void Window_SelectsRecordsByTime_EndExclusive()
    {
        // Day one only: 144 local and 48 hosted requests, no burst.
        var s = Summarize(SyntheticLedger.Start, SyntheticLedger.Start.AddDays(1));

        Assert.Equal(144 + 48, s.Requests);
        Assert.Equal((144 * 200L) + (48 * 400L), s.OutputTokens);
        Assert.Equal(0.48m, s.RecordedCost);
        Assert.Equal(600 / 60.0, s.PeakOutputTokensPerSecond, 9);
    }

    [Fact]
    public void YoungLedger_RatesAreOverTheWholeWindow_FirstRecordReported()
    {
        var s = Summarize(SyntheticLedger.Start.AddDays(-28), SyntheticLedger.Start.AddDays(2));
        Assert.Equal(SyntheticLedger.Start.AddDays(-28), s.From);
        Assert.Equal(30.0, s.Days, 9);
        Assert.Equal(SyntheticLedger.Start, s.FirstRecord);
        Assert.Equal((SyntheticLedger.LocalRequests + SyntheticLedger.HostedRequests) / 30.0, s.RequestsPerDay, 9);
    }
}
