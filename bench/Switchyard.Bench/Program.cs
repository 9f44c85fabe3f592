using System.Globalization;
using System.Runtime.InteropServices;

namespace Switchyard.Bench;

/// <summary>
/// Entry point. <c>upstream --port N</c> runs the canned upstream; anything else runs the driver: upstream, gateway
/// and nginx as child processes, latency then throughput for direct / nginx / gateway, a table and optional JSON.
/// </summary>
internal static class Program
{
    private static readonly CancellationTokenSource Abort = new();
    private static int _signals;

    public static async Task<int> Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "upstream")
        {
            var port = args.Length == 3 && args[1] == "--port" && int.TryParse(args[2], NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : -1;
            if (port is < 1 or > 65535)
            {
                await Console.Error.WriteLineAsync("usage: switchyard-bench upstream --port N").ConfigureAwait(false);
                return 2;
            }

            return await CannedUpstream.RunAsync(port).ConfigureAwait(false);
        }

        if (args.Contains("--help") || args.Contains("-h"))
        {
            Console.WriteLine(BenchOptions.Usage);
            return 0;
        }

        BenchOptions options;
        try
        {
            options = BenchOptions.Parse(args);
        }
        catch (ArgumentException ex)
        {
            await Console.Error.WriteLineAsync(ex.Message + "\n\n" + BenchOptions.Usage).ConfigureAwait(false);
            return 2;
        }

        // Children die with us: on Ctrl+C / SIGTERM / SIGHUP, on an unhandled error, and on normal exit.
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnSignal);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => ChildProcess.KillAll();
        AppDomain.CurrentDomain.UnhandledException += (_, _) => ChildProcess.KillAll();

        // A hard bound on the whole run, generous enough for slow starts.
        var loadRuns = (options.Rounds + 1) * (options.Streams ? 2 : 1) * 3;
        var latencyRequests = (options.Requests + options.Warmup) * 3 * (options.Streams ? 2 : 1);
        var budget = TimeSpan.FromSeconds(240 + latencyRequests * 0.02 + loadRuns * (options.DurationSeconds + options.WarmupDurationSeconds + 30));
        Abort.CancelAfter(budget);

        var workDir = Directory.CreateTempSubdirectory("switchyard-bench-").FullName;
        var failed = true;
        try
        {
            var report = await RunAsync(options, workDir, Abort.Token).ConfigureAwait(false);
            Console.WriteLine();
            Console.Write(report.ToTable());
            if (options.JsonPath is { } json)
            {
                var dir = Path.GetDirectoryName(json);
                if (!string.IsNullOrEmpty(dir))
                {
                    Directory.CreateDirectory(dir);
                }

                await File.WriteAllTextAsync(json, report.ToJson().ToJsonString(new() { WriteIndented = true }) + "\n").ConfigureAwait(false);
                Console.WriteLine($"JSON written to {json}");
            }

            failed = false;
            return 0;
        }
        catch (OperationCanceledException) when (Abort.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync(Volatile.Read(ref _signals) > 0
                ? "Interrupted; child processes stopped."
                : $"The run exceeded its time bound of {budget.TotalSeconds:0} s; child processes stopped.").ConfigureAwait(false);
            return 130;
        }
        catch (Exception ex) when (ex is InvalidOperationException or TimeoutException or IOException or HttpRequestException or System.Text.Json.JsonException or KeyNotFoundException or System.ComponentModel.Win32Exception or TaskCanceledException)
        {
            await Console.Error.WriteLineAsync("Benchmark failed: " + ex.Message).ConfigureAwait(false);
            return 1;
        }
        finally
        {
            ChildProcess.KillAll();
            if (Servers.ExternalLedgerDir is { } ledgerDir && !options.KeepTemp)
            {
                TryDelete(ledgerDir);
            }

            if (options.KeepTemp || failed)
            {
                Console.Error.WriteLine($"Configs and logs kept in {workDir}");
            }
            else
            {
                TryDelete(workDir);
            }
        }
    }

    private static void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true; // unwind through the finally blocks rather than dying on the spot
        if (Interlocked.Increment(ref _signals) > 1)
        {
            ChildProcess.KillAll();
            Environment.Exit(130);
        }

        Abort.Cancel();
        ChildProcess.KillAll();
    }

    private static async Task<Report> RunAsync(BenchOptions options, string workDir, CancellationToken cancellationToken)
    {
        var started = TimeProvider.System.GetUtcNow();
        var upstreamPort = Tools.FreePort();
        var nginxPort = Tools.FreePort();
        var gatewayPort = Tools.FreePort();
        while (nginxPort == upstreamPort)
        {
            nginxPort = Tools.FreePort();
        }

        while (gatewayPort == upstreamPort || gatewayPort == nginxPort)
        {
            gatewayPort = Tools.FreePort();
        }

        Log($"work dir {workDir}");
        var loadRunner = new LoadRunner(options, workDir);
        Log($"starting upstream on 127.0.0.1:{upstreamPort}");
        using var upstream = await Servers.StartUpstreamAsync(upstreamPort, workDir, cancellationToken).ConfigureAwait(false);
        Log($"starting gateway on 127.0.0.1:{gatewayPort} ({Servers.GatewayDll(options)})");
        using var gateway = await Servers.StartGatewayAsync(options, gatewayPort, upstreamPort, workDir, cancellationToken).ConfigureAwait(false);
        Log($"starting nginx on 127.0.0.1:{nginxPort}");
        using var nginx = await Servers.StartNginxAsync(options, nginxPort, upstreamPort, workDir, cancellationToken).ConfigureAwait(false);

        const string Path = "/v1/chat/completions";
        Target[] targets =
        [
            new("direct", new Uri($"http://127.0.0.1:{upstreamPort}{Path}"), upstream.Id),
            new("nginx", new Uri($"http://127.0.0.1:{nginxPort}{Path}"), nginx.Id),
            new("gateway", new Uri($"http://127.0.0.1:{gatewayPort}{Path}"), gateway.Id),
        ];

        int[] serverPids = [upstream.Id, nginx.Id, gateway.Id];
        var report = new Report
        {
            Options = options,
            Started = started,
            LoadGenerator = loadRunner.Description,
            NginxVersion = Tools.Version("nginx", "-v"),
            NginxWorkers = options.NginxWorkers == "auto" ? $"auto (= {Environment.ProcessorCount} here)" : options.NginxWorkers,
            GatewayDescription = $"{Servers.GatewayDll(options)}, ledger {Servers.LedgerPath} ("
                + (options.LedgerDir is null ? "in the gateway's working directory" : "--ledger-dir") + ")"
                + (options.GatewayEnvironment.Count == 0 ? "" : ", env " + string.Join(" ", options.GatewayEnvironment.Select(kv => kv.Key + "=" + kv.Value))),
        };

        using (var probe = new LatencyProbe(targets))
        {
            foreach (var target in targets)
            {
                await probe.ValidateAsync(target, options.Streams, cancellationToken).ConfigureAwait(false);
            }

            Log("all three targets answer correctly (non-streamed and streamed)");

            // Warm every target under load first, so that the JIT's tiering (with dynamic PGO) of the gateway and the
            // upstream is done before anything is measured; a few hundred sequential requests are not enough for that.
            if (options.WarmupDurationSeconds > 0)
            {
                Log($"warm-up: {options.WarmupDurationSeconds} s of concurrent load per target and mode");
                foreach (var stream in options.Streams ? new[] { false, true } : [false])
                {
                    foreach (var target in targets)
                    {
                        await loadRunner.RunAsync(target, upstream.Id, serverPids, stream, 0, options.WarmupDurationSeconds, cancellationToken).ConfigureAwait(false);
                    }
                }

                await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
            }
            foreach (var stream in options.Streams ? new[] { false, true } : [false])
            {
                Log($"latency, {(stream ? "streamed" : "non-streamed")}: {options.Warmup} warm-up + {options.Requests} requests per target");
                var foreign = ForeignCpu.Start(serverPids);
                report.Latency[stream ? "stream" : "plain"] = await probe.MeasureAsync(targets, stream, options.Warmup, options.Requests, cancellationToken).ConfigureAwait(false);
                report.LatencyForeignCpuPercent[stream ? "stream" : "plain"] = foreign.StopPercent();
            }
        }

        Log("throughput with " + loadRunner.Description);
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
        for (var round = 1; round <= options.Rounds; round++)
        {
            foreach (var stream in options.Streams ? new[] { false, true } : [false])
            {
                for (var k = 0; k < targets.Length; k++)
                {
                    // Rotate the order each round so that no target always runs first (or right after the gateway).
                    var target = targets[(k + round - 1) % targets.Length];
                    if (options.WarmupDurationSeconds > 0)
                    {
                        await loadRunner.RunAsync(target, upstream.Id, serverPids, stream, 0, options.WarmupDurationSeconds, cancellationToken).ConfigureAwait(false);
                    }

                    await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
                    var result = await loadRunner.RunAsync(target, upstream.Id, serverPids, stream, round, options.DurationSeconds, cancellationToken).ConfigureAwait(false);
                    report.Load.Add(result);
                    Log(string.Create(CultureInfo.InvariantCulture,
                        $"round {round} {(stream ? "streamed" : "non-streamed"),-12} {target.Name,-8} {result.Rps,9:0} req/s, {result.Errors} errors, p50 {result.P50Us:0} us, p99 {result.P99Us:0} us, foreign CPU {result.ForeignCpuPercent:0.0}%"));
                    if (result.Errors > 0)
                    {
                        Log($"  warning: {result.Errors} errors against {target.Name}; see the logs in {workDir}");
                    }

                    // Let the gateway's ledger writer and the kernel settle before the next target.
                    await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
                }
            }
        }

        foreach (var child in new[] { upstream, gateway, nginx })
        {
            if (child.HasExited)
            {
                throw new InvalidOperationException($"{child.Name} exited during the run. Log {child.LogPath}:\n{child.TailLog()}");
            }
        }

        return report;
    }

    private static void Log(string message) =>
        Console.Error.WriteLine($"[{TimeProvider.System.GetLocalNow().ToString("HH:mm:ss", CultureInfo.InvariantCulture)}] {message}");

    private static void TryDelete(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
