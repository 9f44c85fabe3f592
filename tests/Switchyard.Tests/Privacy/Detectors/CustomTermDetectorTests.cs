using System.Text.RegularExpressions;
using Switchyard.Privacy;
using Switchyard.Privacy.Detectors;

namespace Switchyard.Tests.Privacy.Detectors;

public sealed class CustomTermDetectorTests
{
    [Fact]
    public void FindsTermsCaseInsensitivelyAsWholeWords()
    {
        var detector = new CustomTermDetector("project_codename", ["Bluebird", "Project Nightingale", "ACME-42"]);
        string text = "BLUEBIRD ships before project nightingale; bluebirds and xACME-42 do not count, (acme-42) does.";
        Assert.Equal(["BLUEBIRD", "project nightingale", "acme-42"], Found.Values(detector, text));
        Assert.All(Found.Findings(detector, text), f => Assert.Equal(("project_codename", CustomTermDetector.DefaultConfidence), (f.DataClass, f.Confidence)));
        Assert.Equal(["project_codename"], detector.DataClasses);
    }

    [Fact]
    public void PrefersTheLongestTermAtAPosition()
    {
        var detector = new CustomTermDetector("project", ["Nightingale", "Nightingale Two"]);
        Assert.Equal(["Nightingale Two"], Found.Values(detector, "the Nightingale Two launch"));
        Assert.Equal(["Nightingale"], Found.Values(detector, "the Nightingale Twofold launch"));
    }

    [Fact]
    public void TermsWithPunctuationAtTheEdgesNeedNoBoundaryThere()
    {
        var detector = new CustomTermDetector("handle", ["@ops-team"]);
        Assert.Equal(["@ops-team"], Found.Values(detector, "ping me@ops-team now"));
        Assert.Empty(Found.Values(detector, "ping @ops-teamx"));
    }

    [Fact]
    public void FindsPatternMatches()
    {
        var detector = new CustomTermDetector("customer_id", patterns: [@"\bCUST-\d{6}\b", @"(?i)\bacct#\d+"], confidence: 0.8);
        Assert.Equal(["CUST-123456", "ACCT#77"], Found.Values(detector, "CUST-123456 and CUST-1234567 and ACCT#77"));
        Assert.All(Found.Findings(detector, "CUST-123456"), f => Assert.Equal(0.8, f.Confidence));
    }

    [Fact]
    public void CombinesTermsAndPatterns()
    {
        var detector = new CustomTermDetector("internal", ["Bluebird"], [@"\bJIRA-\d+\b"]);
        Assert.Equal(["Bluebird", "JIRA-881"], Found.Values(detector, "Bluebird is tracked in JIRA-881."));
    }

    [Fact]
    public void RejectsBadConfiguration()
    {
        Assert.Throws<ArgumentException>(() => new CustomTermDetector(" ", ["x"]));
        Assert.Throws<ArgumentException>(() => new CustomTermDetector("empty", [" ", ""], []));
        Assert.Throws<ArgumentException>(() => new CustomTermDetector("bad", patterns: ["(unclosed"]));
        Assert.Throws<ArgumentOutOfRangeException>(() => new CustomTermDetector("c", ["x"], confidence: 1.5));
    }

    [Fact]
    public void PatternTimeoutSurfaces()
    {
        var detector = new CustomTermDetector("slow", patterns: [@"^(\w+\s?)*$"], matchTimeout: TimeSpan.FromMilliseconds(10));
        string text = string.Concat(Enumerable.Repeat("word ", 40)) + "!";
        Assert.Throws<RegexMatchTimeoutException>(() => detector.Detect(text, []));
    }

    [Fact]
    public void RunsWithTheDefaultScanner()
    {
        PrivacyScanner scanner = PrivacyScanner.CreateDefault([new CustomTermDetector("project", ["Bluebird"])]);
        IReadOnlyList<PrivacyFinding> findings = scanner.Scan("Bluebird: mail ops@example.com");
        Assert.Equal(["project", DataClasses.Email], findings.Select(f => f.DataClass));
    }
}
