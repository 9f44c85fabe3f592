using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Switchyard.Configuration;
using Switchyard.Testing;
using Switchyard.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Switchyard.Tests.Privacy.Adversarial;

/// <summary>
/// The other side of the boundary: ordinary requests (<see cref="BenignCorpus"/>: prose, code, logs, identifiers,
/// numbers, encodings of harmless text …) must still be served by the hosted model. Each one kept inside is a false
/// positive; their share must stay under 1 %. The output lists the categories kept inside, with the classes the
/// ledger recorded for them and a sample.
/// </summary>
/// <remarks>
/// Baseline before the scanner hardening of issue 14 (commit c97e8a7): 67 of 1,620 = 4.14 % — every
/// <c>base64_config</c> request (60, the base64 blob taken for a high-entropy <c>secret</c>), 6 <c>hex_dump</c>
/// requests and 1 <c>uuid</c> (digit groups of the hex taken for a <c>phone</c> number).
/// </remarks>
public sealed class BenignRoutingTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string InsideModel = "local-up";
    private FakeUpstream _upstream = null!;

    public async Task InitializeAsync() => _upstream = await FakeUpstream.StartAsync();

    public async Task DisposeAsync() => await _upstream.DisposeAsync();

    [Fact]
    public async Task BenignRequests_StayOnTheHostedModel_FalsePositivesUnderOnePercent()
    {
        var cases = BenignCorpus.Generate();
        var clock = Stopwatch.StartNew();
        await using var gateway = await TestGateway.StartAsync(_upstream, o => o.Routes["hosted-first"] = new RouteConfig { Candidates = ["backup", "local"] });

        var outcomes = new List<(BenignCase Case, int Status, string ServedBy, string RequestId)>(cases.Count);
        int seen = 0;
        foreach (var c in cases)
        {
            using var response = await gateway.PostChatAsync(c.Body);
            var all = _upstream.Requests;
            string servedBy = all.Count > seen ? all[^1].Model : "";
            seen = all.Count;
            string requestId = response.Headers.TryGetValues("x-request-id", out var ids) ? ids.First() : "";
            outcomes.Add((c, (int)response.StatusCode, servedBy, requestId));
        }

        var records = (await gateway.StopAndReadLedgerAsync()).ToDictionary(r => r.RequestId, StringComparer.Ordinal);
        clock.Stop();

        var inside = outcomes.Where(o => o.ServedBy == InsideModel).ToList();
        double share = (double)inside.Count / cases.Count;
        var report = new StringBuilder();
        report.Append(CultureInfo.InvariantCulture, $"false positives: {inside.Count} of {cases.Count} benign requests served inside = {share * 100:0.00} % ({clock.Elapsed.TotalSeconds:0.0} s)\n");
        foreach (var category in inside.GroupBy(o => o.Case.Category).OrderByDescending(g => g.Count()))
        {
            var classes = category
                .SelectMany(o => records.TryGetValue(o.RequestId, out var r) ? PrivacyClasses(r.DecisionJson) : ["(no ledger record)"])
                .GroupBy(c => c, StringComparer.Ordinal)
                .Select(g => $"{g.Key} ×{g.Count()}");
            report.Append(CultureInfo.InvariantCulture, $"  {category.Key,-16} {category.Count(),4}/{BenignCorpus.PerCategory}  classes: {string.Join(", ", classes)}\n");
            foreach (var sample in category.Take(2))
            {
                string text = sample.Case.Sample.ReplaceLineEndings("⏎");
                report.Append(CultureInfo.InvariantCulture, $"      e.g. {(text.Length > 160 ? text[..160] + "…" : text)}\n");
            }
        }

        output.WriteLine(report.ToString());

        var failed = outcomes.Where(o => o.Status != (int)HttpStatusCode.OK).ToList();
        Assert.True(failed.Count == 0, $"{failed.Count} benign requests were not answered 200: " + string.Join(", ", failed.Take(10).Select(o => $"{o.Case.Category} HTTP {o.Status}")));
        Assert.Equal(cases.Count, records.Count);
        Assert.True(share < 0.01, report.ToString());
    }

    private static List<string> PrivacyClasses(string decisionJson)
    {
        using var decision = JsonDocument.Parse(decisionJson);
        if (!decision.RootElement.TryGetProperty("privacy", out var privacy) || !privacy.TryGetProperty("classes", out var classes) || classes.ValueKind != JsonValueKind.Object)
        {
            return ["(none recorded)"];
        }

        return [.. classes.EnumerateObject().Select(c => c.Name)];
    }
}
