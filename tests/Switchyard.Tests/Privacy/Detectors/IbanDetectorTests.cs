using Switchyard.Privacy.Detectors;

namespace Switchyard.Tests.Privacy.Detectors;

public sealed class IbanDetectorTests
{
    private readonly IbanDetector _detector = new();

    [Theory]
    [InlineData("DE89370400440532013000")]
    [InlineData("DE89 3704 0044 0532 0130 00")]
    [InlineData("GB29 NWBK 6016 1331 9268 19")]
    [InlineData("FR14 2004 1010 0505 0001 3M02 606")]
    [InlineData("NL91ABNA0417164300")]
    [InlineData("ES91 2100 0418 4502 0005 1332")]
    [InlineData("IT60X0542811101000000123456")]
    [InlineData("PL61 1090 1014 0000 0712 1981 2874")]
    [InlineData("CH93 0076 2011 6238 5295 7")]
    [InlineData("BE68539007547034")]
    [InlineData("AT61 1904 3002 3457 3201")]
    [InlineData("NO9386011117947")]
    [InlineData("SE45 5000 0000 0583 9825 7466")]
    [InlineData("SA03 8000 0000 6080 1016 7519")]
    [InlineData("BR97 0036 0305 0000 1000 9795 493P 1")]
    [InlineData("de89370400440532013000")]
    public void FindsValidIbans(string iban)
    {
        foreach (string text in new[] { iban, $"IBAN: {iban}.", $"Konto {iban}, BIC COBADEFFXXX", $"({iban})" })
        {
            Assert.Equal(iban, Found.Single(_detector, text));
        }

        Assert.Equal(IbanDetector.Confidence, Found.Findings(_detector, iban)[0].Confidence);
    }

    [Theory]
    [InlineData("DE89370400440532013001")] // check digits do not match
    [InlineData("DE88 3704 0044 0532 0130 00")]
    [InlineData("DE8937040044053201300")] // one short for Germany
    [InlineData("DE893704004405320130000")] // one long
    [InlineData("XX89370400440532013000")] // no such country
    [InlineData("De89370400440532013000")] // mixed case
    [InlineData("ABDE89370400440532013000")] // glued to a word
    [InlineData("NL91ABNA0417164300X")]
    public void IgnoresLookAlikes(string text)
    {
        Assert.Empty(Found.Values(_detector, text));
    }

    [Fact]
    public void StopsAtTheCountryLengthWhenWordsFollow()
    {
        Assert.Equal("NL91 ABNA 0417 1643 00", Found.Single(_detector, "NL91 ABNA 0417 1643 00 is my account"));
    }
}
