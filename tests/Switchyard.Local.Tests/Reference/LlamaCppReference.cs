using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Switchyard.Local.Tests.Reference;

/// <summary>
/// Real llama.cpp as a reference for the engine's tests: runs tests/js/llama-reference.mjs (node-llama-cpp's prebuilt
/// CPU binaries, greedy sampling) with Node.js and reads its JSON. Installs the locked npm packages in tests/js on first
/// use when node-llama-cpp is missing, one install at a time across test processes.
/// </summary>
internal static class LlamaCppReference
{
    private const string Script = "llama-reference.mjs";

    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(5);
    private static readonly SemaphoreSlim InstallGate = new(1, 1);
    private static readonly Lazy<string> Root = new(FindRepoRoot);
    private static bool s_installChecked;

    /// <summary>The repository root: the folder holding Switchyard.slnx.</summary>
    public static string RepoRoot => Root.Value;

    /// <summary>tests/js, where the script and its npm packages live.</summary>
    public static string ScriptDirectory => Path.Combine(RepoRoot, "tests", "js");

    /// <summary>
    /// Greedy generation of up to <paramref name="n"/> tokens after the prompt, given either as text
    /// (<paramref name="prompt"/>, tokenized by llama.cpp) or as token ids (<paramref name="tokens"/>), with BOS put
    /// first when <paramref name="addBos"/>; the logit vectors of the first <paramref name="logits"/> positions come back too.
    /// </summary>
    public static async Task<LlamaCppResult> GenerateAsync(string modelPath, string? prompt, int[]? tokens, int n, int logits, bool addBos)
    {
        if ((prompt is null) == (tokens is null))
        {
            throw new ArgumentException("Give exactly one of prompt and tokens.");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(n);
        ArgumentOutOfRangeException.ThrowIfNegative(logits);

        var args = new List<string> { "--model", Path.GetFullPath(modelPath) };
        if (prompt is not null)
        {
            args.AddRange(["--prompt", prompt]);
        }
        else
        {
            args.AddRange(["--tokens", string.Join(',', tokens!.Select(t => t.ToString(CultureInfo.InvariantCulture)))]);
        }

        args.AddRange(["--n", n.ToString(CultureInfo.InvariantCulture), "--logits", logits.ToString(CultureInfo.InvariantCulture)]);
        if (addBos)
        {
            args.Add("--add-bos");
        }

        using var doc = await RunScriptAsync(args);
        var root = doc.RootElement;
        return new LlamaCppResult(
            ReadInts(root, "prompt_tokens"),
            ReadInts(root, "tokens"),
            root.GetProperty("text").GetString() ?? "",
            root.GetProperty("logits").EnumerateArray().Select(ReadFloats).ToArray());
    }

    /// <summary>llama.cpp's tokenization of <paramref name="text"/> (special-token text is not parsed), with BOS first when <paramref name="addBos"/>.</summary>
    public static async Task<int[]> TokenizeAsync(string modelPath, string text, bool addBos)
    {
        using var doc = await RunScriptAsync(["--model", Path.GetFullPath(modelPath), "--prompt", text, "--tokenize-only"]);
        return ReadInts(doc.RootElement, addBos ? "tokens_with_bos" : "tokens");
    }

    private static async Task<JsonDocument> RunScriptAsync(List<string> args)
    {
        await EnsureInstalledAsync();
        var (code, stdout, stderr) = await ExecAsync("node", [Script, .. args], RunTimeout, environment: null);
        if (code != 0)
        {
            throw new InvalidOperationException(
                $"node {Script} {Describe(args)} exited with code {code}.{Environment.NewLine}stderr:{Environment.NewLine}{stderr}");
        }

        try
        {
            return JsonDocument.Parse(stdout);
        }
        catch (JsonException e)
        {
            throw new InvalidOperationException(
                $"node {Script} printed no valid JSON ({e.Message}).{Environment.NewLine}stdout:{Environment.NewLine}{Shorten(stdout)}{Environment.NewLine}stderr:{Environment.NewLine}{stderr}", e);
        }
    }

    private static async Task EnsureInstalledAsync()
    {
        if (Volatile.Read(ref s_installChecked))
        {
            return;
        }

        await InstallGate.WaitAsync();
        try
        {
            if (s_installChecked)
            {
                return;
            }

            if (!IsInstalled())
            {
                using var crossProcessLock = await AcquireInstallLockAsync();
                if (!IsInstalled())
                {
                    await RunNpmCiAsync();
                }
            }

            Volatile.Write(ref s_installChecked, true);
        }
        finally
        {
            InstallGate.Release();
        }
    }

    private static bool IsInstalled() =>
        File.Exists(Path.Combine(ScriptDirectory, "node_modules", "node-llama-cpp", "package.json"));

    private static async Task RunNpmCiAsync()
    {
        // The package.json config already turns node-llama-cpp's postinstall off; the variable says the same to older setups.
        var environment = new Dictionary<string, string> { ["NODE_LLAMA_CPP_SKIP_DOWNLOAD"] = "true" };
        var (code, _, stderr) = await ExecAsync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], InstallTimeout, environment);
        if (code != 0)
        {
            throw new InvalidOperationException(
                $"npm ci in {ScriptDirectory} failed with code {code}; the llama.cpp reference needs the npm package node-llama-cpp.{Environment.NewLine}stderr:{Environment.NewLine}{stderr}");
        }

