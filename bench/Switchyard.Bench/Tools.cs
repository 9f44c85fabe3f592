using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Switchyard.Bench;

/// <summary>Small helpers: finding programs, their versions, free loopback ports, machine facts.</summary>
internal static class Tools
{
    /// <summary>The full path of <paramref name="program"/> on PATH (plus /usr/sbin and /sbin, where nginx lives), or null.</summary>
    public static string? Find(string program)
    {
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        foreach (var dir in path.Split(':', StringSplitOptions.RemoveEmptyEntries).Concat(["/usr/sbin", "/sbin", "/usr/local/sbin"]))
        {
            var candidate = Path.Combine(dir, program);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    /// <summary>The first line <paramref name="program"/> prints (stdout or stderr) for <paramref name="arg"/>, or "unknown".</summary>
    public static string Version(string program, string arg)
    {
        var path = Find(program);
        if (path is null)
        {
            return "not installed";
        }

        try
        {
            var info = new ProcessStartInfo(path, arg)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            if (!process.WaitForExit(5000))
            {
                process.Kill(entireProcessTree: true);
                return "unknown";
            }

            var text = stdout.Result + "\n" + stderr.Result;
            var line = text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0) ?? "unknown";
            // wrk prints its version followed by its usage on the same stream; keep the version part.
            var copyright = line.IndexOf(" Copyright", StringComparison.Ordinal);
            return copyright > 0 ? line[..copyright] : line;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return "unknown";
        }
    }

    /// <summary>A loopback port that was free a moment ago.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public static string CpuModel()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line is null ? "unknown" : line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim();
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    public static string Kernel()
    {
        try
        {
            return File.ReadAllText("/proc/sys/kernel/osrelease").Trim();
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    /// <summary>True when the effective user is root (nginx then needs a <c>user</c> directive to keep its workers as root).</summary>
    public static bool IsRoot() => Environment.UserName == "root";
}
