using Switchyard.Privacy;
using Switchyard.Privacy.Detectors;

namespace Switchyard.Tests.Privacy.Detectors;

public sealed class PrivacyScannerTests
{
    [Fact]
    public void CreateDefaultCoversEveryBuiltInClass()
    {
        PrivacyScanner scanner = PrivacyScanner.CreateDefault();
        Assert.Equal(DataClasses.All.Order(StringComparer.Ordinal), scanner.Detectors.SelectMany(d => d.DataClasses).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void CreateDefaultAppendsExtras()
    {
        var extra = new CustomTermDetector("project", ["Bluebird"]);
        PrivacyScanner scanner = PrivacyScanner.CreateDefault([extra]);
        Assert.Same(extra, scanner.Detectors[^1]);
        Assert.Equal(DataClasses.All.Count + 1, scanner.Detectors.Count);
    }

    [Fact]
    public void ScansAMixedPrompt()
    {
        string text = "Hi, I'm Jane (jane.doe@example.com, +44 20 7946 0958). Card 4111 1111 1111 1111, IBAN DE89 3704 0044 0532 0130 00, "
            + "SSN 536-22-1234, NI AB123456C, from 192.168.1.20 with key AKIAIOSFODNN7EXAMPLE. Meeting 2024-01-15 at 10:30, order #12345.";
        IReadOnlyList<PrivacyFinding> findings = PrivacyScanner.CreateDefault().Scan(text);
        Assert.Equal(
            [
                (DataClasses.Email, "jane.doe@example.com"), (DataClasses.Phone, "+44 20 7946 0958"), (DataClasses.PaymentCard, "4111 1111 1111 1111"),
                (DataClasses.Iban, "DE89 3704 0044 0532 0130 00"), (DataClasses.UsSsn, "536-22-1234"), (DataClasses.UkNino, "AB123456C"),
                (DataClasses.IpAddress, "192.168.1.20"), (DataClasses.Secret, "AKIAIOSFODNN7EXAMPLE"),
            ],
            findings.Select(f => (f.DataClass, text.Substring(f.Start, f.Length))));
    }

    [Fact]
    public void OrdinaryProseHasNoFindings()
    {
        string text = "The quarterly review is on Tuesday. Revenue grew 12% to 4.5 million, and the team of 27 shipped version 2.3.1 "
            + "after 1,024 tests in 3 hours. Call it a risk-free, task-based plan; the secret is patience.";
        Assert.Empty(PrivacyScanner.CreateDefault().Scan(text));
    }

    [Fact]
    public void DropsEmptyFindings()
    {
        var scanner = new PrivacyScanner([new FixedDetector([new("x", 3, 0, 1.0)])]);
        Assert.Empty(scanner.Scan("some text"));
    }

    [Theory]
    [InlineData(5)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(200)]
    [InlineData(3000)]
    public void OverlapResolutionMatchesTheQuadraticDefinition(int count)
    {
        var random = new Random(count);
        for (int round = 0; round < 20; round++)
        {
            var raw = new List<PrivacyFinding>();
            for (int i = 0; i < count; i++)
            {
                int start = random.Next(0, count * 3);
                raw.Add(new PrivacyFinding("c", start, random.Next(0, 12), random.Next(0, 5) / 4.0));
            }

            string text = new('x', (count * 3) + 20);
            IReadOnlyList<PrivacyFinding> actual = new PrivacyScanner([new FixedDetector(raw)]).Scan(text);
            Assert.Equal(Reference(raw), actual);
        }
    }

    [Fact]
    public void ResolvesManyOverlaps()
    {
        // 200,000 findings all overlapping their neighbours (speed is measured in bench/, not asserted here).
        var raw = new List<PrivacyFinding>();
        for (int i = 0; i < 200_000; i++)
        {
            raw.Add(new PrivacyFinding("c", i, 2, 1.0));
        }

        IReadOnlyList<PrivacyFinding> kept = new PrivacyScanner([new FixedDetector(raw)]).Scan(new string('x', 200_002));
        Assert.Equal(100_000, kept.Count);
        Assert.All(kept, f => Assert.Equal(0, f.Start % 2));
    }

    /// <summary>The documented rule, written the obvious way: best first, keep what overlaps nothing kept.</summary>
    private static List<PrivacyFinding> Reference(List<PrivacyFinding> raw)
    {
        var ranked = raw.Where(f => f.Length > 0)
            .OrderByDescending(f => f.Confidence).ThenByDescending(f => f.Length).ThenBy(f => f.Start).ToList();
        var kept = new List<PrivacyFinding>();
        foreach (PrivacyFinding f in ranked)
        {
            if (!kept.Any(k => f.Start < k.End && k.Start < f.End))
            {
                kept.Add(f);
            }
        }

        return [.. kept.OrderBy(f => f.Start)];
    }

    private sealed class FixedDetector(List<PrivacyFinding> findings) : IPrivacyDetector
    {
        public IReadOnlyList<string> DataClasses { get; } = ["x"];

        public void Detect(string text, List<PrivacyFinding> found) => found.AddRange(findings);
    }
}
