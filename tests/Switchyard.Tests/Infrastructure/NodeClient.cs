using System.Diagnostics;
using System.Text.Json;

namespace Switchyard.Tests.Infrastructure;

/// <summary>
/// Runs tests/js/openai-client.mjs (the npm <c>openai</c> package) against a gateway. Installs the locked npm
/// packages on first use when tests/js/node_modules is missing, so <c>dotnet test</c> works on a fresh clone.
/// </summary>
internal static class NodeClient
{
    private static readonly SemaphoreSlim s_install = new(1, 1);

    public static string Directory { get; } = Path.Combine(RepoPaths.Root, "tests", "js");

    public static async Task<JsonElement> RunAsync(string scenario, Uri openAIBase, string model)
    {
        await EnsureInstalledAsync();
        var (code, stdout, stderr) = await ExecAsync("node", ["openai-client.mjs", scenario, openAIBase.ToString().TrimEnd('/'), model], TimeSpan.FromSeconds(60));
        Assert.True(code == 0, $"node exited {code}: {stderr}");
        var line = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Last();
        using var doc = JsonDocument.Parse(line);
        return doc.RootElement.Clone();
    }

    private static async Task EnsureInstalledAsync()
    {
        await s_install.WaitAsync();
        try
        {
            if (System.IO.Directory.Exists(Path.Combine(Directory, "node_modules", "openai")))
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
