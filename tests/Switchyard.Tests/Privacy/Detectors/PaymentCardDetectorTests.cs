using Switchyard.Privacy;
using Switchyard.Privacy.Detectors;

namespace Switchyard.Tests.Privacy.Detectors;

public sealed class PaymentCardDetectorTests
{
    private readonly PaymentCardDetector _detector = new();

    [Theory]
    [InlineData("4111111111111111")] // Visa
    [InlineData("4111 1111 1111 1111")]
    [InlineData("4111-1111-1111-1111")]
    [InlineData("4222222222222")] // Visa, 13 digits
    [InlineData("5555 5555 5555 4444")] // Mastercard 51-55
    [InlineData("2223 0031 2200 3222")] // Mastercard 2-series
    [InlineData("3782 822463 10005")] // American Express, 4-6-5
    [InlineData("371449635398431")]
    [InlineData("6011 1111 1111 1117")] // Discover
    [InlineData("3530 1113 3330 0000")] // JCB
    [InlineData("3056 930902 5904")] // Diners Club, 4-6-4
    [InlineData("6200 0000 0000 0005")] // UnionPay
    [InlineData("6759 6498 2643 8453")] // Maestro (UK)
    [InlineData("4012 8888 8888 1881 128")] // Visa, 19 digits
    public void FindsValidCardNumbers(string number)
    {
        foreach (string text in new[] { number, $"Card: {number}.", $"pay with {number}, thanks", $"numéro de carte {number}" })
        {
            Assert.Equal(number, Found.Single(_detector, text));
        }

        Assert.Equal(PaymentCardDetector.Confidence, Found.Findings(_detector, number)[0].Confidence);
    }

    [Theory]
    [InlineData("Card 4111 1111 1111 1111 exp 12/27", "4111 1111 1111 1111")]
    [InlineData("Card 4111 1111 1111 1111 12/27", "4111 1111 1111 1111")]
    [InlineData("CC: 5555555555554444, CVV 123", "5555555555554444")]
    [InlineData("card=4111111111111111&cvv=123", "4111111111111111")]
    public void FindsCardNumbersInContext(string text, string number)
    {
        Assert.Equal(number, Found.Single(_detector, text));
    }

    [Theory]
    [InlineData("4111 1111 1111 1112")] // Luhn fails
    [InlineData("5555 5555 5555 4445")]
    [InlineData("1234 5678 9012 3452")] // Luhn holds, but no issuer starts with 1
    [InlineData("9111 1111 1111 1110")]
    [InlineData("3782 822463 1000")] // Amex prefix, wrong length
    [InlineData("4111 1111 1111 111")] // Visa of 15 digits
    [InlineData("411111111111")] // too short
    [InlineData("4111 1111 1111 1111 2222")] // part of a longer number
    [InlineData("Account 6251 2402 2706 4233 8296")]
    [InlineData("4111111111111111.50")] // an amount
    [InlineData("DE89 3704 0044 0532 0130 00")] // an IBAN
    [InlineData("2024-01-15 12:00")]
    public void IgnoresLookAlikes(string text)
    {
        Assert.Empty(Found.Values(_detector, text));
    }

    [Fact]
    public void ReportsEveryClass()
    {
        Assert.Equal([DataClasses.PaymentCard], _detector.DataClasses);
    }
}
