using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Switchyard.Testing;

namespace Switchyard.Tests.Cli;

/// <summary>The real <c>switchyard</c> executable, run as a process.</summary>
public sealed class CliProcessTests : IAsyncLifetime
{
    private readonly string _dir = Directory.CreateTempSubdirectory("cli-").FullName;
    private FakeUpstream _upstream = null!;

    public async Task InitializeAsync() => _upstream = await FakeUpstream.StartAsync();

    public async Task DisposeAsync() => await _upstream.DisposeAsync();

    private static Process Start(string workingDirectory, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "switchyard.dll"));
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["DOTNET_NOLOGO"] = "1";
        // With no config, keys in the environment would add hosted models to the defaults; keep runs deterministic.
        psi.Environment.Remove("OPENAI_API_KEY");
        psi.Environment.Remove("ANTHROPIC_API_KEY");
        return Process.Start(psi)!;
    }

    /// <summary>Reads serve's stdout into <paramref name="output"/> until its "Listening on" line; returns the first URL.</summary>
    private static async Task<string> WaitForListeningAsync(Process serve, StringBuilder output)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            var line = await serve.StandardOutput.ReadLineAsync() ?? throw new InvalidOperationException("serve exited: " + output + await serve.StandardError.ReadToEndAsync());
            output.AppendLine(line);
            if (line.StartsWith("Listening on ", StringComparison.Ordinal))
            {
                return line["Listening on ".Length..].Split(',')[0].Trim();
            }
        }

        throw new TimeoutException("serve did not listen within 60 s: " + output);
    }

    private static async Task<(int Code, string Out, string Err)> RunAsync(string workingDirectory, params string[] args)
    {
        using var p = Start(workingDirectory, args);
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await p.WaitForExitAsync(cts.Token);
        return (p.ExitCode, await stdout, await stderr);
    }

    private string WriteConfig(string ledger) =>
        WriteFile("switchyard.json", $$"""
            { "Switchyard": {
                "Providers": { "fake": { "Kind": "openai-compatible", "BaseUrl": "{{_upstream.OpenAIBaseUri}}", "Zone": "self", "MaxRetries": 0 } },
                "Models": { "small": { "Provider": "fake", "UpstreamModel": "small-up", "Price": { "Input": 1, "Output": 2 } } },
                "Routes": { "default": { "Candidates": ["small"] } },
                "Ledger": { "Path": "{{ledger}}" } } }
            """);

    private string WriteFile(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public async Task Serve_BadConfig_ExitsWithTheKeyAndProblem()
    {
        var config = WriteFile("bad.json", """{ "Switchyard": { "Models": { "m": { "Provider": "ghost" } } } }""");
        var (code, _, err) = await RunAsync(_dir, "serve", "--config", config);
        Assert.Equal(2, code);
        Assert.Contains("Switchyard:Models:m:Provider: 'ghost' is not a configured provider", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_FindsSwitchyardJsonInWorkingDirectory_ServesAndFlushesTheLedgerOnSigterm()
    {
        WriteConfig("ledger.db");
        using var serve = Start(_dir, "serve", "--urls", "http://127.0.0.1:0");
        var output = new StringBuilder();
        var url = await WaitForListeningAsync(serve, output);
        Assert.Contains("Serving: small, default", output.ToString(), StringComparison.Ordinal);
        using (var http = new HttpClient { BaseAddress = new Uri(url + "/") })
        {
            for (var i = 0; i < 5; i++)
            {
                // The last request carries an e-mail address: it stays inside (zone self) and the audit shows why.
                var content = i < 4 ? "hi" : "mail bob.smith@example.com";
                var response = await http.PostAsync("v1/chat/completions", new StringContent($$"""{"model":"default","messages":[{"role":"user","content":"{{content}}"}]}"""));
                Assert.True(response.IsSuccessStatusCode);
            }
        }

        using (var kill = Process.Start("kill", ["-TERM", serve.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await serve.WaitForExitAsync(cts.Token);
        Assert.Equal(0, serve.ExitCode);

        var (code, json, err) = await RunAsync(_dir, "ledger", "--json", "--last", "3");
        Assert.True(code == 0, err);
        using var report = JsonDocument.Parse(json);
        Assert.Equal(3, report.RootElement.GetProperty("records").GetArrayLength());
        var first = report.RootElement.GetProperty("records")[0];
        Assert.Equal("small", first.GetProperty("served_model").GetString());
        Assert.Equal("ok", first.GetProperty("status").GetString());
        var totals = Assert.Single(report.RootElement.GetProperty("totals").EnumerateArray());
        Assert.Equal(5, totals.GetProperty("requests").GetInt32());
        // 5 × (11 input × $1 + 7 output × $2) per million = 0.000125
        Assert.Equal(0.000125m, totals.GetProperty("cost").GetDecimal());

        var (auditCode, auditJson, auditErr) = await RunAsync(_dir, "ledger", "--audit", "--json", "--last", "2");
        Assert.True(auditCode == 0, auditErr);
        using var audit = JsonDocument.Parse(auditJson);
        var newest = audit.RootElement[0];
        Assert.Equal(1, newest.GetProperty("classes").GetProperty("email").GetInt32());
        Assert.Equal("self", newest.GetProperty("allowed_zones")[0].GetString());
        Assert.Equal("self", newest.GetProperty("served_zone").GetString());
        Assert.Empty(audit.RootElement[1].GetProperty("classes").EnumerateObject());
        Assert.Equal(JsonValueKind.Null, audit.RootElement[1].GetProperty("allowed_zones").ValueKind);
        Assert.DoesNotContain("bob.smith", auditJson, StringComparison.Ordinal);
        var (auditTableCode, auditTable, _) = await RunAsync(_dir, "ledger", "--audit");
        Assert.Equal(0, auditTableCode);
        Assert.Contains("email", auditTable, StringComparison.Ordinal); // the table wraps cells at the console width
        Assert.DoesNotContain("bob.smith", auditTable, StringComparison.Ordinal);

        var (tableCode, table, _) = await RunAsync(_dir, "ledger");
        Assert.Equal(0, tableCode);
        Assert.Contains("small", table, StringComparison.Ordinal);
        Assert.Contains("Totals per served model", table, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_WithNoConfigAtAll_AnswersFromTheEmbeddedModel()
    {
        using var serve = Start(_dir, "serve", "--urls", "http://127.0.0.1:0");
        var output = new StringBuilder();
        var url = await WaitForListeningAsync(serve, output);
        Assert.Contains("Serving: local, all-MiniLM-L6-v2, default", output.ToString(), StringComparison.Ordinal);
        Assert.Contains("Embedded model 'embedded': stories260K", output.ToString(), StringComparison.Ordinal);
        using (var http = new HttpClient { BaseAddress = new Uri(url + "/") })
        {
            var response = await http.PostAsync("v1/chat/completions", new StringContent(
                """{"model":"default","temperature":0,"max_tokens":20,"messages":[{"role":"user","content":"Once upon a time"}]}"""));
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, body);
            using var json = JsonDocument.Parse(body);
            Assert.Equal("local", json.RootElement.GetProperty("model").GetString());
            Assert.StartsWith(", there was a little girl named Lily.", json.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString(), StringComparison.Ordinal);

            using var health = JsonDocument.Parse(await http.GetStringAsync("healthz"));
            var embedded = Assert.Single(health.RootElement.GetProperty("embedded").EnumerateArray());
            Assert.Equal("llama", embedded.GetProperty("architecture").GetString());
        }

        using (var kill = Process.Start("kill", ["-TERM", serve.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await serve.WaitForExitAsync(cts.Token);
        Assert.Equal(0, serve.ExitCode);
        Assert.Contains("sha256 047bf46455a544931cff6fef14d7910154c56afbc23ab1c5e56a72e69912c04b", output + await serve.StandardOutput.ReadToEndAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ledger_MissingFile_SaysWhereItLooked()
    {
        var (code, _, err) = await RunAsync(_dir, "ledger", "--ledger", "nothing-here.db");
        Assert.Equal(1, code);
        Assert.Contains("nothing-here.db", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_ListsTheCommands()
    {
        var (code, output, _) = await RunAsync(_dir, "--help");
        Assert.Equal(0, code);
        Assert.Contains("serve", output, StringComparison.Ordinal);
        Assert.Contains("ledger", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_InvalidUrls_ExitsWithAMessage()
    {
        var (code, _, err) = await RunAsync(_dir, "serve", "--urls", "not-a-url");
        Assert.Equal(2, code);
        Assert.Contains("--urls", err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Serve_UnwritableLedger_NamesTheKey()
    {
        var blocker = WriteFile("blocker", "a file where a directory should be");
        var config = WriteFile("ledger-bad.json", $$"""{ "Switchyard": { "Ledger": { "Path": "{{blocker}}/sub/ledger.db" } } }""");
        var (code, _, err) = await RunAsync(_dir, "serve", "--config", config);
        Assert.Equal(2, code);
        Assert.Contains("Switchyard:Ledger:Path: cannot open the database", err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ledger_NotADatabase_SaysSo()
    {
        WriteFile("garbage.db", "this is not sqlite at all, just text long enough to look like a header......");
        var (code, _, err) = await RunAsync(_dir, "ledger", "--ledger", "garbage.db");
        Assert.Equal(1, code);
        Assert.Contains("is not a readable Switchyard ledger", err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", err, StringComparison.Ordinal);
    }
}
