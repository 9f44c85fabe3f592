using System.Globalization;

namespace Switchyard.Bench;

/// <summary>Command-line options of the driver.</summary>
internal sealed class BenchOptions
{
    public const string Usage = """
        switchyard-bench [options]            run the benchmark (direct vs nginx vs gateway, one run)
        switchyard-bench upstream --port N    run only the canned upstream (the driver starts this itself)

        Options:
          --requests N          sequential requests per target and mode for latency (default 2000)
          --warmup N            sequential warm-up requests per target and mode, not measured (default 500)
          --duration S          seconds of load per throughput run (default 10)
          --warmup-duration S   seconds of unmeasured load per target before the latency runs and before
                                each throughput run (default 3)
          --connections N       concurrent connections for throughput (default 32)
          --threads N           wrk threads (default 2 = the core count of the reference machine)
          --rounds N            throughput runs per target and mode; the table shows the median (default 3)
          --load-generator G    auto | wrk | dotnet (default auto: wrk when on PATH)
          --nginx-workers W     nginx worker_processes: auto | N (default auto)
          --nginx-access-log B  on | off: nginx writes an access log line per request (default on)
          --gateway-dll PATH    switchyard.dll (default: found beside this harness in the artifacts tree)
          --ledger-dir DIR      where the gateway's SQLite ledger goes (default: the run's temp dir, which is
                                also the gateway's working directory, as with the default switchyard.db)
          --gateway-env K=V     environment variable for the gateway process (repeatable), e.g. DOTNET_TieredPGO=0
          --no-stream           skip the streamed measurements
          --json PATH           also write the results as JSON to PATH
          --keep-temp           keep the temp dir (configs, logs, ledger) after the run
          --note TEXT           a note printed with the results and stored in the JSON (e.g. the commit)
        """;

    public int Requests { get; private set; } = 2000;
    public int Warmup { get; private set; } = 500;
    public int DurationSeconds { get; private set; } = 10;
    public int WarmupDurationSeconds { get; private set; } = 3;
    public int Connections { get; private set; } = 32;
    public int Threads { get; private set; } = 2;
    public int Rounds { get; private set; } = 3;
    public string LoadGenerator { get; private set; } = "auto";
    public string NginxWorkers { get; private set; } = "auto";
    public bool NginxAccessLog { get; private set; } = true;
    public string? GatewayDll { get; private set; }
    public string? LedgerDir { get; private set; }
    public Dictionary<string, string> GatewayEnvironment { get; } = new(StringComparer.Ordinal);
    public bool Streams { get; private set; } = true;
    public string? JsonPath { get; private set; }
    public bool KeepTemp { get; private set; }
    public string? Note { get; private set; }

    /// <summary>Parses the arguments; throws <see cref="ArgumentException"/> with a message for the user.</summary>
    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var o = new BenchOptions();
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            string Value()
            {
                if (i + 1 >= args.Count)
                {
                    throw new ArgumentException($"{name} needs a value.");
                }

                return args[++i];
            }

            int Int(int min, int max)
            {
                var text = Value();
                if (!int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) || v < min || v > max)
                {
                    throw new ArgumentException($"{name}: '{text}' is not a whole number from {min} to {max}.");
                }

                return v;
            }

            switch (name)
            {
                case "--requests": o.Requests = Int(10, 1_000_000); break;
                case "--warmup": o.Warmup = Int(0, 1_000_000); break;
                case "--duration": o.DurationSeconds = Int(1, 600); break;
                case "--warmup-duration": o.WarmupDurationSeconds = Int(0, 60); break;
                case "--connections": o.Connections = Int(1, 10_000); break;
                case "--threads": o.Threads = Int(1, 64); break;
                case "--rounds": o.Rounds = Int(1, 20); break;
                case "--load-generator":
                    o.LoadGenerator = Value();
                    if (o.LoadGenerator is not ("auto" or "wrk" or "dotnet"))
                    {
                        throw new ArgumentException("--load-generator must be auto, wrk or dotnet.");
                    }

                    break;
                case "--nginx-workers":
                    o.NginxWorkers = Value();
                    if (o.NginxWorkers != "auto" && !(int.TryParse(o.NginxWorkers, NumberStyles.None, CultureInfo.InvariantCulture, out var w) && w is >= 1 and <= 64))
                    {
                        throw new ArgumentException("--nginx-workers must be auto or a number from 1 to 64.");
                    }

                    break;
                case "--nginx-access-log":
                    var log = Value();
                    o.NginxAccessLog = log switch
                    {
                        "on" => true,
                        "off" => false,
                        _ => throw new ArgumentException("--nginx-access-log must be on or off."),
                    };
                    break;
                case "--gateway-dll": o.GatewayDll = Path.GetFullPath(Value()); break;
                case "--ledger-dir": o.LedgerDir = Path.GetFullPath(Value()); break;
                case "--gateway-env":
                    var pair = Value();
                    var eq = pair.IndexOf('=', StringComparison.Ordinal);
                    if (eq <= 0)
                    {
                        throw new ArgumentException($"--gateway-env: '{pair}' is not KEY=VALUE.");
                    }

                    o.GatewayEnvironment[pair[..eq]] = pair[(eq + 1)..];
                    break;
                case "--no-stream": o.Streams = false; break;
                case "--json": o.JsonPath = Path.GetFullPath(Value()); break;
                case "--keep-temp": o.KeepTemp = true; break;
                case "--note": o.Note = Value(); break;
                default: throw new ArgumentException($"Unknown option '{name}'.");
            }
        }

        return o;
    }
}
