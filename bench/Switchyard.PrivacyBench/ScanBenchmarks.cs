using BenchmarkDotNet.Attributes;
using Switchyard.Privacy;
using Switchyard.Privacy.Detectors;

namespace Switchyard.PrivacyBench;

/// <summary>The whole default scanner (every built-in detector plus overlap resolution) over each kind of prompt.</summary>
[MemoryDiagnoser]
public class ScanBenchmarks
{
    private PrivacyScanner _scanner = null!;
    private string _text = "";

    [ParamsSource(nameof(Kinds))]
    public string Text { get; set; } = "prose";

    public static IEnumerable<string> Kinds => BenchTexts.Kinds;

    [GlobalSetup]
    public void Setup()
    {
        _scanner = PrivacyScanner.CreateDefault();
        _text = BenchTexts.Get(Text);
    }

    [Benchmark]
    public int Scan() => _scanner.Scan(_text).Count;
}

/// <summary>Each built-in detector alone, to see where the time goes.</summary>
[MemoryDiagnoser]
public class DetectorBenchmarks
{
    private static readonly Dictionary<string, Func<IPrivacyDetector>> Factories = new(StringComparer.Ordinal)
    {
        ["email"] = () => new EmailDetector(),
        ["phone"] = () => new PhoneDetector(),
        ["card"] = () => new PaymentCardDetector(),
        ["iban"] = () => new IbanDetector(),
        ["ssn"] = () => new UsSsnDetector(),
        ["nino"] = () => new UkNinoDetector(),
        ["ip"] = () => new IpAddressDetector(),
        ["secret"] = () => new SecretDetector(),
        ["custom"] = () => new CustomTermDetector("project", ["Bluebird", "Project Nightingale", "ACME-ULTRA"], [@"\bCUST-\d{6}\b"]),
    };

    private readonly List<PrivacyFinding> _findings = [];
    private IPrivacyDetector _detector = null!;
    private string _text = "";

    [ParamsSource(nameof(Detectors))]
    public string Detector { get; set; } = "email";

    [ParamsSource(nameof(Kinds))]
    public string Text { get; set; } = "prose";

    public static IEnumerable<string> Detectors => Factories.Keys;

    public static IEnumerable<string> Kinds => BenchTexts.Kinds;

    [GlobalSetup]
    public void Setup()
    {
        _detector = Factories[Detector]();
        _text = BenchTexts.Get(Text);
    }

    [Benchmark]
    public int Detect()
    {
        _findings.Clear();
        _detector.Detect(_text, _findings);
        return _findings.Count;
    }
}
