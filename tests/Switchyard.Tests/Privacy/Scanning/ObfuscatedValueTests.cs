using System.Text;
using Switchyard.Privacy;

namespace Switchyard.Tests.Privacy.Scanning;

/// <summary>
/// The scanner reads text as a person would: values hidden by invisible characters, compatibility forms, escapes,
/// obfuscated e-mail, split digit groups and encodings are found, and reported on the original characters.
/// </summary>
public sealed class ObfuscatedValueTests
{
    private static readonly PrivacyScanner Scanner = PrivacyScanner.CreateDefault();

    public static TheoryData<string, string, string> Hidden() => new()
    {
        // invisible characters inside the value
        { "write to ali\u200Bce@exam\u2060ple.com now", DataClasses.Email, "ali\u200Bce@exam\u2060ple.com" },
        { "card 4111\u200C1111\uFEFF1111\u200D1111 ok", DataClasses.PaymentCard, "4111\u200C1111\uFEFF1111\u200D1111" },
        { "card 4111\u00AD1111\u00AD1111\u00AD1111.", DataClasses.PaymentCard, "4111\u00AD1111\u00AD1111\u00AD1111" },
        // NFKC: full-width and mathematical forms
        { "mail alice\uFF20example.com please", DataClasses.Email, "alice\uFF20example.com" },
        { "card \uFF14\uFF11\uFF11\uFF11\uFF11\uFF11\uFF11\uFF11\uFF11\uFF11\uFF11\uFF11\uFF11\uFF11\uFF11\uFF11 thanks", DataClasses.PaymentCard, "\uFF14\uFF11\uFF11\uFF11\uFF11\uFF11\uFF11\uFF11\uFF11\uFF11\uFF11\uFF11\uFF11\uFF11\uFF11\uFF11" },
        // digit groups split by dots, slashes, spaces and line breaks; a card inside a word
        { "pay with 4111.1111.1111.1111 today", DataClasses.PaymentCard, "4111.1111.1111.1111" },
        { "pay with 4111/1111/1111/1111 today", DataClasses.PaymentCard, "4111/1111/1111/1111" },
        { "pay with 4111 1111\n1111 1111 today", DataClasses.PaymentCard, "4111 1111\n1111 1111" },
        { "see ref4111111111111111x please", DataClasses.PaymentCard, "4111111111111111" },
        { "IBAN DE89.3704.0044.0532.0130.00 ok", DataClasses.Iban, "DE89.3704.0044.0532.0130.00" },
        // escapes
        { "mail alice%40example.com", DataClasses.Email, "alice%40example.com" },
        { "mail alice&#64;example.com", DataClasses.Email, "alice&#64;example.com" },
        { "mail alice&#x40;example&period;com", DataClasses.Email, "alice&#x40;example&period;com" },
        { "mail alice\\u0040example.com", DataClasses.Email, "alice\\u0040example.com" },
        // e-mail obfuscations
        { "write to alice [at] example [dot] com soon", DataClasses.Email, "alice [at] example [dot] com" },
        { "write to alice(at)example(dot)com soon", DataClasses.Email, "alice(at)example(dot)com" },
        { "write to alice at example dot com soon", DataClasses.Email, "alice at example dot com" },
        { "write to alice.smith at example.co.uk soon", DataClasses.Email, "alice.smith at example.co.uk" },
        { "write to alice @ example.com soon", DataClasses.Email, "alice @ example.com" },
        { "write to alice@\nexample.com soon", DataClasses.Email, "alice@\nexample.com" },
        { "write to name at example dot com soon", DataClasses.Email, "name at example dot com" },
        // split or irregular groups that still make one valid number
        { "card 41111 1111 1111 111 ok", DataClasses.PaymentCard, "41111 1111 1111 111" },
        { "card 4111-1111 1111-1111 ok", DataClasses.PaymentCard, "4111-1111 1111-1111" },
        { "IBAN DE89 37040044 0532 0130 00 ok", DataClasses.Iban, "DE89 37040044 0532 0130 00" },
        { "IBAN GB71 QBX Z9 07 066 399 664 66 ok", DataClasses.Iban, "GB71 QBX Z9 07 066 399 664 66" },
        { "NI AB 12 3456 C ok", DataClasses.UkNino, "AB 12 3456 C" },
        { "NINO: LE/10/07/24/A ok", DataClasses.UkNino, "LE/10/07/24/A" },
        { "ssn 536-22 1234 ok", DataClasses.UsSsn, "536-22 1234" },
        { "ssn 536/22/1234 ok", DataClasses.UsSsn, "536/22/1234" },
    };

