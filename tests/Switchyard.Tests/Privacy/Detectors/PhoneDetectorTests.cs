using Switchyard.Privacy;
using Switchyard.Privacy.Detectors;

namespace Switchyard.Tests.Privacy.Detectors;

public sealed class PhoneDetectorTests
{
    private readonly PhoneDetector _detector = new();

    [Theory]
    [InlineData("+1 (415) 555-2671")] // US, E.164 with national grouping
    [InlineData("+14155552671")] // E.164, bare
    [InlineData("+44 20 7946 0958")] // UK
    [InlineData("+44 (0)20 7946 0958")] // UK with trunk marker
    [InlineData("+49 30 12345678")] // Germany
    [InlineData("+49-151-23456789")]
    [InlineData("+33 6 12 34 56 78")] // France
    [InlineData("+31 20 123 4567")] // Netherlands
    [InlineData("+34 612 345 678")] // Spain
    [InlineData("+39 06 1234 5678")] // Italy
    [InlineData("+48 22 123 45 67")] // Poland
    [InlineData("+55 11 91234-5678")] // Brazil
    [InlineData("+46 8 123 456 78")] // Sweden
    [InlineData("+7 (912) 345-67-89")] // Russia
    public void FindsInternationalNumbers(string number)
    {
        Assert.Equal(number, Found.Single(_detector, $"Call {number} today."));
        Assert.Equal(PhoneDetector.InternationalConfidence, Found.Findings(_detector, number)[0].Confidence);
    }

    [Fact]
    public void FindsTheZeroZeroInternationalPrefixWithSlightlyLessConfidence()
    {
        PrivacyFinding finding = Assert.Single(Found.Findings(_detector, "Tel 0049 171 1234567"));
        Assert.Equal("0049 171 1234567", "Tel 0049 171 1234567".Substring(finding.Start, finding.Length));
        Assert.True(finding.Confidence is > PhoneDetector.NationalConfidence and < PhoneDetector.InternationalConfidence);
    }

    [Theory]
    [InlineData("(415) 555-2671")]
    [InlineData("415-555-2671")]
    [InlineData("415.555.2671")]
    [InlineData("1-800-555-0199")]
    [InlineData("020 7946 0958")]
    [InlineData("07700 900123")]
    [InlineData("030 12345678")]
    [InlineData("089/1234567")]
    [InlineData("(0761) 1234567")]
    [InlineData("01 23 45 67 89")]
    [InlineData("06.12.34.56.78")]
    [InlineData("06-12345678")]
    [InlineData("(020) 123 4567")]
    [InlineData("612 34 56 78")]
    [InlineData("06 1234 5678")]
    [InlineData("22 123 45 67")]
    [InlineData("(11) 91234-5678")]
    [InlineData("08-123 456 78")]
    [InlineData("8 (912) 345-67-89")]
    [InlineData("(911)512-75-17")]
    public void FindsNationalNumbers(string number)
    {
        Assert.Equal(number, Found.Single(_detector, $"Tel {number}, thanks"));
        Assert.Equal(number, Found.Single(_detector, $"{number} (office)"));
    }

    [Fact]
    public void ThreeThreeThreeGroupingIsReportedAsAmbiguous()
    {
        Assert.Equal(PhoneDetector.AmbiguousConfidence, Assert.Single(Found.Findings(_detector, "Llámame al 912 345 678.")).Confidence);
    }

    [Theory]
    [InlineData("Tel. 0612345678", "0612345678")]
    [InlineData("Handy: 015112345678", "015112345678")]
    [InlineData("mobile 07700900123", "07700900123")]
    [InlineData("tél : 0612345678", "0612345678")]
    public void FindsBareDigitsOnlyAfterAKeyword(string text, string number)
    {
        Assert.Equal(number, Found.Single(_detector, text));
    }

    [Theory]
    [InlineData("Ref. 0612345678")]
    [InlineData("Hotel room 0612345678")] // "tel" inside a word is no keyword
    [InlineData("Tel. 030 123456, ref. 0612345678 ")] // the keyword belongs to the first number
    public void IgnoresBareDigitsWithoutAKeyword(string text)
    {
        Assert.DoesNotContain("0612345678", Found.Values(_detector, text));
    }

    [Theory]
    [InlineData("2024-01-15")]
    [InlineData("15.01.2024")]
    [InlineData("on 2024-01-15 10:30")]
    [InlineData("2024-01-15 12 people")]
    [InlineData("123-45-6789")] // US SSN
    [InlineData("Boston, MA 02134-1234")] // ZIP+4
    [InlineData("1.234.567.890")]
    [InlineData("1 234 567 890 inhabitants")]
    [InlineData("ISBN 978-3-16-148410-0")]
    [InlineData("ISBN 0-306-40615-2")]
    [InlineData("192.168.100.200")]
    [InlineData("OID 1.3.6.1.4.1.311")]
    [InlineData("Order #415-555-2671")]
    [InlineData("INV-2024-123456")]
    [InlineData("4111 1111 1111 1111")] // a card number
    [InlineData("DE89 3704 0044 0532 0130 00")] // an IBAN
    [InlineData("+80 1234 5678")] // no such country code
    [InlineData("+1 415 555 267")] // +1 needs ten more digits
    [InlineData("+49 30 1234567890123")] // more than 15 digits
    [InlineData("Version 10.0.19045.3803")]
    [InlineData("Total: 123,456,789.00")]
    [InlineData("Umsatz 123.456.789,00 €")]
    [InlineData("12:30:45")]
    public void IgnoresLookAlikes(string text)
    {
        Assert.Empty(Found.Values(_detector, text));
    }

    [Fact]
    public void NumberWrittenRightAfterAnotherIsStillFound()
    {
        Assert.Equal("415-555-2671", Found.Single(_detector, "call 415-555-2671 4803 8156 8358"));
        Assert.Equal("+7 993 658-52-96", Found.Single(_detector, "Phone +7 993 658-52-96 000-05-2955"));
    }

    [Fact]
    public void TailOfALongNumberIsNotReportedOnItsOwn()
    {
        Assert.Empty(Found.Values(_detector, "Account 1234 5678 9012 3456 7890"));
    }
}
