using Switchyard.Privacy.Detectors;

namespace Switchyard.Tests.Privacy.Detectors;

public sealed class UkNinoDetectorTests
{
    private readonly UkNinoDetector _detector = new();

    [Theory]
    [InlineData("AB123456C")]
    [InlineData("AB 12 34 56 C")]
    [InlineData("AB 123456 C")]
    [InlineData("JG103759A")]
    [InlineData("ZY 99 00 01 D")]
    [InlineData("ce123456d")]
    public void FindsNumbers(string nino)
    {
        foreach (string text in new[] { nino, $"NI number: {nino}.", $"employee ({nino}) started", $"{nino}, London" })
        {
            Assert.Equal(nino, Found.Single(_detector, text));
        }

        Assert.Equal(UkNinoDetector.Confidence, Found.Findings(_detector, nino)[0].Confidence);
    }

    [Theory]
    [InlineData("NI number: AB123456", "AB123456")]
    [InlineData("National Insurance number AB 12 34 56", "AB 12 34 56")]
    [InlineData("NINO: ab 12 34 56 c", "ab 12 34 56 c")]
    public void FindsLooseFormsOnlyAfterAKeyword(string text, string nino)
    {
        Assert.Equal(nino, Found.Single(_detector, text));
        Assert.Equal(UkNinoDetector.NoSuffixConfidence, Found.Findings(_detector, text)[0].Confidence);
    }

    [Theory]
    [InlineData("DA123456A")] // D is never a first letter
    [InlineData("FA123456A")]
    [InlineData("QA123456A")]
    [InlineData("AO123456A")] // O is never a second letter
    [InlineData("AV123456A")]
    [InlineData("GB123456A")] // prefixes never issued
    [InlineData("BG123456A")]
    [InlineData("NK123456A")]
    [InlineData("ZZ123456A")]
    [InlineData("AB123456E")] // suffix beyond D
    [InlineData("AB12345C")] // five digits
    [InlineData("AB1234567C")]
    [InlineData("AB123456")] // no suffix, no keyword
    [InlineData("XAB123456C")] // glued to a word
    [InlineData("AB123456CD")]
    [InlineData("Ab123456C")] // mixed case
    [InlineData("arrived at 123456 a.m.")] // lower case after a short word
    public void IgnoresInvalidAndLookAlikes(string text)
    {
        Assert.Empty(Found.Values(_detector, text));
    }
}
