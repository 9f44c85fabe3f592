using Switchyard.Privacy;
using Switchyard.PrivacyBench.Corpus;
using Xunit.Abstractions;

namespace Switchyard.Tests.Privacy.Detectors;

/// <summary>
/// Precision and recall of the default scanner per data class on a Bogus-generated corpus: texts in twelve locales
/// with labelled values and unlabelled look-alikes (see <see cref="PrivacyCorpus"/>; the same generator drives
/// <c>bench/Switchyard.PrivacyBench --quality</c>).
/// </summary>
public sealed class CorpusQualityTests(ITestOutputHelper output)
{
    private const int Samples = 4000;
    private const int Seed = 424242;

    /// <summary>
    /// Floors per class, a little under what was measured on this corpus (4000 samples, seed 424242, 5,609 labelled
    /// values, 680-740 per class; the bench's 50,000-sample run gives the same picture):
    /// <code>
    /// class          labels   TP  FP  FN  precision  recall
    /// email             699  699   0   0   100.00 %  100.00 %
    /// iban              701  701   0   0   100.00 %  100.00 %
    /// ip_address        710  710   0   0   100.00 %  100.00 %
    /// payment_card      687  682   0   5   100.00 %   99.27 %  (a card run straight into another grouped number)
    /// phone             681  677   1   4    99.85 %   99.41 %  (FP: a keyword ("mobile") before a reference number)
    /// secret            711  688   0  23   100.00 %   96.77 %  (lower-case/hex tokens that nothing names: missed by design)
    /// uk_nino           740  740   0   0   100.00 %  100.00 %
    /// us_ssn            680  680   0   0   100.00 %  100.00 %
    /// </code>
    /// The generator and the detectors were written together, so these are in-distribution figures: they show that
    /// every listed format is found and every listed decoy is passed over, not how the detectors fare on real prompts.
    /// </summary>
    private static readonly Dictionary<string, (double Precision, double Recall)> Floors = new(StringComparer.Ordinal)
    {
        [DataClasses.Email] = (0.99, 0.99),
        [DataClasses.Iban] = (0.99, 0.99),
        [DataClasses.IpAddress] = (0.99, 0.99),
        [DataClasses.PaymentCard] = (0.99, 0.98),
        [DataClasses.Phone] = (0.99, 0.98),
        [DataClasses.Secret] = (0.99, 0.95),
        [DataClasses.UkNino] = (0.99, 0.99),
        [DataClasses.UsSsn] = (0.99, 0.99),
    };

    private static readonly Lazy<List<LabelledSample>> Corpus = new(() => PrivacyCorpus.Generate(Samples, Seed));

    [Fact]
    public void MeetsPrecisionAndRecallFloorsPerClass()
    {
        Dictionary<string, ClassScore> scores = DetectionQuality.Evaluate(PrivacyScanner.CreateDefault(), Corpus.Value);
        output.WriteLine(DetectionQuality.FormatTable(scores));
        Assert.All(Floors, floor =>
        {
            ClassScore score = scores[floor.Key];
            Assert.True(score.Labels >= 300, $"{floor.Key}: only {score.Labels} labelled values");
            Assert.True(score.Precision >= floor.Value.Precision, $"{floor.Key}: precision {score.Precision:P2} < {floor.Value.Precision:P0}");
            Assert.True(score.Recall >= floor.Value.Recall, $"{floor.Key}: recall {score.Recall:P2} < {floor.Value.Recall:P0}");
        });
    }

    [Fact]
    public void CorpusIsDeterministicAndMultilingual()
    {
        List<LabelledSample> again = PrivacyCorpus.Generate(200, Seed);
        Assert.Equal(Corpus.Value.Take(200).Select(s => s.Text), again.Select(s => s.Text));
        Assert.True(Corpus.Value.Select(s => s.Locale).Distinct().Count() >= 10);
        Assert.All(Corpus.Value.Take(500), s => Assert.All(s.Labels, l => Assert.InRange(l.End, 1, s.Text.Length)));
    }

    [Fact]
    public void DecoysAreInTheCorpus()
    {
        // Look-alikes the detectors must pass over: a corpus without them would measure recall only.
        string all = string.Join("\n", Corpus.Value.Select(s => s.Text));
        Assert.Contains("OID 1.3.6.1.4.1.", all, StringComparison.Ordinal);
        Assert.Contains("Order #", all, StringComparison.Ordinal);
        Assert.Contains("commit ", all, StringComparison.Ordinal);
        Assert.Contains("MAC ", all, StringComparison.Ordinal);
    }
}
