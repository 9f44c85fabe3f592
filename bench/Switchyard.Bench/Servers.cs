using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Switchyard.Bench;

/// <summary>Starts the three server processes: the canned upstream, the Switchyard gateway and nginx.</summary>
internal static class Servers
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The dotnet host: this process when it is <c>dotnet</c>, else the one on PATH.</summary>
    public static string DotnetHost()
    {
        var self = Environment.ProcessPath;
        if (self is not null && Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            return self;
        }

        return Tools.Find("dotnet") ?? throw new InvalidOperationException("dotnet is not on PATH.");
    }

    public static async Task<ChildProcess> StartUpstreamAsync(int port, string workDir, CancellationToken cancellationToken)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "switchyard-bench.dll");
        var child = ChildProcess.Start("upstream", DotnetHost(), [dll, "upstream", "--port", port.ToString(CultureInfo.InvariantCulture)],
            Path.Combine(workDir, "upstream.log"), workDir);
        await child.WaitForPortAsync(port, StartTimeout, cancellationToken).ConfigureAwait(false);
        return child;
    }

    /// <summary>The gateway's switchyard.dll: <c>--gateway-dll</c>, else beside this harness in the artifacts tree.</summary>
    public static string GatewayDll(BenchOptions options)
    {
        if (options.GatewayDll is { } given)
        {
            return File.Exists(given) ? given : throw new InvalidOperationException($"--gateway-dll: {given} does not exist.");
        }

        // <artifacts>/bin/Switchyard.Bench/release/ -> <artifacts>/bin/Switchyard.Cli/release/switchyard.dll
        var here = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var candidate = Path.Combine(here.Parent!.Parent!.FullName, "Switchyard.Cli", here.Name, "switchyard.dll");
        return File.Exists(candidate)
            ? candidate
            : throw new InvalidOperationException($"switchyard.dll not found at {candidate}. Build src/Switchyard.Cli with the same --artifacts-path and -c, or pass --gateway-dll.");
    }

    /// <summary>The ledger's folder when it is outside the work dir (--ledger-dir), to remove after the run.</summary>
    public static string? ExternalLedgerDir { get; private set; }

    /// <summary>The gateway's ledger file.</summary>
    public static string? LedgerPath { get; private set; }

    public static async Task<ChildProcess> StartGatewayAsync(BenchOptions options, int port, int upstreamPort, string workDir, CancellationToken cancellationToken)
    {
        // With --ledger-dir (e.g. a tmpfs) the ledger goes into a fresh folder there, removed after the run.
        var ledgerDir = options.LedgerDir is { } dir ? Path.Combine(dir, $"switchyard-bench-ledger-{Environment.ProcessId}") : workDir;
        Directory.CreateDirectory(ledgerDir);
        ExternalLedgerDir = options.LedgerDir is null ? null : ledgerDir;
        var ledger = Path.Combine(ledgerDir, "ledger.db");
        LedgerPath = ledger;

        var config = new JsonObject
        {
            ["Switchyard"] = new JsonObject
            {
                ["Providers"] = new JsonObject
                {
                    ["upstream"] = new JsonObject
                    {
                        ["Kind"] = "openai-compatible",
                        ["BaseUrl"] = $"http://127.0.0.1:{upstreamPort}/v1",
                        ["MaxRetries"] = 0,
                    },
                },
                ["Models"] = new JsonObject
                {
                    ["bench"] = new JsonObject { ["Provider"] = "upstream", ["UpstreamModel"] = "bench-upstream" },
                },
                ["Ledger"] = new JsonObject { ["Path"] = ledger },
            },
        };
        var configPath = Path.Combine(workDir, "switchyard.json");
        await File.WriteAllTextAsync(configPath, config.ToJsonString(new() { WriteIndented = true }), cancellationToken).ConfigureAwait(false);

        var child = ChildProcess.Start("gateway", DotnetHost(),
            [GatewayDll(options), "serve", "--config", configPath, "--urls", $"http://127.0.0.1:{port}"],
            Path.Combine(workDir, "gateway.log"), workDir, options.GatewayEnvironment);
        await child.WaitForPortAsync(port, StartTimeout, cancellationToken).ConfigureAwait(false);

        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };
        using var health = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/healthz"), cancellationToken).ConfigureAwait(false);
        if (health.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"gateway /healthz answered {(int)health.StatusCode}. Log {child.LogPath}:\n{child.TailLog()}");
        }

        return child;
    }

    public static async Task<ChildProcess> StartNginxAsync(BenchOptions options, int port, int upstreamPort, string workDir, CancellationToken cancellationToken)
    {
        var nginx = Tools.Find("nginx") ?? throw new InvalidOperationException("nginx is not installed (bench/run.sh installs it with apt-get).");
        var prefix = Path.Combine(workDir, "nginx");
        Directory.CreateDirectory(prefix);
        var conf = Path.Combine(prefix, "nginx.conf");
        await File.WriteAllTextAsync(conf, NginxConfig(options, port, upstreamPort, prefix), cancellationToken).ConfigureAwait(false);
        var child = ChildProcess.Start("nginx", nginx, ["-p", prefix + "/", "-c", conf, "-e", Path.Combine(prefix, "error.log")],
            Path.Combine(workDir, "nginx.log"), workDir);
        await child.WaitForPortAsync(port, StartTimeout, cancellationToken).ConfigureAwait(false);
        return child;
    }

    /// <summary>
    /// A plain reverse proxy: keep-alive to the client and to the upstream, HTTP/1.1 upstream, no response
    /// buffering (SSE passes through as it comes). Limits on requests per keep-alive connection are raised so that
    /// nginx, like Kestrel, does not close busy connections every 1000 requests.
    /// </summary>
    public static string NginxConfig(BenchOptions options, int port, int upstreamPort, string prefix)
    {
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $$"""
            # Generated by Switchyard.Bench.
            daemon off;
            master_process on;
            worker_processes {{options.NginxWorkers}};
            pid {{prefix}}/nginx.pid;
            error_log {{prefix}}/error.log warn;

            """);
        if (Tools.IsRoot())
        {
            // A master running as root would switch its workers to "nobody"; keep them as the current user.
            sb.Append("user root root;\n");
        }

        sb.Append(CultureInfo.InvariantCulture, $$"""
            events {
                worker_connections 4096;
            }

            http {
                access_log {{(options.NginxAccessLog ? prefix + "/access.log" : "off")}};
                client_body_temp_path {{prefix}}/client_body;
                proxy_temp_path {{prefix}}/proxy;
                fastcgi_temp_path {{prefix}}/fastcgi;
                uwsgi_temp_path {{prefix}}/uwsgi;
                scgi_temp_path {{prefix}}/scgi;
                keepalive_timeout 75s;
                keepalive_requests 1000000;

                upstream bench_upstream {
                    server 127.0.0.1:{{upstreamPort}};
                    keepalive 128;
                    keepalive_requests 1000000;
                    keepalive_timeout 60s;
                }

                server {
                    listen 127.0.0.1:{{port}};
                    location / {
                        proxy_pass http://bench_upstream;
                        proxy_http_version 1.1;
                        proxy_set_header Connection "";
                        proxy_buffering off;
                    }
                }
            }

            """);
        return sb.ToString();
    }
}
