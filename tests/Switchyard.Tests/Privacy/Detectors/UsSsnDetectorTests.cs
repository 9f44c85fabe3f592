using Switchyard.Privacy.Detectors;

namespace Switchyard.Tests.Privacy.Detectors;

public sealed class UsSsnDetectorTests
{
    private readonly UsSsnDetector _detector = new();

    [Theory]
    [InlineData("536-22-1234", UsSsnDetector.DashedConfidence)]
    [InlineData("001-01-0001", UsSsnDetector.DashedConfidence)]
    [InlineData("899-99-9999", UsSsnDetector.DashedConfidence)]
    [InlineData("536 22 1234", UsSsnDetector.SpacedConfidence)]
    public void FindsFormattedNumbers(string ssn, double confidence)
    {
        Assert.Equal(ssn, Found.Single(_detector, $"Applicant {ssn} signed."));
        Assert.Equal(confidence, Found.Findings(_detector, $"Applicant {ssn} signed.")[0].Confidence);
    }

    [Theory]
    [InlineData("SSN: 536-22-1234", "536-22-1234")]
    [InlineData("Social Security Number 536 22 1234", "536 22 1234")]
    [InlineData("his SS# is 536-22-1234.", "536-22-1234")]
    public void KeywordRaisesConfidence(string text, string ssn)
    {
        Assert.Equal(ssn, Found.Single(_detector, text));
        Assert.Equal(UsSsnDetector.KeywordConfidence, Found.Findings(_detector, text)[0].Confidence);
    }

    [Theory]
    [InlineData("SSN: 536221234")]
    [InlineData("ssn=536221234")]
    [InlineData("Social Security Number 536221234")]
    public void FindsBareDigitsAfterAKeyword(string text)
    {
        Assert.Equal("536221234", Found.Single(_detector, text));
    }

    [Theory]
    [InlineData("000-12-3456")] // area 000
    [InlineData("666-12-3456")] // area 666
    [InlineData("900-12-3456")] // areas 900-999
    [InlineData("999-12-3456")]
    [InlineData("536-00-1234")] // group 00
    [InlineData("536-22-0000")] // serial 0000
    [InlineData("078-05-1120")] // the Woolworth wallet number
    [InlineData("219-09-9999")]
    [InlineData("536221234")] // bare digits without a keyword
    [InlineData("536-22-12345")] // wrong lengths
    [InlineData("5366-22-1234")]
    [InlineData("536-2-1234")]
    [InlineData("1536-22-1234")]
    [InlineData("ID 536-22-1234-7")] // part of a longer id
    [InlineData("x536-22-1234")]
    public void IgnoresInvalidAndLookAlikes(string text)
    {
        Assert.Empty(Found.Values(_detector, text));
    }

    [Fact]
    public void KeywordBelongsToTheNumberRightAfterIt()
    {
        Assert.Equal("536-22-1234", Found.Single(_detector, "SSN: 536-22-1234, order 536221235"));
    }
}
