using System.ClientModel;
using System.Net;
using System.Text.Json;
using OpenAI;
using OpenAI.Chat;
using Switchyard.Testing;
using Switchyard.Tests.Infrastructure;

namespace Switchyard.Tests.Gateway;

/// <summary>Failover, retries and mid-stream failures through the real gateway.</summary>
public sealed class FailoverTests : IAsyncLifetime
{
    private FakeUpstream _upstream = null!;

    public async Task InitializeAsync() => _upstream = await FakeUpstream.StartAsync();

    public async Task DisposeAsync() => await _upstream.DisposeAsync();

    private static ChatClient Client(TestGateway gateway, string model = "default") => gateway.OpenAIClient(model);

    public static TheoryData<string> PreOutputFailures => ["500", "503", "429", "reset", "slow"];

    private static FakeBehavior Failure(string kind) => kind switch
    {
        "500" => FakeBehavior.Status(500, "primary exploded"),
        "503" => FakeBehavior.Status(503, "primary overloaded"),
        "429" => FakeBehavior.Status(429, "slow down", TimeSpan.FromSeconds(30)),
        "reset" => FakeBehavior.ResetConnection(),
        "slow" => FakeBehavior.Delay(TimeSpan.FromSeconds(20), FakeBehavior.Echo()),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    [Theory]
    [MemberData(nameof(PreOutputFailures))]
    public async Task PrimaryFailsBeforeOutput_SecondaryServes(string kind)
    {
        await using var gateway = await TestGateway.StartAsync(_upstream, o => o.Providers["fake-openai"].TimeoutSeconds = 1);
        _upstream.When("local-up", Failure(kind));

        var result = await Client(gateway).CompleteChatAsync([new UserChatMessage("hi")]);

        Assert.Equal("backup", result.Value.Model);
        Assert.Equal("echo: hi", result.Value.Content[0].Text);
        Assert.True(result.GetRawResponse().Headers.TryGetValue("x-switchyard-route", out var route));
        Assert.StartsWith("route=default; model=backup; reason=failover after local ", route, StringComparison.Ordinal);

        var record = Assert.Single(await gateway.StopAndReadLedgerAsync());
        Assert.Equal("ok", record.Status);
        Assert.Equal("backup", record.ServedModel);
        Assert.Equal("us", record.Zone);
        using var decision = JsonDocument.Parse(record.DecisionJson);
        var attempts = decision.RootElement.GetProperty("attempts");
        Assert.Equal(2, attempts.GetArrayLength());
        Assert.Equal("local", attempts[0].GetProperty("model").GetString());
        Assert.NotEqual("ok", attempts[0].GetProperty("outcome").GetString());
        Assert.Equal("ok", attempts[1].GetProperty("outcome").GetString());
        Assert.Equal("backup", decision.RootElement.GetProperty("chosen").GetString());
    }

    [Fact]
    public async Task StreamingPrimaryFailsBeforeOutput_SecondaryStreams()
    {
        await using var gateway = await TestGateway.StartAsync(_upstream);
        _upstream.When("local-up", FakeBehavior.Status(502, "bad gateway upstream"));
        var text = "";
        string? model = null;
        await foreach (var update in Client(gateway).CompleteChatStreamingAsync([new UserChatMessage("stream me")]))
        {
            text += string.Concat(update.ContentUpdate.Select(p => p.Text));
            model ??= update.Model;
        }

        Assert.Equal("echo: stream me", text);
        Assert.Equal("backup", model);
    }

    [Fact]
    public async Task PrimaryCutMidStream_ClientSeesErrorAndLedgerRecordsFailure()
    {
        await using var gateway = await TestGateway.StartAsync(_upstream);
        _upstream.When("local-up", FakeBehavior.CutMidStream(3));

        var response = await gateway.Http.SendAsync(
            new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = new StringContent("""{"model":"default","stream":true,"messages":[{"role":"user","content":"go"}]}""") },
            HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        // The gateway writes an error event, then breaks the connection so no client mistakes it for a clean end.
        var received = new System.Text.StringBuilder();
        var stream = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[4096];
        var broken = false;
        try
        {
            int n;
            while ((n = await stream.ReadAsync(buffer)) > 0)
            {
                received.Append(System.Text.Encoding.UTF8.GetString(buffer, 0, n));
            }
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            broken = true;
        }

        Assert.True(broken, "the connection should end abnormally after the error event");
        var body = received.ToString();
        var events = body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.DoesNotContain("data: [DONE]", events);
        var last = events[^1];
        Assert.StartsWith("data: ", last, StringComparison.Ordinal);
        using (var error = JsonDocument.Parse(last["data: ".Length..]))
        {
            Assert.Equal("upstream_error", error.RootElement.GetProperty("error").GetProperty("type").GetString());
        }

        Assert.Contains("\"content\":\" three\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain(_upstream.Requests, r => r.Model == "backup-up"); // no failover after output

        var record = Assert.Single(await gateway.StopAndReadLedgerAsync());
        Assert.Equal("error", record.Status);
        Assert.Equal("local", record.ServedModel);
        Assert.True(record.Streamed);
        Assert.NotNull(record.Error);
    }

    [Fact]
    public async Task OfficialSdk_StreamCutMidway_Throws()
    {
        await using var gateway = await TestGateway.StartAsync(_upstream);
        _upstream.When("local-up", FakeBehavior.CutMidStream(2));
        var received = "";
        var ex = await Record.ExceptionAsync(async () =>
        {
            await foreach (var update in Client(gateway).CompleteChatStreamingAsync([new UserChatMessage("go")]))
            {
                received += string.Concat(update.ContentUpdate.Select(p => p.Text));
            }
        });

        Assert.NotNull(ex);
        Assert.Equal("one two", received);
    }

    [Fact]
    public async Task EveryCandidateFails_502WithUpstreamReasonAndOneLedgerRecord()
    {
        await using var gateway = await TestGateway.StartAsync(_upstream);
        _upstream.When("local-up", FakeBehavior.Status(500, "local is down"));
        _upstream.When("backup-up", FakeBehavior.Status(503, "backup is down"));

        var response = await gateway.PostChatAsync("""{"model":"default","messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        using var error = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var message = error.RootElement.GetProperty("error").GetProperty("message").GetString()!;
        Assert.Contains("backup is down", message, StringComparison.Ordinal);
        Assert.Contains("local server_error 500", message, StringComparison.Ordinal);
        Assert.Equal("upstream_server_error", error.RootElement.GetProperty("error").GetProperty("code").GetString());

        var record = Assert.Single(await gateway.StopAndReadLedgerAsync());
        Assert.Equal("error", record.Status);
        Assert.Equal(502, record.HttpStatus);
        Assert.Null(record.ServedModel);
    }

    [Fact]
    public async Task RateLimitedEverywhere_Is429WithRetryAfter()
    {
        await using var gateway = await TestGateway.StartAsync(_upstream);
        _upstream.When("local-up", FakeBehavior.Status(429, "local rate limited", TimeSpan.FromSeconds(7)));
        _upstream.When("backup-up", FakeBehavior.Status(429, "backup rate limited", TimeSpan.FromSeconds(9)));

        var response = await gateway.PostChatAsync("""{"model":"default","messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("9", response.Headers.GetValues("Retry-After").Single());
    }

    [Fact]
    public async Task UpstreamRejectsRequest_NoFailover_400WithUpstreamMessage()
    {
        await using var gateway = await TestGateway.StartAsync(_upstream);
        _upstream.When("local-up", FakeBehavior.Status(400, "max_tokens is too large for this model"));

        var response = await gateway.PostChatAsync("""{"model":"default","messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("max_tokens is too large", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(_upstream.Requests, r => r.Model == "backup-up");
    }

    [Fact]
    public async Task TransientFailure_IsRetriedOnTheSameCandidateBeforeFailover()
    {
        await using var gateway = await TestGateway.StartAsync(_upstream, o =>
        {
            o.Providers["fake-openai"].MaxRetries = 2;
            o.Providers["fake-openai"].RetryBaseDelayMs = 1;
        });
        _upstream.Once("local-up", FakeBehavior.Status(503, "blip"));
        _upstream.Once("local-up", FakeBehavior.ResetConnection());

        var result = await Client(gateway).CompleteChatAsync([new UserChatMessage("hi")]);

        Assert.Equal("local", result.Value.Model);
        Assert.Equal(3, _upstream.Requests.Count(r => r.Model == "local-up"));
        Assert.DoesNotContain(_upstream.Requests, r => r.Model == "backup-up");
    }

    [Fact]
    public async Task CircuitOpens_ThenTheBrokenProviderIsSkippedWithoutACall()
    {
        await using var gateway = await TestGateway.StartAsync(_upstream, o => o.Providers["fake-openai"].CircuitFailureThreshold = 2);
        _upstream.When("local-up", FakeBehavior.Status(500, "down"));
        for (var i = 0; i < 2; i++)
        {
            Assert.Equal("backup", (await Client(gateway).CompleteChatAsync([new UserChatMessage("hi")])).Value.Model);
        }

        var before = _upstream.Requests.Count(r => r.Model == "local-up");
        var third = await Client(gateway).CompleteChatAsync([new UserChatMessage("hi")]);

        Assert.Equal("backup", third.Value.Model);
        Assert.Equal(before, _upstream.Requests.Count(r => r.Model == "local-up"));
        Assert.True(third.GetRawResponse().Headers.TryGetValue("x-switchyard-route", out var route));
        Assert.Contains("local circuit open", route, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClientHangsUp_LedgerRecordsCancelledAndProviderIsNotBlamed()
    {
        await using var gateway = await TestGateway.StartAsync(_upstream, o => o.Providers["fake-openai"].CircuitFailureThreshold = 1);
        _upstream.When("local-up", FakeBehavior.Delay(TimeSpan.FromSeconds(30), FakeBehavior.Echo()));
        using (var cts = new CancellationTokenSource())
        {
            var post = gateway.Http.PostAsync("v1/chat/completions", new StringContent("""{"model":"default","messages":[{"role":"user","content":"hi"}]}"""), cts.Token);
            // Hang up once the request is upstream (not after a fixed delay, which a loaded machine may not reach it in).
            for (var i = 0; i < 200 && !_upstream.Requests.Any(r => r.Model == "local-up"); i++)
            {
                await Task.Delay(25);
            }

            await cts.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => post);
        }

        // Wait until the gateway has noticed and recorded the hang-up.
        for (var i = 0; i < 100 && gateway.Runtime.Ledger.Written == 0; i++)
        {
            await Task.Delay(50);
        }

        Assert.Equal(Switchyard.Routing.CircuitState.Closed, gateway.Runtime.Catalog.Models.Single(m => m.Name == "local").Breaker.State);
        var record = Assert.Single(await gateway.StopAndReadLedgerAsync());
        Assert.Equal("cancelled", record.Status);
    }

    [Fact]
    public async Task RequestOutlivesGatewayTimeout_504AndLedgerSaysSo()
    {
        await using var gateway = await TestGateway.StartAsync(_upstream, o => o.Limits.RequestTimeoutSeconds = 1);
        _upstream.When("local-up", FakeBehavior.Delay(TimeSpan.FromSeconds(20), FakeBehavior.Echo()));

        var response = await gateway.PostChatAsync("""{"model":"local","messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
        Assert.Contains("request_timeout", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        var record = Assert.Single(await gateway.StopAndReadLedgerAsync());
        Assert.Equal(("error", 504), (record.Status, record.HttpStatus));
        Assert.Equal(Switchyard.Routing.CircuitState.Closed, gateway.Runtime.Catalog.Models.Single(m => m.Name == "local").Breaker.State);
    }
}
