using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Switchyard.Configuration;
using Switchyard.Testing;
using Switchyard.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Switchyard.Tests.Privacy.Adversarial;

/// <summary>
/// The privacy boundary against inputs nobody tuned it for: every case of <see cref="AdversarialCorpus"/> (one valid
/// value per request, hidden by one obfuscation in one place of the request) goes through the real gateway on route
/// <c>hosted-first</c> (<c>backup</c>, zone us, before <c>local</c>, zone self). The hosted upstream must receive no
/// body from which <see cref="LeakOracle"/> can recover the value; every request is answered; the ledger has one
/// record per request. A failure lists what leaked by class × obfuscation × position.
/// </summary>
public sealed class AdversarialBoundaryTests(ITestOutputHelper output) : IAsyncLifetime
{
    private const string HostedModel = "backup-up";
    private FakeUpstream _upstream = null!;

    public async Task InitializeAsync() => _upstream = await FakeUpstream.StartAsync();

    public async Task DisposeAsync() => await _upstream.DisposeAsync();

    [Fact]
    public async Task HostedUpstreamCannotRecoverAnyValue_WhateverTheObfuscationOrPosition()
    {
        var cases = AdversarialCorpus.Generate();
        var clock = Stopwatch.StartNew();
        await using var gateway = await TestGateway.StartAsync(_upstream, o => o.Routes["hosted-first"] = new RouteConfig { Candidates = ["backup", "local"] });

        var outcomes = new List<CaseOutcome>(cases.Count);
        int seen = 0, metadataForwarded = 0;
        foreach (var c in cases)
        {
            using var response = await gateway.PostChatAsync(c.Body);
            string? error = response.StatusCode == HttpStatusCode.OK ? null : await response.Content.ReadAsStringAsync();
            var all = _upstream.Requests;
            var received = all.Skip(seen).ToList();
            seen = all.Count;
            bool leaked = received.Any(r => r.Model == HostedModel && LeakOracle.Contains(r.Body, c.Value, c.DataClass));
            if (c.Position == "metadata" && received.Any(r => LeakOracle.Contains(r.Body, c.Value, c.DataClass)))
            {
                metadataForwarded++; // metadata is accepted and dropped: it reaches no upstream, inside or not
            }

            string requestId = response.Headers.TryGetValues("x-request-id", out var ids) ? ids.First() : "";
            outcomes.Add(new CaseOutcome(c, (int)response.StatusCode, error, leaked, string.Join('+', received.Select(r => r.Model)), requestId));
        }

        TimeSpan sending = clock.Elapsed;
        var records = await gateway.StopAndReadLedgerAsync();
        clock.Stop();

        string leaks = AdversarialReport.Leaks(outcomes);
        string failures = AdversarialReport.Failures(outcomes);
        output.WriteLine($"{cases.Count} requests in {sending.TotalSeconds:0.0} s ({sending.TotalMilliseconds / cases.Count:0.00} ms each); with the ledger {clock.Elapsed.TotalSeconds:0.0} s");
        foreach (var served in outcomes.GroupBy(o => o.ServedBy.Length == 0 ? "(no upstream)" : o.ServedBy).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"served by {served.Key}: {served.Count()}");
        }

        output.WriteLine("");
        output.WriteLine(leaks);
        if (failures.Length > 0)
        {
            output.WriteLine("not answered 200:\n" + failures);
        }

        var problems = new List<string>();
        if (failures.Length > 0)
        {
            problems.Add($"{outcomes.Count(o => o.Status != 200)} requests were not answered 200 (the inside model should serve them):\n{failures}");
        }

        if (outcomes.Any(o => o.Leaked))
        {
            problems.Add("the hosted upstream received recoverable values:\n" + leaks);
        }

        if (metadataForwarded > 0)
        {
            problems.Add($"{metadataForwarded} values put in 'metadata' reached an upstream (it should be dropped)");
        }

        var idsOnce = records.GroupBy(r => r.RequestId).Where(g => g.Count() == 1).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        int unrecorded = outcomes.Count(o => !idsOnce.Contains(o.RequestId));
        if (records.Count != cases.Count || unrecorded > 0)
        {
            problems.Add($"the ledger has {records.Count} records for {cases.Count} requests; {unrecorded} requests do not have exactly one record");
        }

        Assert.True(problems.Count == 0, string.Join("\n\n", problems));
    }

    [Fact]
    public void Corpus_CoversEveryClassObfuscationAndPosition_Deterministically()
    {
        var cases = AdversarialCorpus.Generate();
        output.WriteLine(AdversarialReport.Counts(cases));

        Assert.True(cases.Count >= 2000, $"only {cases.Count} cases");
        Assert.Equal(cases.Select(c => c.Body), AdversarialCorpus.Generate().Select(c => c.Body));
        foreach (string dataClass in AdversarialCorpus.DataClasses)
        {
            var ofClass = cases.Where(c => c.DataClass == dataClass).ToList();
            foreach (string obfuscation in AdversarialCorpus.ObfuscationsFor(dataClass))
            {
                Assert.True(ofClass.Count(c => c.Obfuscation == obfuscation) >= 3, $"{dataClass} × {obfuscation}");
            }

            foreach (string position in AdversarialCorpus.Positions)
            {
                Assert.True(ofClass.Count(c => c.Position == position) >= 3, $"{dataClass} × {position}");
            }
        }

        Assert.All(cases, c =>
        {
            using var body = JsonDocument.Parse(c.Body);
            Assert.Equal("hosted-first", body.RootElement.GetProperty("model").GetString());
        });
    }
}
