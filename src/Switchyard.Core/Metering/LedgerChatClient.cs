using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchyard.Routing;

namespace Switchyard.Metering;

/// <summary>
/// Records one ledger row per request: who asked, what was decided, which model served, tokens, cost, latency,
/// time to first token and outcome. Place it outside the router so it sees the final decision.
/// </summary>
/// <remarks>
/// The record is handed to an <see cref="ILedgerSink"/> that writes off the request path. A streamed response that
/// fails mid-way is recorded as an error; one the caller stops reading is recorded as cancelled.
/// Only metadata is recorded, never message content.
/// </remarks>
public sealed class LedgerChatClient : DelegatingChatClient
{
    private readonly ILedgerSink _sink;
    private readonly TimeProvider _time;

    /// <summary>Wraps <paramref name="innerClient"/>.</summary>
    public LedgerChatClient(IChatClient innerClient, ILedgerSink sink, TimeProvider? timeProvider = null)
        : base(innerClient)
    {
        ArgumentNullException.ThrowIfNull(sink);
        _sink = sink;
        _time = timeProvider ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var (trace, opts) = Prepare(options, streamed: false);
        var arrived = _time.GetUtcNow();
        var start = _time.GetTimestamp();
        ChatResponse? response = null;
        Exception? failure = null;
        try
        {
            response = await base.GetResponseAsync(messages, opts, cancellationToken).ConfigureAwait(false);
            return response;
        }
        catch (Exception ex)
        {
            failure = ex;
            throw;
        }
        finally
        {
            await RecordAsync(trace, opts.ModelId, arrived, start, null, response?.Usage, failure, completed: response is not null, response?.ModelId).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var (trace, opts) = Prepare(options, streamed: true);
        var arrived = _time.GetUtcNow();
        var start = _time.GetTimestamp();
        TimeSpan? firstUpdate = null;
        UsageDetails? usage = null;
        string? reportedModel = null;
        Exception? failure = null;
        var completed = false;
        var updates = base.GetStreamingResponseAsync(messages, opts, cancellationToken).GetAsyncEnumerator(cancellationToken);
        try
        {
            while (true)
            {
                try
                {
                    if (!await updates.MoveNextAsync().ConfigureAwait(false))
                    {
                        completed = true;
                        break;
                    }
                }
                catch (Exception ex)
                {
                    failure = ex;
                    throw;
                }

                var update = updates.Current;
                firstUpdate ??= _time.GetElapsedTime(start);
                reportedModel = update.ModelId ?? reportedModel;
                foreach (var content in update.Contents)
                {
                    if (content is UsageContent u)
                    {
                        (usage ??= new UsageDetails()).Add(u.Details);
                    }
                }

                yield return update;
            }
        }
        finally
        {
            try
            {
                await updates.DisposeAsync().ConfigureAwait(false);
            }
            finally
            {
                await RecordAsync(trace, opts.ModelId, arrived, start, firstUpdate, usage, failure, completed, reportedModel).ConfigureAwait(false);
            }
        }
    }

    private (RequestTrace Trace, ChatOptions Options) Prepare(ChatOptions? options, bool streamed)
    {
        if (!_sink.CanAccept)
        {
            // Serving now would leave the request unrecorded (and its spend unsettled): refuse before any work is done.
            throw new RequestRefusedException(new FailureInfo(503, "service_unavailable", "ledger_unavailable", "The gateway cannot record requests right now (its database is not answering and the ledger queue is full); retry shortly.", TimeSpan.FromSeconds(1)));
        }

        options ??= new ChatOptions();
        var trace = RequestTrace.Get(options);
        if (trace is null)
        {
            trace = new RequestTrace(Guid.NewGuid().ToString("N"));
            trace.AttachTo(options);
        }

        trace.Streamed = streamed;
        return (trace, options);
    }

    private async ValueTask RecordAsync(RequestTrace trace, string? requested, DateTimeOffset arrived, long start, TimeSpan? firstUpdate, UsageDetails? usage, Exception? failure, bool completed, string? reportedModel)
    {
        var latency = _time.GetElapsedTime(start);
        var decision = trace.Decision?.Build();
        var served = decision?.Chosen is not null ? trace.Current : null;
        long input = usage?.InputTokenCount ?? 0, output = usage?.OutputTokenCount ?? 0, cached = usage?.CachedInputTokenCount ?? 0;
        var cacheWrite = UsageCounts.CacheWriteTokens(usage);
        var cost = (served is null ? 0m : CostCalculator.Cost(served.Price, input, cached, output, cacheWrite)) + (decision?.OverheadCost ?? 0m);

        string status;
        int httpStatus;
        string? error = null;
        if (failure is not null)
        {
            var info = failure is OperationCanceledException && trace.Deadline.IsCancellationRequested
                ? FailureInfo.RequestTimeout
                : FailureInfo.From(failure, trace.RequestId);
            status = info.Status == FailureInfo.ClientClosedRequest ? "cancelled" : "error";
            httpStatus = info.Status;
            error = info.Message;
        }
        else if (completed)
        {
            status = "ok";
            httpStatus = 200;
        }
        else
        {
            status = "cancelled";
            httpStatus = FailureInfo.ClientClosedRequest;
            error = "The client stopped reading the response.";
        }

        var record = new LedgerRecord(
            arrived,
            trace.RequestId,
            trace.Caller,
            requested ?? decision?.Requested ?? "",
            served?.Name,
            served?.ProviderId,
            served?.Zone,
            decision is null ? "null" : JsonSerializer.Serialize(decision, RoutingJsonContext.Default.RouteDecision),
            input,
            output,
            cached,
            cost,
            latency.TotalMilliseconds,
            firstUpdate?.TotalMilliseconds,
            status,
            httpStatus,
            error,
            trace.Streamed,
            trace.Principal?.KeyId,
            trace.Principal?.KeyPrefix,
            trace.Principal?.TeamId,
            trace.ReservedNanoUsd,
            cacheWrite,
            served is null ? null : reportedModel);
        try
        {
            await _sink.WriteAsync(record, CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidOperationException or ObjectDisposedException)
        {
            // The ledger was shut down under a request still finishing; nothing else can hold the record.
            Debug.WriteLine($"Ledger closed; record {record.RequestId} not written: {ex.Message}");
        }
    }
}
