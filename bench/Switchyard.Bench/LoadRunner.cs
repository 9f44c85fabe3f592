using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace Switchyard.Bench;

/// <summary>The outcome of one load run against one target.</summary>
internal sealed record LoadResult(
    string Target, bool Stream, int Round, long Requests, long Errors, double Seconds, double P50Us, double P99Us,
    double? ServerCpuSeconds, double? UpstreamCpuSeconds, double? ForeignCpuPercent)
{
    public double Rps => Requests / Seconds;

    public JsonObject ToJson() => new()
    {
        ["target"] = Target,
        ["stream"] = Stream,
        ["round"] = Round,
        ["requests"] = Requests,
        ["errors"] = Errors,
        ["seconds"] = Math.Round(Seconds, 3),
        ["rps"] = Math.Round(Rps, 1),
        ["p50_us"] = Summary.Round(P50Us),
        ["p99_us"] = Summary.Round(P99Us),
        ["server_cpu_seconds"] = ServerCpuSeconds,
        ["upstream_cpu_seconds"] = UpstreamCpuSeconds,
        ["foreign_cpu_percent"] = ForeignCpuPercent is { } f ? Math.Round(f, 1) : null,
        ["server_cpu_us_per_request"] = ServerCpuSeconds is { } s && Requests > 0 ? Math.Round(s * 1e6 / Requests, 1) : null,
    };
}

/// <summary>Concurrent load for a fixed time: wrk when available, else an in-process .NET loop.</summary>
internal sealed class LoadRunner
{
    private readonly BenchOptions _options;
    private readonly string _workDir;
    private readonly string? _wrkPath;

    public LoadRunner(BenchOptions options, string workDir)
    {
        _options = options;
        _workDir = workDir;
        _wrkPath = options.LoadGenerator == "dotnet" ? null : Tools.Find("wrk");
        if (options.LoadGenerator == "wrk" && _wrkPath is null)
        {
            throw new InvalidOperationException("--load-generator wrk: wrk is not on PATH (bench/run.sh installs it with apt-get).");
        }
    }

    public bool UsesWrk => _wrkPath is not null;

    public string Description => UsesWrk
        ? $"wrk ({Tools.Version("wrk", "-v")}) -t{_options.Threads} -c{_options.Connections}, Lua script for the POST body"
        : $".NET load loop in the driver process: {_options.Connections} tasks on {_options.Connections} keep-alive HttpClient connections";

    /// <summary>Runs load for <paramref name="seconds"/>, reading the servers' CPU time (and the machine's) around it.</summary>
    public async Task<LoadResult> RunAsync(Target target, int upstreamPid, IReadOnlyList<int> allServerPids, bool stream, int round, int seconds, CancellationToken cancellationToken)
    {
        var foreign = ForeignCpu.Start(allServerPids);
        var serverBefore = ProcCpu.Read(target.ServerPid);
        var upstreamBefore = ProcCpu.Read(upstreamPid);
        var (requests, errors, elapsed, p50, p99) = UsesWrk
            ? await RunWrkAsync(target, stream, round, seconds, cancellationToken).ConfigureAwait(false)
            : await RunDotnetAsync(target, stream, seconds, cancellationToken).ConfigureAwait(false);
        var serverAfter = ProcCpu.Read(target.ServerPid);
        var upstreamAfter = ProcCpu.Read(upstreamPid);
        return new LoadResult(target.Name, stream, round, requests, errors, elapsed, p50, p99,
            (serverAfter - serverBefore)?.TotalSeconds, (upstreamAfter - upstreamBefore)?.TotalSeconds, foreign.StopPercent());
    }

