using Switchyard.Testing;
using Switchyard.Tests.Infrastructure;

namespace Switchyard.Tests.Metering;

/// <summary>The ledger keeps the model the upstream says answered, so a floating alias moving to a new snapshot shows.</summary>
public sealed class UpstreamModelLedgerTests : GatewayTestBase
{
    [Theory]
    [InlineData("local", false)]
    [InlineData("local", true)]
    [InlineData("claude", false)]
    [InlineData("claude", true)]
    public async Task TheReplysModel_IsRecorded(string model, bool stream)
    {
        var body = $$"""{"model":"{{model}}","stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"hi"}]}""";
        using var response = await Gateway.PostChatAsync(body);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        _ = await response.Content.ReadAsStringAsync();
        var row = Assert.Single(await Gateway.StopAndReadLedgerAsync());
        Assert.Equal(model, row.ServedModel);
        Assert.Equal(model + "-up", row.UpstreamModel); // the fake upstreams answer with the model they were asked for
    }

    [Fact]
    public async Task AFailedRequest_RecordsNoUpstreamModel()
    {
        Upstream.DefaultBehavior = FakeBehavior.Status(500, "down");
        using var response = await Gateway.PostChatAsync("""{"model":"local","messages":[{"role":"user","content":"hi"}]}""");
        var row = Assert.Single(await Gateway.StopAndReadLedgerAsync());
        Assert.Null(row.UpstreamModel);
    }
}