        if (!IsInstalled())
        {
            throw new InvalidOperationException($"npm ci in {ScriptDirectory} succeeded but node_modules/node-llama-cpp is still missing.");
        }
    }

    /// <summary>An exclusive lock file in the temp folder, so test processes sharing this checkout run npm ci one at a time.</summary>
    private static async Task<FileStream> AcquireInstallLockAsync()
    {
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(ScriptDirectory)))[..16];
        var path = Path.Combine(Path.GetTempPath(), $"switchyard-npm-ci-{key}.lock");
        var waited = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (waited.Elapsed < InstallTimeout)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250));
            }
        }
    }

    private static async Task<(int Code, string Stdout, string Stderr)> ExecAsync(
        string file, IReadOnlyList<string> args, TimeSpan timeout, IReadOnlyDictionary<string, string>? environment)
    {
        var psi = new ProcessStartInfo(file)
        {
            WorkingDirectory = ScriptDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var arg in args)
        {
            psi.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[name] = value;
        }

        Process process;
        try
        {
            process = Process.Start(psi) ?? throw new InvalidOperationException($"Could not start '{file}'.");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException(
                $"Could not run '{file}' ({e.Message}). The llama.cpp reference needs Node.js 20 or later and npm on PATH.", e);
        }

        using (process)
        {
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
                throw new TimeoutException(
                    $"{file} {Describe(args)} did not finish within {timeout}.{Environment.NewLine}stderr so far:{Environment.NewLine}{await stderr}");
            }

            return (process.ExitCode, await stdout, await stderr);
        }
    }

    private static int[] ReadInts(JsonElement root, string name) =>
        root.GetProperty(name).EnumerateArray().Select(e => e.GetInt32()).ToArray();

    private static float[] ReadFloats(JsonElement array)
    {
        var values = new float[array.GetArrayLength()];
        var i = 0;
        foreach (var e in array.EnumerateArray())
        {
            values[i++] = e.GetSingle();
        }

        return values;
    }

    private static string Describe(IEnumerable<string> args) =>
        string.Join(' ', args.Select(a => a.Contains(' ', StringComparison.Ordinal) ? $"\"{a}\"" : a));

    private static string Shorten(string text) => text.Length <= 2000 ? text : text[..2000] + "...";

    private static string FindRepoRoot() =>
        FindUp(AppContext.BaseDirectory)
        ?? FindUp(SourceDirectory())
        ?? throw new InvalidOperationException($"Switchyard.slnx not found above {AppContext.BaseDirectory} or {SourceDirectory()}.");

    private static string? FindUp(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Switchyard.slnx")))
            {
                return dir.FullName;
            }
        }

        return null;
    }

    /// <summary>This file's folder at compile time: the fallback when the tests run from an artifacts path outside the repository.</summary>
    private static string SourceDirectory([CallerFilePath] string sourceFile = "") =>
        Path.GetDirectoryName(sourceFile) ?? "";
}
