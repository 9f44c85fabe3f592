using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Switchyard.Bench;

/// <summary>Everything one run measured, the derived ratios, and their rendering as a table and as JSON.</summary>
internal sealed class Report
{
    public const double LatencyTarget = 2.0;
    public const double ThroughputTarget = 0.5;
    private static readonly string[] TargetNames = ["direct", "nginx", "gateway"];

    public required BenchOptions Options { get; init; }
    public required DateTimeOffset Started { get; init; }
    public required string LoadGenerator { get; init; }
    public required string NginxVersion { get; init; }
    public required string NginxWorkers { get; init; }
    public required string GatewayDescription { get; init; }

    /// <summary>mode ("plain"/"stream") → target → samples.</summary>
    public Dictionary<string, Dictionary<string, LatencySamples>> Latency { get; } = new(StringComparer.Ordinal);

    public List<LoadResult> Load { get; } = [];

    /// <summary>mode → busy CPU not charged to the benchmark's processes during the latency run, % of all cores.</summary>
    public Dictionary<string, double?> LatencyForeignCpuPercent { get; } = new(StringComparer.Ordinal);

    /// <summary>Above this, another workload probably disturbed a measurement.</summary>
    public const double ForeignWarnPercent = 5;

    private Summary Total(string mode, string target) => Summary.Of(Latency[mode][target].TotalUs);

    private Summary FirstChunk(string mode, string target) => Summary.Of(Latency[mode][target].FirstChunkUs);

    /// <summary>The median requests per second over the rounds of one target and mode.</summary>
    public double? MedianRps(string target, bool stream)
    {
        var values = Load.Where(r => r.Target == target && r.Stream == stream).Select(r => r.Rps).Order().ToArray();
        if (values.Length == 0)
        {
            return null;
        }

        return values.Length % 2 == 1 ? values[values.Length / 2] : (values[values.Length / 2 - 1] + values[values.Length / 2]) / 2;
    }

    private double? MedianCpuPerRequestUs(string target, bool stream, bool upstream)
    {
        var values = Load.Where(r => r.Target == target && r.Stream == stream)
            .Select(r => (upstream ? r.UpstreamCpuSeconds : r.ServerCpuSeconds) is { } s && r.Requests > 0 ? s * 1e6 / r.Requests : (double?)null)
            .Where(v => v is not null).Select(v => v!.Value).Order().ToArray();
        return values.Length == 0 ? null : values[values.Length / 2];
    }

    private sealed record Ratio(string Name, double? Gateway, double? Nginx, double? Value, double Target, bool AtMost, bool Headline)
    {
        public string Verdict => Value is not { } v ? "n/a" : (AtMost ? v <= Target : v >= Target) ? "MEETS" : "MISSES";
    }

    private List<Ratio> Ratios()
    {
        var list = new List<Ratio>();
        void Added(string label, Func<string, Summary> of, bool meanOrP50, bool headline)
        {
            double Pick(Summary s) => meanOrP50 ? s.MeanUs : s.P50Us;
            var direct = Pick(of("direct"));
            var nginx = Pick(of("nginx")) - direct;
            var gateway = Pick(of("gateway")) - direct;
            double? value = nginx > 0 ? gateway / nginx : null;
            list.Add(new Ratio(label + (meanOrP50 ? " (mean)" : " (p50)"), gateway, nginx, value, LatencyTarget, AtMost: true, headline));
        }

        Added("added latency, non-streamed", t => Total("plain", t), true, true);
        Added("added latency, non-streamed", t => Total("plain", t), false, false);
        if (Latency.ContainsKey("stream"))
        {
            Added("added time to first chunk, streamed", t => FirstChunk("stream", t), true, false);
            Added("added time to first chunk, streamed", t => FirstChunk("stream", t), false, false);
            Added("added time to last byte, streamed", t => Total("stream", t), true, false);
            Added("added time to last byte, streamed", t => Total("stream", t), false, false);
        }

        foreach (var stream in Options.Streams ? new[] { false, true } : [false])
        {
            var gw = MedianRps("gateway", stream);
            var ng = MedianRps("nginx", stream);
            double? value = gw is { } g && ng is { } n && n > 0 ? g / n : null;
            list.Add(new Ratio($"requests/s, {(stream ? "streamed" : "non-streamed")}", gw, ng, value, ThroughputTarget, AtMost: false, Headline: !stream));
        }

        return list;
    }

