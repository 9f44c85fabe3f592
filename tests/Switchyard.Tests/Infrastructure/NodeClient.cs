using System.Diagnostics;
using System.Text.Json;

namespace Switchyard.Tests.Infrastructure;

/// <summary>
/// Runs the Node scripts in tests/js (npm clients such as <c>openai</c> and <c>@anthropic-ai/sdk</c>) against a
/// gateway. Installs the locked npm packages on first use when tests/js/node_modules lacks them, so
/// <c>dotnet test</c> works on a fresh clone.
/// </summary>
internal static class NodeClient
{
    private static readonly SemaphoreSlim s_install = new(1, 1);

    public static string Directory { get; } = Path.Combine(RepoPaths.Root, "tests", "js");

    /// <summary>Runs a scenario of tests/js/openai-client.mjs against the gateway's OpenAI endpoint (<c>…/v1</c>).</summary>
    public static Task<JsonElement> RunAsync(string scenario, Uri openAIBase, string model) =>
        RunScriptAsync("openai-client.mjs", scenario, openAIBase.ToString().TrimEnd('/'), model);

    /// <summary>
    /// Runs <c>node tests/js/<paramref name="script"/> <paramref name="args"/></c> and returns the last line it
    /// printed to stdout, parsed as JSON; fails the test when node exits non-zero or the line is not JSON.
    /// </summary>
    public static async Task<JsonElement> RunScriptAsync(string script, params string[] args)
    {
        ArgumentException.ThrowIfNullOrEmpty(script);
        await EnsureInstalledAsync();
        var (code, stdout, stderr) = await ExecAsync("node", [script, .. args], TimeSpan.FromSeconds(60));
        Assert.True(code == 0, $"node {script} exited {code}: {stderr}");
        var line = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();
        Assert.True(line is not null, $"node {script} printed nothing: {stderr}");
        try
        {
            using var doc = JsonDocument.Parse(line);
            return doc.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            Assert.Fail($"node {script}'s last line is not JSON ({ex.Message}): {line}\n{stderr}");
            throw;
        }
    }

    private static async Task EnsureInstalledAsync()
    {
        await s_install.WaitAsync();
        try
        {
            if (System.IO.Directory.Exists(Path.Combine(Directory, "node_modules", "openai"))
                && System.IO.Directory.Exists(Path.Combine(Directory, "node_modules", "@anthropic-ai", "sdk")))
            {
                return;
            }

            var (code, _, stderr) = await ExecAsync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], TimeSpan.FromMinutes(5));
            Assert.True(code == 0, "npm ci in tests/js failed: " + stderr);
        }
        finally
        {
            s_install.Release();
        }
    }

    private static async Task<(int Code, string Stdout, string Stderr)> ExecAsync(string file, string[] args, TimeSpan timeout)
    {
        var psi = new ProcessStartInfo(file) { WorkingDirectory = Directory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi) ?? throw new InvalidOperationException("Could not start " + file);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish within {timeout}.");
        }

        return (process.ExitCode, await stdout, await stderr);
    }
}
