using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Switchyard.Gateway.OpenAI;
using Switchyard.Routing;

namespace Switchyard.Gateway;

/// <summary>
/// Sends one request through the pipeline and writes the answer in the client's wire format, streamed as it arrives
/// or whole. A streamed response's status and headers are sent only once the first update arrives, so a failure
/// before any output (after failover has run out) is still a proper HTTP error; a failure after that is an error
/// event, then an aborted connection.
/// </summary>
internal sealed partial class PipelineRunner(SwitchyardRuntime runtime, ILogger<PipelineRunner> logger)
{
    private static readonly TimeSpan StreamAbortGrace = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Reads the body with <paramref name="read"/>; a body the format refuses is recorded in the ledger and answered
    /// with <paramref name="writeError"/>, and null is returned.
    /// </summary>
    public async Task<TRequest?> ReadAsync<TRequest>(HttpContext context, string requestId, DateTimeOffset arrived, Func<JsonElement, TRequest> read, Func<HttpResponse, WireFormatException, Task> writeError)
        where TRequest : class
    {
        try
        {
            return await PipelineEdge.ReadAsync(context, runtime.Options.Limits.MaxRequestBodyBytes, read).ConfigureAwait(false);
        }
        catch (WireFormatException ex)
        {
            await PipelineEdge.RecordRejectedAsync(runtime, context, requestId, arrived, ex.Status, ex.Message).ConfigureAwait(false);
            await writeError(context.Response, ex).ConfigureAwait(false);
            return null;
        }
    }

    /// <summary>Runs the request under the gateway's request timeout, with its trace created at the edge.</summary>
    public async Task RunAsync(HttpContext context, string requestId, string model, IEnumerable<ChatMessage> messages, ChatOptions options, bool stream, string? user, IWireFormat format)
    {
        options.ModelId = model;
        if (runtime.Catalog.IsEmbedding(model) is { } embedding && embedding != format.Embeddings)
        {
            // Checked before the pipeline: an embedding model has no answer to a chat request, and the reverse.
            var message = embedding
                ? $"'{model}' is an embedding model: send it to POST /v1/embeddings."
                : $"'{model}' is a chat model: /v1/embeddings needs a model or route with Kind \"embedding\" (GET /v1/models lists them).";
            await PipelineEdge.RecordRejectedAsync(runtime, context, requestId, runtime.TimeProvider.GetUtcNow(), StatusCodes.Status400BadRequest, message).ConfigureAwait(false);
            await format.WriteErrorAsync(context.Response, new FailureInfo(StatusCodes.Status400BadRequest, "invalid_request_error", "model_not_supported", message)).ConfigureAwait(false);
            return;
        }

        var trace = PipelineEdge.StartTrace(context, requestId, user, options);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(runtime.Options.Limits.RequestTimeoutSeconds), runtime.TimeProvider);
        trace.Deadline = deadline.Token;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, deadline.Token);
        await (stream
            ? StreamAsync(context, format, messages, options, model, trace, deadline, linked.Token)
            : CompleteAsync(context, format, messages, options, model, trace, deadline, linked.Token)).ConfigureAwait(false);
    }

    private async Task CompleteAsync(HttpContext context, IWireFormat format, IEnumerable<ChatMessage> messages, ChatOptions options, string requestedModel, RequestTrace trace, CancellationTokenSource deadline, CancellationToken cancellationToken)
    {
        ChatResponse response;
        try
        {
            response = await runtime.Pipeline.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested)
        {
            await WriteFailureAsync(context, format, trace, ex, deadline).ConfigureAwait(false);
            return;
        }
        catch (OperationCanceledException)
        {
            return; // the client went away; the ledger recorded it
        }

        PipelineEdge.SetHeaders(context, trace);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = format.ContentType;
        using (var writer = new Utf8JsonWriter(context.Response.BodyWriter, WireJson.WriterOptions))
        {
            format.WriteCompletion(writer, trace.Current?.Name ?? requestedModel, response);
        }

        await context.Response.BodyWriter.FlushAsync(context.RequestAborted).ConfigureAwait(false);
    }

    private async Task StreamAsync(HttpContext context, IWireFormat format, IEnumerable<ChatMessage> messages, ChatOptions options, string requestedModel, RequestTrace trace, CancellationTokenSource deadline, CancellationToken cancellationToken)
    {
        var updates = runtime.Pipeline.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        IWireStream? events = null;
        try
        {
            bool more;
            try
            {
                more = await updates.MoveNextAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (!context.RequestAborted.IsCancellationRequested)
            {
                await WriteFailureAsync(context, format, trace, ex, deadline).ConfigureAwait(false);
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
            events = format.OpenStream(context.Response.BodyWriter, trace.Current?.Name ?? requestedModel);

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
                    LogMidStreamFailure(logger, trace.RequestId, failure.Code, failure.Message);
                    await events.FailAsync(failure, context.RequestAborted).ConfigureAwait(false);
                    await AbortAfterGraceAsync(context).ConfigureAwait(false);
                    return;
                }
            }

            await events.CompleteAsync(context.RequestAborted).ConfigureAwait(false);
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

    private async Task WriteFailureAsync(HttpContext context, IWireFormat format, RequestTrace trace, Exception ex, CancellationTokenSource deadline)
    {
        var failure = PipelineEdge.Classify(trace, ex, deadline);
        if (failure.Status >= 500)
        {
            LogFailure(logger, trace.RequestId, failure.Status, failure.Code, failure.Message, ex);
        }

        PipelineEdge.SetHeaders(context, trace);
        await format.WriteErrorAsync(context.Response, failure).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId} failed with {Status} {Code}: {Reason}")]
    private static partial void LogFailure(ILogger logger, string requestId, int status, string code, string reason, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {RequestId} failed mid-stream ({Code}): {Reason}")]
    private static partial void LogMidStreamFailure(ILogger logger, string requestId, string code, string reason);
}