    public string ToTable()
    {
        var sb = new StringBuilder();
        void Line(string text = "") => sb.Append(text).Append('\n');
        string F(double? v, string format = "0") => v is { } x && double.IsFinite(x) ? x.ToString(format, CultureInfo.InvariantCulture) : "n/a";

        Line($"Switchyard gateway vs nginx proxy_pass, {Started.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture)}");
        Line($"Machine: {Environment.ProcessorCount} cores ({Tools.CpuModel()}), Linux {Tools.Kernel()}, .NET {Environment.Version}");
        Line($"nginx: {NginxVersion}, worker_processes {NginxWorkers}, access_log {(Options.NginxAccessLog ? "on" : "off")}, upstream keepalive, proxy_buffering off");
        Line($"Gateway: {GatewayDescription}");
        if (Options.Note is { } note)
        {
            Line($"Note: {note}");
        }

        Line($"Load generator: {LoadGenerator}");
        Line("NOTE: the load generator, the upstream, nginx/gateway and this driver all share the same cores.");
        Line();
        Line($"Latency: sequential requests on one keep-alive connection, {Options.Requests} measured per target after {Options.Warmup} warm-up; microseconds");
        Line($"  {"measure",-30} {"target",-8} {"mean",8} {"p50",8} {"p90",8} {"p99",8} {"added mean",11} {"added p50",10}");
        void Rows(string label, Func<string, Summary> of)
        {
            var direct = of("direct");
            foreach (var t in TargetNames)
            {
                var s = of(t);
                var addedMean = t == "direct" ? "" : F(s.MeanUs - direct.MeanUs);
                var addedP50 = t == "direct" ? "" : F(s.P50Us - direct.P50Us);
                Line($"  {(t == "direct" ? label : ""),-30} {t,-8} {F(s.MeanUs),8} {F(s.P50Us),8} {F(s.P90Us),8} {F(s.P99Us),8} {addedMean,11} {addedP50,10}");
            }
        }

        Rows("non-streamed, whole response", t => Total("plain", t));
        if (Latency.ContainsKey("stream"))
        {
            Rows("streamed, first chunk", t => FirstChunk("stream", t));
            Rows("streamed, last byte", t => Total("stream", t));
        }

        Line($"  CPU busy outside the benchmark's processes during these runs: " + string.Join(", ", LatencyForeignCpuPercent.Select(kv => $"{(kv.Key == "plain" ? "non-streamed" : "streamed")} {F(kv.Value, "0.0")}%")));

        Line();
        Line($"Throughput: {Options.Connections} connections, {Options.DurationSeconds} s per run after {Options.WarmupDurationSeconds} s warm-up, {Options.Rounds} round(s), median shown");
        Line($"  {"mode",-14} {"target",-8} {"req/s",9} {"errors",7} {"p50 us",8} {"p99 us",8} {"proxy CPU us/req",17} {"upstream CPU us/req",20} {"foreign CPU",12}");
        foreach (var stream in Options.Streams ? new[] { false, true } : [false])
        {
            foreach (var t in TargetNames)
            {
                var runs = Load.Where(r => r.Target == t && r.Stream == stream).ToList();
                if (runs.Count == 0)
                {
                    continue;
                }

                var p50 = runs.Select(r => r.P50Us).Order().ElementAt(runs.Count / 2);
                var p99 = runs.Select(r => r.P99Us).Order().ElementAt(runs.Count / 2);
                var proxyCpu = t == "direct" ? "-" : F(MedianCpuPerRequestUs(t, stream, upstream: false), "0.0");
                var upstreamCpu = F(MedianCpuPerRequestUs(t, stream, upstream: true), "0.0");
                var foreign = F(runs.Max(r => r.ForeignCpuPercent), "0.0") + "%";
                Line($"  {(t == "direct" ? (stream ? "streamed" : "non-streamed") : ""),-14} {t,-8} {F(MedianRps(t, stream)),9} {runs.Sum(r => r.Errors),7} {F(p50),8} {F(p99),8} {proxyCpu,17} {upstreamCpu,20} {foreign,12}");
            }
        }

        Line("  (CPU us/req: CPU time of that process tree over the run / requests served; foreign CPU: the most, over the rounds,");
        Line("   of the machine's busy time not charged to the benchmark's processes, % of all cores; kernel softirq time counts there)");
        var disturbed = LatencyForeignCpuPercent.Values.Concat(Load.Select(r => r.ForeignCpuPercent)).Any(v => v > ForeignWarnPercent);
        if (disturbed)
        {
            Line($"  WARNING: more than {ForeignWarnPercent:0}% of the machine was busy with something else during a measurement: treat the figures with care.");
        }

        Line();
        Line("Targets: gateway added latency <= 2x nginx added latency; gateway req/s >= 0.5x nginx req/s");
        Line($"  {"ratio gateway / nginx",-48} {"gateway",9} {"nginx",9} {"ratio",7} {"target",7}  verdict");
        foreach (var r in Ratios())
        {
            var target = (r.AtMost ? "<= " : ">= ") + r.Target.ToString("0.0", CultureInfo.InvariantCulture);
            Line($"  {(r.Headline ? "* " : "  ") + r.Name,-48} {F(r.Gateway),9} {F(r.Nginx),9} {F(r.Value, "0.00"),7} {target,7}  {r.Verdict}");
        }

        Line("  (* = the two headline ratios; 'added' = via proxy minus direct, in microseconds; n/a when nginx added <= 0)");
        return sb.ToString();
    }