    [Theory]
    [MemberData(nameof(Hidden))]
    public void FindsTheHiddenValueOnItsOriginalCharacters(string text, string dataClass, string original)
    {
        var finding = Assert.Single(Scanner.Scan(text), f => f.DataClass == dataClass);
        Assert.Equal(original, text.Substring(finding.Start, finding.Length));
    }

    [Theory]
    [InlineData("contact: alice@example.com", DataClasses.Email)]
    [InlineData("card 4111 1111 1111 1111 exp 12/27", DataClasses.PaymentCard)]
    [InlineData("ssn 536-22-1234", DataClasses.UsSsn)]
    public void FindsValuesInsideBase64HexAndPercentEncoding(string sentence, string dataClass)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(sentence);
        string[] encodings =
        [
            Convert.ToBase64String(bytes),
            Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_'),
            Convert.ToHexString(bytes),
            Convert.ToHexString(bytes).ToLowerInvariant(),
            string.Concat(bytes.Select(b => $"%{b:X2}")),
            string.Concat(sentence.Select(c => $"&#{(int)c};")),
            "data:text/plain;base64," + Convert.ToBase64String(bytes),
            Convert.ToBase64String(Encoding.UTF8.GetBytes(Convert.ToBase64String(bytes))), // twice
        ];
        foreach (string encoded in encodings)
        {
            string text = "attached: " + encoded + " (see above)";
            Assert.True(Scanner.Scan(text).Any(f => f.DataClass == dataClass), $"no {dataClass} found in «{text}»");
        }
    }

    [Fact]
    public void FindsValuesInMimeWrappedBase64()
    {
        string sentence = string.Concat(Enumerable.Repeat("Lorem ipsum dolor sit amet. ", 6)) + "Reach me at jane.roe@example.net today.";
        string b64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(sentence));
        string wrapped = string.Join("\r\n", b64.Chunk(76).Select(c => new string(c)));
        Assert.Contains(Scanner.Scan("body:\r\n" + wrapped), f => f.DataClass == DataClasses.Email);
    }

    [Theory]
    [InlineData("Look at example.com for the docs, it is available at github.com/acme/tool.")]
    [InlineData("We meet at 5 pm at the office; the build is at v10.0.13 and 1.2.3 is a version.")]
    [InlineData("sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 and git 9fceb02d0ae598e95dc970b74767f19372d61af8")]
    [InlineData("uuid 550e8400-e29b-41d4-a716-446655440000, token ConfigureOptionsChatClientBuilderExtensions")]
    [InlineData("Timestamps: 2024-10-15 12:30:45, 2024.10.15, 15/10/2024; totals 1 234 567; ISBN 978-3-16-148410-0")]
    [InlineData("Order 1234 5678 9012 3456 shipped")] // 16 digits, not Luhn-valid
    [InlineData("follow @jane.doe on social media; ping @team.lead")]
    public void LeavesBenignTextAlone(string text) => Assert.Empty(Scanner.Scan(text));

    [Fact]
    public void CountsEveryClassInsideOneEncodedRun()
    {
        string b64 = Convert.ToBase64String(Encoding.UTF8.GetBytes("mail bob@example.org, card 4111 1111 1111 1111"));
        var shadowed = new HashSet<string>();
        var findings = Scanner.Scan("x " + b64, shadowed);
        var classes = findings.Select(f => f.DataClass).Concat(shadowed).ToHashSet();
        Assert.Contains(DataClasses.Email, classes);
        Assert.Contains(DataClasses.PaymentCard, classes);
    }
}