    private async Task<(long, long, double, double, double)> RunWrkAsync(Target target, bool stream, int round, int seconds, CancellationToken cancellationToken)
    {
        var script = Path.Combine(_workDir, stream ? "wrk-stream.lua" : "wrk-plain.lua");
        if (!File.Exists(script))
        {
            var body = Encoding.UTF8.GetString(LatencyProbe.RequestBody(stream));
            await File.WriteAllTextAsync(script, $$"""
                wrk.method = "POST"
                wrk.headers["Content-Type"] = "application/json"
                wrk.body = '{{body}}'

                done = function(summary, latency, requests)
                  local e = summary.errors
                  io.write(string.format("BENCH_RESULT requests=%d duration_us=%d status=%d connect=%d read=%d write=%d timeout=%d p50_us=%d p99_us=%d\n",
                    summary.requests, summary.duration, e.status, e.connect, e.read, e.write, e.timeout,
                    latency:percentile(50), latency:percentile(99)))
                end
                """, cancellationToken).ConfigureAwait(false);
        }

        var log = Path.Combine(_workDir, $"wrk-{target.Name}-{(stream ? "stream" : "plain")}-{round}.log");
        string[] args =
        [
            "-t", _options.Threads.ToString(CultureInfo.InvariantCulture),
            "-c", _options.Connections.ToString(CultureInfo.InvariantCulture),
            "-d", seconds.ToString(CultureInfo.InvariantCulture) + "s",
            "--timeout", "5s",
            "-s", script,
            target.Url.ToString(),
        ];
        using var wrk = ChildProcess.Start("wrk", _wrkPath!, args, log, _workDir);
        var exit = await wrk.WaitForExitAsync(TimeSpan.FromSeconds(seconds + 20), cancellationToken).ConfigureAwait(false);
        var output = await File.ReadAllTextAsync(log, cancellationToken).ConfigureAwait(false);
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith("BENCH_RESULT ", StringComparison.Ordinal));
        if (exit != 0 || line is null)
        {
            throw new InvalidOperationException($"wrk against {target.Name} failed (exit {exit}):\n{output}");
        }

        var fields = line["BENCH_RESULT ".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(f => f.Split('='))
            .ToDictionary(f => f[0], f => long.Parse(f[1], NumberStyles.Integer, CultureInfo.InvariantCulture), StringComparer.Ordinal);
        var errors = fields["status"] + fields["connect"] + fields["read"] + fields["write"] + fields["timeout"];
        return (fields["requests"], errors, fields["duration_us"] / 1e6, fields["p50_us"], fields["p99_us"]);
    }

    private async Task<(long, long, double, double, double)> RunDotnetAsync(Target target, bool stream, int seconds, CancellationToken cancellationToken)
    {
        using var handler = new SocketsHttpHandler
        {
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            MaxConnectionsPerServer = _options.Connections,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        };
        using var client = new HttpClient(handler, disposeHandler: false) { Timeout = TimeSpan.FromSeconds(5) };
        var body = LatencyProbe.RequestBody(stream);
        long requests = 0;
        long errors = 0;
        var samples = new List<double>[_options.Connections];
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var clock = Stopwatch.StartNew();
        stop.CancelAfter(TimeSpan.FromSeconds(seconds));
        var workers = Enumerable.Range(0, _options.Connections).Select(n => Task.Run(async () =>
        {
            var mine = samples[n] = [];
            var buffer = new byte[16 * 1024];
            while (!stop.IsCancellationRequested)
            {
                var start = Stopwatch.GetTimestamp();
                try
                {
                    var content = new ByteArrayContent(body);
                    content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                    using var request = new HttpRequestMessage(HttpMethod.Post, target.Url) { Content = content };
                    using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, stop.Token).ConfigureAwait(false);
                    var stream = await response.Content.ReadAsStreamAsync(stop.Token).ConfigureAwait(false);
                    await using (stream.ConfigureAwait(false))
                    {
                        while (await stream.ReadAsync(buffer, stop.Token).ConfigureAwait(false) > 0)
                        {
                        }
                    }

                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        Interlocked.Increment(ref requests);
                        mine.Add(Stopwatch.GetElapsedTime(start).TotalMicroseconds);
                    }
                    else
                    {
                        Interlocked.Increment(ref errors);
                    }
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    // the run is over; a request cut off at the end is not counted
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref errors);
                }
            }
        }, CancellationToken.None)).ToArray();
        await Task.WhenAll(workers).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
        var elapsed = Math.Min(clock.Elapsed.TotalSeconds, seconds);
        var summary = Summary.Of(samples.SelectMany(s => s).ToList());
        return (requests, errors, elapsed, summary.P50Us, summary.P99Us);
    }
}