    public JsonObject ToJson()
    {
        var latency = new JsonObject();
        foreach (var (mode, byTarget) in Latency)
        {
            var m = new JsonObject();
            foreach (var t in TargetNames)
            {
                var entry = new JsonObject { ["total"] = Total(mode, t).ToJson() };
                if (mode == "stream")
                {
                    entry["first_chunk"] = FirstChunk(mode, t).ToJson();
                }

                m[t] = entry;
            }

            latency[mode == "plain" ? "non_streamed" : "streamed"] = m;
        }

        var throughput = new JsonObject();
        foreach (var stream in Options.Streams ? new[] { false, true } : [false])
        {
            var m = new JsonObject();
            foreach (var t in TargetNames)
            {
                m[t] = new JsonObject
                {
                    ["median_rps"] = MedianRps(t, stream) is { } rps ? Math.Round(rps, 1) : null,
                    ["median_proxy_cpu_us_per_request"] = t == "direct" ? null : Round(MedianCpuPerRequestUs(t, stream, upstream: false)),
                    ["median_upstream_cpu_us_per_request"] = Round(MedianCpuPerRequestUs(t, stream, upstream: true)),
                    ["runs"] = new JsonArray(Load.Where(r => r.Target == t && r.Stream == stream).Select(r => (JsonNode)r.ToJson()).ToArray()),
                };
            }

            throughput[stream ? "streamed" : "non_streamed"] = m;
        }

        var ratios = new JsonArray(Ratios().Select(r => (JsonNode)new JsonObject
        {
            ["name"] = r.Name,
            ["headline"] = r.Headline,
            ["gateway"] = Round(r.Gateway),
            ["nginx"] = Round(r.Nginx),
            ["ratio"] = r.Value is { } v ? Math.Round(v, 3) : null,
            ["target"] = (r.AtMost ? "<= " : ">= ") + r.Target.ToString("0.0", CultureInfo.InvariantCulture),
            ["verdict"] = r.Verdict.ToLowerInvariant(),
        }).ToArray());

        return new JsonObject
        {
            ["note"] = Options.Note,
            ["date_utc"] = Started.UtcDateTime.ToString("O", CultureInfo.InvariantCulture),
            ["machine"] = new JsonObject
            {
                ["cores"] = Environment.ProcessorCount,
                ["cpu"] = Tools.CpuModel(),
                ["kernel"] = Tools.Kernel(),
                ["dotnet"] = Environment.Version.ToString(),
                ["shared_cores_note"] = "load generator, upstream, proxy and driver share the same cores",
            },
            ["settings"] = new JsonObject
            {
                ["requests"] = Options.Requests,
                ["warmup_requests"] = Options.Warmup,
                ["duration_seconds"] = Options.DurationSeconds,
                ["warmup_duration_seconds"] = Options.WarmupDurationSeconds,
                ["connections"] = Options.Connections,
                ["rounds"] = Options.Rounds,
                ["load_generator"] = LoadGenerator,
                ["nginx"] = NginxVersion,
                ["nginx_worker_processes"] = NginxWorkers,
                ["nginx_access_log"] = Options.NginxAccessLog,
                ["gateway"] = GatewayDescription,
                ["gateway_environment"] = new JsonObject(Options.GatewayEnvironment.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value))),
                ["ledger_dir"] = Options.LedgerDir,
            },
            ["latency_us"] = latency,
            ["latency_foreign_cpu_percent"] = new JsonObject(LatencyForeignCpuPercent.Select(kv => KeyValuePair.Create(kv.Key == "plain" ? "non_streamed" : "streamed", (JsonNode?)Round(kv.Value)))),
            ["throughput"] = throughput,
            ["ratios"] = ratios,
        };
    }

    private static double? Round(double? value) => value is { } v && double.IsFinite(v) ? Math.Round(v, 1) : null;
}
