using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Switchyard.Gateway.OpenAI;
using Switchyard.Metering;
using Switchyard.Routing;

namespace Switchyard.Gateway;

/// <summary>
/// <c>POST /v1/chat/completions</c>: reads the OpenAI request, sends it through the pipeline (ledger → router →
/// provider) and writes the answer, streamed as it arrives when <c>stream</c> is true.
/// </summary>
/// <remarks>
/// A streamed response's status and headers are sent only once the first update arrives, so a failure before any
/// output (after failover has run out) is still a proper HTTP error; a failure after that is an error event.
/// </remarks>
public sealed partial class ChatCompletionsEndpoint
{
    /// <summary>Request header declaring data classes (comma-separated) the request carries, e.g. <c>health, customer_id</c>.</summary>
    public const string DataClassHeader = PipelineEdge.DataClassHeader;

    private readonly SwitchyardRuntime _runtime;
    private readonly ILogger _logger;

    /// <summary>Creates the endpoint over a runtime.</summary>
    public ChatCompletionsEndpoint(SwitchyardRuntime runtime, ILogger<ChatCompletionsEndpoint> logger)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(logger);
        _runtime = runtime;
        _logger = logger;
    }

    /// <summary>Handles one request.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var time = _runtime.TimeProvider;
        var arrived = time.GetUtcNow();
        var requestId = "chatcmpl-" + Guid.NewGuid().ToString("N");
        context.Response.Headers["x-request-id"] = requestId;

        ChatCompletionRequest request;
        try
        {
            request = await ReadRequestAsync(context).ConfigureAwait(false);
        }
        catch (WireFormatException ex)
        {
            await PipelineEdge.RecordRejectedAsync(_runtime, context, requestId, arrived, ex.Status, ex.Message).ConfigureAwait(false);
            await OpenAIErrorWriter.WriteAsync(context.Response, ex.Status, "invalid_request_error", ex.Code, ex.Message, ex.Param).ConfigureAwait(false);
            return;
        }

        var trace = PipelineEdge.StartTrace(context, requestId, request.User, request.Options);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(_runtime.Options.Limits.RequestTimeoutSeconds), time);
        trace.Deadline = deadline.Token;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, deadline.Token);
        var created = arrived.ToUnixTimeSeconds();
        if (request.Stream)
        {
            await StreamAsync(context, request, trace, created, deadline, linked.Token).ConfigureAwait(false);
        }
        else
        {
            await CompleteAsync(context, request, trace, created, deadline, linked.Token).ConfigureAwait(false);
        }
    }

    private async Task CompleteAsync(HttpContext context, ChatCompletionRequest request, RequestTrace trace, long created, CancellationTokenSource deadline, CancellationToken cancellationToken)
    {
        ChatResponse response;
        try
        {
            response = await _runtime.Pipeline.GetResponseAsync(request.Messages, request.Options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested)
        {
            await WriteFailureAsync(context, trace, ex, deadline).ConfigureAwait(false);
            return;
        }
        catch (OperationCanceledException)
        {
            return; // the client went away; the ledger recorded it
        }

        PipelineEdge.SetHeaders(context, trace);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        using (var writer = new Utf8JsonWriter(context.Response.BodyWriter, WireJson.WriterOptions))
        {
            ChatCompletionWriter.WriteCompletion(writer, trace.RequestId, created, trace.Current?.Name ?? request.Model, response);
        }

        await context.Response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private async Task StreamAsync(HttpContext context, ChatCompletionRequest request, RequestTrace trace, long created, CancellationTokenSource deadline, CancellationToken cancellationToken)
    {
        var updates = _runtime.Pipeline.GetStreamingResponseAsync(request.Messages, request.Options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        ChatCompletionEventWriter? events = null;
        try
        {
            bool more;
            try
            {
                more = await updates.MoveNextAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested)
            {
                await WriteFailureAsync(context, trace, ex, deadline).ConfigureAwait(false);
                return;
            }

            if (trace.Current is { } serving)
            {
                trace.Decision?.Choose(serving.Name);
            }

            PipelineEdge.SetHeaders(context, trace);
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Response.ContentType = "text/event-stream";
            context.Response.Headers.CacheControl = "no-cache";
            context.Response.Headers["X-Accel-Buffering"] = "no";
            events = new ChatCompletionEventWriter(context.Response.BodyWriter, trace.RequestId, created, trace.Current?.Name ?? request.Model);

            while (more)
            {
                await events.WriteAsync(updates.Current, context.RequestAborted).ConfigureAwait(false);
                try
                {
                    more = await updates.MoveNextAsync().ConfigureAwait(false);
                }
                catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested)
                {
                    var failure = PipelineEdge.Classify(trace, ex, deadline);
                    LogMidStreamFailure(_logger, trace.RequestId, failure.Code, failure.Message);
                    await events.FailAsync(failure, context.RequestAborted).ConfigureAwait(false);
                    await AbortAfterGraceAsync(context).ConfigureAwait(false);
                    return;
                }
            }

            await events.CompleteAsync(request.IncludeUsage, context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away mid-stream; disposing the enumerator below records it as cancelled.
        }
        finally
        {
            events?.Dispose();
            await updates.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Ends a failed stream by aborting the connection rather than closing the body cleanly: clients that ignore
    /// SSE error events (the OpenAI .NET SDK does) then still see a broken response instead of a clean end.
    /// The short grace lets the error event leave the server before the abort discards unsent output.
    /// </summary>
    private static async Task AbortAfterGraceAsync(HttpContext context)
    {
        try
        {
            await Task.Delay(StreamAbortGrace, context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        context.Abort();
    }

    private static readonly TimeSpan StreamAbortGrace = TimeSpan.FromMilliseconds(100);

    private async Task WriteFailureAsync(HttpContext context, RequestTrace trace, Exception ex, CancellationTokenSource deadline)
    {
        var failure = PipelineEdge.Classify(trace, ex, deadline);
        if (failure.Status >= 500)
        {
            LogFailure(_logger, trace.RequestId, failure.Status, failure.Code, failure.Message, ex);
        }

        PipelineEdge.SetHeaders(context, trace);
        await OpenAIErrorWriter.WriteAsync(context.Response, failure).ConfigureAwait(false);
    }

    private async Task<ChatCompletionRequest> ReadRequestAsync(HttpContext context)
    {
        using var document = await PipelineEdge.ReadJsonAsync(context, _runtime.Options.Limits.MaxRequestBodyBytes).ConfigureAwait(false);
        return ChatCompletionRequestReader.Read(document.RootElement);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId} failed with {Status} {Code}: {Reason}")]
    private static partial void LogFailure(ILogger logger, string requestId, int status, string code, string reason, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId} failed mid-stream ({Code}): {Reason}")]
    private static partial void LogMidStreamFailure(ILogger logger, string requestId, string code, string reason);
}
