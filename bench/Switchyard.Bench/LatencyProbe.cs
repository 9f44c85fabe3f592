using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Switchyard.Bench;

/// <summary>One thing to measure: the upstream itself, or a proxy in front of it.</summary>
/// <param name="Name">direct, nginx or gateway.</param>
/// <param name="Url">The chat completions URL.</param>
/// <param name="ServerPid">The process (tree) that serves this target, for CPU accounting.</param>
internal sealed record Target(string Name, Uri Url, int ServerPid);

/// <summary>Latency samples of one target in one mode.</summary>
internal sealed class LatencySamples
{
    public List<double> TotalUs { get; } = [];

    /// <summary>Time to the first body bytes (streamed mode only).</summary>
    public List<double> FirstChunkUs { get; } = [];
}

/// <summary>
/// Sequential requests over one keep-alive connection per target. Targets are interleaved in blocks (the order
/// rotating each block) so that drift on the machine affects all of them alike.
/// </summary>
internal sealed class LatencyProbe : IDisposable
{
    private const int Blocks = 5;
    private readonly Dictionary<string, HttpClient> _clients = new(StringComparer.Ordinal);
    private readonly byte[] _buffer = new byte[64 * 1024];

    public LatencyProbe(IEnumerable<Target> targets)
    {
        foreach (var target in targets)
        {
            var handler = new SocketsHttpHandler
            {
                UseProxy = false,
                UseCookies = false,
                AllowAutoRedirect = false,
                AutomaticDecompression = DecompressionMethods.None,
                MaxConnectionsPerServer = 1,
                PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
                PooledConnectionIdleTimeout = TimeSpan.FromMinutes(10),
            };
            _clients[target.Name] = new HttpClient(handler, disposeHandler: true) { Timeout = TimeSpan.FromSeconds(10) };
        }
    }

    public static byte[] RequestBody(bool stream) => Encoding.UTF8.GetBytes(stream
        ? """{"model":"bench","messages":[{"role":"user","content":"Say hello."}],"max_tokens":64,"stream":true,"stream_options":{"include_usage":true}}"""
        : """{"model":"bench","messages":[{"role":"user","content":"Say hello."}],"max_tokens":64}""");

    /// <summary>Checks that the target answers both modes correctly, so that no figure is of an error path.</summary>
    public async Task ValidateAsync(Target target, bool checkStream, CancellationToken cancellationToken)
    {
        var client = _clients[target.Name];
        using (var request = NewRequest(target, stream: false))
        using (var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false))
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"{target.Name}: non-streamed request got {(int)response.StatusCode}: {text}");
            }

            using var doc = JsonDocument.Parse(text);
            var root = doc.RootElement;
            var content = root.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString();
            var total = root.GetProperty("usage").GetProperty("total_tokens").GetInt32();
            if (content != CannedUpstream.AnswerText || total != 30)
            {
                throw new InvalidOperationException($"{target.Name}: unexpected non-streamed answer: {text}");
            }

            if (target.Name == "gateway" && !response.Headers.Contains("x-switchyard-route"))
            {
                throw new InvalidOperationException("gateway: the response has no x-switchyard-route header.");
            }
        }

        if (!checkStream)
        {
            return;
        }

        using (var request = NewRequest(target, stream: true))
        using (var response = await client.SendAsync(request, cancellationToken).ConfigureAwait(false))
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.OK || response.Content.Headers.ContentType?.MediaType != "text/event-stream")
            {
                throw new InvalidOperationException($"{target.Name}: streamed request got {(int)response.StatusCode} {response.Content.Headers.ContentType}: {text}");
            }

            var data = text.Split('\n').Where(l => l.StartsWith("data: ", StringComparison.Ordinal)).Select(l => l[6..]).ToList();
            if (data.Count < 3 || data[^1] != "[DONE]")
            {
                throw new InvalidOperationException($"{target.Name}: the stream does not end with data: [DONE]: {text}");
            }

            var answer = new StringBuilder();
            var usageSeen = false;
            foreach (var json in data.Take(data.Count - 1))
            {
                using var doc = JsonDocument.Parse(json);
                var root = doc.RootElement;
                if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
                {
                    usageSeen = usage.GetProperty("total_tokens").GetInt32() == 30;
                }

                foreach (var choice in root.GetProperty("choices").EnumerateArray())
                {
                    if (choice.TryGetProperty("delta", out var delta) && delta.TryGetProperty("content", out var piece) && piece.ValueKind == JsonValueKind.String)
                    {
                        answer.Append(piece.GetString());
                    }
                }
            }

            if (answer.ToString() != CannedUpstream.AnswerText || !usageSeen)
            {
                throw new InvalidOperationException($"{target.Name}: unexpected stream (text '{answer}', usage seen: {usageSeen}): {text}");
            }
        }
    }

    /// <summary>Warm-up, then <paramref name="requests"/> measured requests per target.</summary>
    public async Task<Dictionary<string, LatencySamples>> MeasureAsync(IReadOnlyList<Target> targets, bool stream, int warmup, int requests, CancellationToken cancellationToken)
    {
        foreach (var target in targets)
        {
            for (var i = 0; i < warmup; i++)
            {
                await OneAsync(target, stream, null, cancellationToken).ConfigureAwait(false);
            }
        }

        var results = targets.ToDictionary(t => t.Name, _ => new LatencySamples(), StringComparer.Ordinal);
        var perBlock = (requests + Blocks - 1) / Blocks;
        for (var block = 0; block < Blocks; block++)
        {
            for (var k = 0; k < targets.Count; k++)
            {
                var target = targets[(block + k) % targets.Count];
                var samples = results[target.Name];
                var count = Math.Min(perBlock, requests - samples.TotalUs.Count);
                for (var i = 0; i < count; i++)
                {
                    await OneAsync(target, stream, samples, cancellationToken).ConfigureAwait(false);
                }
            }
        }

        return results;
    }

    private async Task OneAsync(Target target, bool stream, LatencySamples? samples, CancellationToken cancellationToken)
    {
        var client = _clients[target.Name];
        using var request = NewRequest(target, stream);
        var start = Stopwatch.GetTimestamp();
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"{target.Name}: got HTTP {(int)response.StatusCode} during the latency run.");
        }

        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (body.ConfigureAwait(false))
        {
            long firstChunk = 0;
            long total = 0;
            int read;
            while ((read = await body.ReadAsync(_buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (total == 0)
                {
                    firstChunk = Stopwatch.GetTimestamp();
                }

                total += read;
            }

            var end = Stopwatch.GetTimestamp();
            if (total == 0)
            {
                throw new InvalidOperationException($"{target.Name}: empty response body during the latency run.");
            }

            if (samples is not null)
            {
                samples.TotalUs.Add(Stopwatch.GetElapsedTime(start, end).TotalMicroseconds);
                if (stream)
                {
                    samples.FirstChunkUs.Add(Stopwatch.GetElapsedTime(start, firstChunk).TotalMicroseconds);
                }
            }
        }
    }

    private static HttpRequestMessage NewRequest(Target target, bool stream)
    {
        var content = new ByteArrayContent(stream ? StreamBody : PlainBody);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return new HttpRequestMessage(HttpMethod.Post, target.Url) { Content = content, Version = HttpVersion.Version11 };
    }

    private static readonly byte[] PlainBody = RequestBody(stream: false);
    private static readonly byte[] StreamBody = RequestBody(stream: true);

    public void Dispose()
    {
        foreach (var client in _clients.Values)
        {
            client.Dispose();
        }
    }
}
