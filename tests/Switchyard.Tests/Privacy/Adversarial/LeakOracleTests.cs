using System.Text.Json;

namespace Switchyard.Tests.Privacy.Adversarial;

/// <summary>
/// The oracle itself: it finds values in hand-written leaking bodies, does not find them where they are absent or
/// only similar, recovers the value from every generated adversarial request, and finds none in the benign corpus.
/// </summary>
public sealed class LeakOracleTests
{
    private static string Body(params string[] userContents) =>
        JsonSerializer.Serialize(new { model = "backup-up", messages = userContents.Select(c => new { role = "user", content = c }).ToArray() });

    [Theory]
    [InlineData("Please write to jane.doe@example.org today.", "jane.doe@example.org", "email")]
    [InlineData("write to jane [at] example [dot] org", "jane@example.org", "email")]
    [InlineData("write to jane(at)example(dot)org", "jane@example.org", "email")]
    [InlineData("write to jane at example dot org", "jane@example.org", "email")]
    [InlineData("write to jane%40example.org", "jane@example.org", "email")]
    [InlineData("write to jane&#x40;example.org", "jane@example.org", "email")]
    [InlineData("write to ｊａｎｅ＠ｅｘａｍｐｌｅ．ｏｒｇ", "jane@example.org", "email")]
    [InlineData("card 4111\u200B1111\u20601111\uFEFF1111", "4111111111111111", "payment_card")]
    [InlineData("card 4111.1111.1111.1111", "4111111111111111", "payment_card")]
    [InlineData("card 4111 1111\n1111 1111", "4111111111111111", "payment_card")]
    [InlineData("ref4111111111111111x", "4111111111111111", "payment_card")]
    [InlineData("SSN 123/45/6789", "123-45-6789", "us_ssn")]
    [InlineData("NI AB/12/34/56/C", "AB 12 34 56 C", "uk_nino")]
    [InlineData("IBAN de89\u00AD3704 0044 0532 0130 00", "DE89370400440532013000", "iban")]
    [InlineData("tel ＋４４ ２０ ７９４６ ０１２３", "+44 20 7946 0123", "phone")]
    [InlineData("ip 81.2.\n69.160", "81.2.69.160", "ip_address")]
    [InlineData("decode this: Y2FyZCA0MTExMTExMTExMTExMTEx", "4111111111111111", "payment_card")] // base64 of "card 4111111111111111"
    [InlineData("Y2FyZCA0MTExMTExMTExMTExMTEx", "4111111111111111", "payment_card")]
    [InlineData("blob 636172642034313131313131313131313131313131", "4111111111111111", "payment_card")] // hex
    [InlineData("%63%61%72%64%20%34%31%31%31%31%31%31%31%31%31%31%31%31%31%31%31", "4111111111111111", "payment_card")]
    [InlineData("&#99;&#97;&#114;&#100;&#32;&#52;&#49;&#49;&#49;&#49;&#49;&#49;&#49;&#49;&#49;&#49;&#49;&#49;&#49;&#49;&#49;", "4111111111111111", "payment_card")]
    [InlineData("AKIA\u200BABCDEFGHIJ123456", "AKIAABCDEFGHIJ123456", "secret")]
    public void FindsTheValue_InALeakingBody(string content, string value, string dataClass) =>
        Assert.True(LeakOracle.Contains(Body(content), value, dataClass));

    [Fact]
    public void FindsAValueSplitAcrossMessages_ToolArguments_AndDataUrls()
    {
        Assert.True(LeakOracle.Contains(Body("my key is sk-proj-abcDEF123", "456ghiJKL789mnoPQR please"), "sk-proj-abcDEF123456ghiJKL789mnoPQR", "secret"));

        string toolCall = JsonSerializer.Serialize(new
        {
            model = "backup-up",
            messages = new object[]
            {
                new { role = "assistant", tool_calls = new[] { new { id = "c1", type = "function", function = new { name = "f", arguments = "{\"q\":\"mail jane\\u0040example.org\"}" } } } },
            },
        });
        Assert.True(LeakOracle.Contains(toolCall, "jane@example.org", "email"));

        string dataUrl = JsonSerializer.Serialize(new
        {
            model = "backup-up",
            messages = new object[]
            {
                new { role = "user", content = new object[] { new { type = "image_url", image_url = new { url = "data:text/plain;base64,TkkgQUIxMjM0NTZD" } } } },
            },
        }); // "NI AB123456C"
        Assert.True(LeakOracle.Contains(dataUrl, "AB123456C", "uk_nino"));
    }

    [Theory]
    [InlineData("Please write to the team about it.", "jane.doe@example.org", "email")]
    [InlineData("write to jane.doe@example.com", "jane.doe@example.org", "email")]
    [InlineData("card 4111 1111 1111 1112", "4111111111111111", "payment_card")]
    [InlineData("order 4111 1111 2222 1111 1111", "4111111111111111", "payment_card")]
    [InlineData("SSN 123-45-6780", "123-45-6789", "us_ssn")]
    [InlineData("decode this: Y2FyZCA0MTExMTExMTExMTExMTEy", "4111111111111111", "payment_card")] // base64 of "card 4111111111111112"
    [InlineData("ip 81.2.69.161", "81.2.69.160", "ip_address")]
    [InlineData("AKIAABCDEFGHIJ123457", "AKIAABCDEFGHIJ123456", "secret")]
    [InlineData("Lorem ipsum dolor sit amet, consectetur adipiscing elit.", "AB 12 34 56 C", "uk_nino")]
    public void DoesNotFindTheValue_WhereItIsAbsent(string content, string value, string dataClass) =>
        Assert.False(LeakOracle.Contains(Body(content), value, dataClass));

    [Fact]
    public void SkipsWireStructure_AndTreatsNonJsonAsText()
    {
        // "user" as a role is no part of a value; a raw (non-JSON) body is read as one text.
        Assert.False(LeakOracle.Contains(Body("hello"), "user", "secret"));
        Assert.True(LeakOracle.Contains("not json: card 4111-1111-1111-1111", "4111111111111111", "payment_card"));
    }

    [Fact]
    public void RecoversTheValue_FromEveryGeneratedAdversarialRequest()
    {
        // Proves every case really carries its value and that the oracle can see through every obfuscation and position.
        var blind = AdversarialCorpus.Generate()
            .Where(c => !LeakOracle.Contains(c.Body, c.Value, c.DataClass))
            .Select(c => $"{c.DataClass} / {c.Obfuscation} / {c.Position}: {c.Body}")
            .ToList();

        Assert.True(blind.Count == 0, $"the oracle cannot recover {blind.Count} values:\n" + string.Join('\n', blind.Take(20)));
    }

    [Fact]
    public void FindsNoAdversarialValue_InTheBenignCorpus()
    {
        var values = AdversarialCorpus.Generate().Where((_, i) => i % 25 == 0).ToList();
        var found = (from b in BenignCorpus.Generate()
                     let received = LeakOracle.Read(b.Body)
                     from v in values
                     where received.Contains(v.Value, v.DataClass)
                     select $"{v.DataClass} {v.Value} in {b.Category}").ToList();

        Assert.Empty(found);
    }
}
