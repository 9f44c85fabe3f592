using Switchyard.Metering;
using Switchyard.Storage.Ledger;

namespace Switchyard.Tests.Economics.Replay;

/// <summary>
/// A real SQLite ledger with known traffic: over two days from <see cref="Start"/>, every 10 minutes one request to
/// <c>local</c> (zone self, 1,000 in / 200 out, free) and every 30 minutes one to <c>gpt-4o</c> (zone us, 2,000 in of
/// which 500 cached / 400 out, $0.01), plus a burst of 20 <c>local</c> requests in one minute on day two, and refused
/// requests with no tokens ($0).
/// </summary>
internal static class SyntheticLedger
{
    public static readonly DateTimeOffset Start = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    public const int LocalRequests = 288 + 20;
    public const int HostedRequests = 96;
    public const long InputTokens = LocalRequests * 1000L + HostedRequests * 2000L;
    public const long CachedTokens = HostedRequests * 500L;
    public const long OutputTokens = LocalRequests * 200L + HostedRequests * 400L;
    public const decimal RecordedCost = HostedRequests * 0.01m;

    /// <summary>The busiest minute: the burst (20 × 200) plus the regular local and hosted requests that fall in it.</summary>
    public const long BurstMinuteOutput = (20 * 200) + 200 + 400;

    public static async Task<string> CreateAsync(string directory)
    {
        var path = Path.Combine(directory, "ledger.db");
        await using var store = Switchyard.Storage.SwitchyardStore.Open(new Switchyard.Configuration.SwitchyardOptions { Ledger = { Path = path } });
        var ledger = store.Ledger;
        var n = 0;
        for (var minute = 0; minute < 2 * 24 * 60; minute += 10)
        {
            var t = Start.AddMinutes(minute);
            await ledger.WriteAsync(Record(t, ++n, "local", "self", 1000, 0, 200, 0m));
            if (minute % 30 == 0)
            {
                await ledger.WriteAsync(Record(t.AddSeconds(5), ++n, "gpt-4o", "us", 2000, 500, 400, 0.01m));
                await ledger.WriteAsync(Record(t.AddSeconds(6), ++n, null, null, 0, 0, 0, 0m, "error"));
            }
        }

        var burst = Start.AddDays(1).AddHours(12);
        for (var i = 0; i < 20; i++)
        {
            await ledger.WriteAsync(Record(burst.AddSeconds(i), ++n, "local", "self", 1000, 0, 200, 0m));
        }

        return path;
    }

    private static LedgerRecord Record(DateTimeOffset t, int n, string? model, string? zone, long input, long cached, long output, decimal cost, string status = "ok") =>
        new(t, $"req{n}", null, "default", model, model is null ? null : "p", zone, "{}", input, output, cached, cost, 10, null, status, status == "ok" ? 200 : 503, null, false);
}
