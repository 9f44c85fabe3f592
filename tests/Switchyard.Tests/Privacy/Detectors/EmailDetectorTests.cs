using Switchyard.Privacy;
using Switchyard.Privacy.Detectors;

namespace Switchyard.Tests.Privacy.Detectors;

public sealed class EmailDetectorTests
{
    private readonly EmailDetector _detector = new();

    [Theory]
    [InlineData("john.doe@example.com")]
    [InlineData("JOHN.DOE@EXAMPLE.CO.UK")]
    [InlineData("o'brien@example.ie")]
    [InlineData("first.last+newsletter@mail.sub.example.org")]
    [InlineData("user_name-1%x@example-domain.com.br")]
    [InlineData("josé.garcía@correo.es")]
    [InlineData("müller@bücher.de")]
    [InlineData("ivan@пример.рф")]
    [InlineData("info@xn--bcher-kva.de")]
    public void FindsAddresses(string address)
    {
        foreach (string text in new[] { address, $"Contact {address}.", $"<{address}>", $"mailto:{address}", $"\"{address}\", then", $"({address})" })
        {
            Assert.Equal(address, Found.Single(_detector, text));
        }
    }

    [Fact]
    public void ReportsConfidenceAndPosition()
    {
        PrivacyFinding f = Assert.Single(Found.Findings(_detector, "Mail anna@example.com today"));
        Assert.Equal((DataClasses.Email, 5, 16, EmailDetector.Confidence), (f.DataClass, f.Start, f.Length, f.Confidence));
    }

    [Fact]
    public void FindsSeveralInOneText()
    {
        Assert.Equal(["a@example.com", "b.c@example.org"], Found.Values(_detector, "a@example.com, b.c@example.org; @handle"));
    }

    [Theory]
    [InlineData("follow @someone on social media")]
    [InlineData("root@localhost")]
    [InlineData("<img src=\"icon@2x.png\">")]
    [InlineData("npm i lodash@4.17.21")]
    [InlineData("a@b.c")]
    [InlineData("john..doe@example.com")]
    [InlineData("john.@example.com")]
    [InlineData("user@-example.com")]
    [InlineData("user@example-.com")]
    [InlineData("user@example.c0m")]
    [InlineData("a@b@example.com")]
    [InlineData("@")]
    public void IgnoresLookAlikes(string text)
    {
        Assert.Empty(Found.Values(_detector, text));
    }

    [Fact]
    public void RejectsOverlongLocalPart()
    {
        Assert.Empty(Found.Values(_detector, new string('a', 65) + "@example.com"));
        Assert.Equal(new string('a', 64) + "@example.com", Found.Single(_detector, new string('a', 64) + "@example.com"));
    }
}
