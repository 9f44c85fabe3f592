using Microsoft.AspNetCore.Http;
using Switchyard.Gateway.OpenAI;
using Switchyard.Gateway.Responses;

namespace Switchyard.Gateway;

/// <summary>
/// <c>POST /v1/responses</c>: OpenAI's Responses API, stateless (<c>store: true</c> and <c>previous_response_id</c> are
/// refused by name), through the same pipeline as Chat Completions and served by any candidate, with answers, typed
/// event streams and errors in the Responses API's format.
/// </summary>
public sealed class ResponsesEndpoint
{
    private readonly SwitchyardRuntime _runtime;
    private readonly PipelineRunner _runner;

    internal ResponsesEndpoint(SwitchyardRuntime runtime, PipelineRunner runner)
    {
        ArgumentNullException.ThrowIfNull(runtime);
        ArgumentNullException.ThrowIfNull(runner);
        _runtime = runtime;
        _runner = runner;
    }

    /// <summary>Handles one request.</summary>
    public async Task HandleAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var time = _runtime.TimeProvider;
        var arrived = time.GetUtcNow();
        var requestId = "resp_" + Guid.NewGuid().ToString("N");
        context.Response.Headers["x-request-id"] = requestId;

        ResponsesRequest request;
        try
        {
            using var document = await PipelineEdge.ReadJsonAsync(context, _runtime.Options.Limits.MaxRequestBodyBytes).ConfigureAwait(false);
            request = ResponsesRequestReader.Read(document.RootElement);
        }
        catch (WireFormatException ex)
        {
            await PipelineEdge.RecordRejectedAsync(_runtime, context, requestId, arrived, ex.Status, ex.Message).ConfigureAwait(false);
            await OpenAIErrorWriter.WriteAsync(context.Response, ex.Status, "invalid_request_error", ex.Code, ex.Message, ex.Param).ConfigureAwait(false);
            return;
        }

        request.Options.ModelId = request.Model;
        var trace = PipelineEdge.StartTrace(context, requestId, request.User, request.Options);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(_runtime.Options.Limits.RequestTimeoutSeconds), time);
        trace.Deadline = deadline.Token;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, deadline.Token);
        var format = new ResponsesFormat(requestId, arrived.ToUnixTimeSeconds());
        await _runner.RunAsync(context, format, request.Messages, request.Options, request.Stream, request.Model, trace, deadline, linked.Token).ConfigureAwait(false);
    }
}
