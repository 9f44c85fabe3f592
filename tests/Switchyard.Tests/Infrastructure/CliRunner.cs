using System.Diagnostics;

namespace Switchyard.Tests.Infrastructure;

/// <summary>Runs the real <c>switchyard</c> executable (built beside the tests) to completion.</summary>
internal static class CliRunner
{
    public static Task<(int Code, string Out, string Err)> RunAsync(string workingDirectory, params string[] args) =>
        RunAsync(workingDirectory, args, null);

    /// <summary>Runs with extra environment variables.</summary>
    public static async Task<(int Code, string Out, string Err)> RunAsync(string workingDirectory, string[] args, IReadOnlyDictionary<string, string>? environment)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "switchyard.dll"));
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["DOTNET_NOLOGO"] = "1";
        psi.Environment.Remove("OPENAI_API_KEY");
        psi.Environment.Remove("ANTHROPIC_API_KEY");
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[name] = value;
        }

        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await p.WaitForExitAsync(cts.Token);
        return (p.ExitCode, await stdout, await stderr);
    }
}
