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
        var arrived = _runtime.TimeProvider.GetUtcNow();
        var requestId = "resp_" + Guid.NewGuid().ToString("N");
        context.Response.Headers["x-request-id"] = requestId;

        var request = await _runner.ReadAsync(context, requestId, arrived, ResponsesRequestReader.Read,
            (response, ex) => OpenAIErrorWriter.WriteAsync(response, ex.Status, "invalid_request_error", ex.Code, ex.Message, ex.Param)).ConfigureAwait(false);
        if (request is not null)
        {
            var format = new ResponsesFormat(requestId, arrived.ToUnixTimeSeconds());
            (request.Options.AdditionalProperties ??= [])[Wire.FieldFidelity.FormatKey] = "Responses";
            await _runner.RunAsync(context, requestId, request.Model, request.Messages, request.Options, request.Stream, request.User, format).ConfigureAwait(false);
        }
    }
}
