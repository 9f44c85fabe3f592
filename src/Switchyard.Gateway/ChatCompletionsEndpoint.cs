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
public sealed class ChatCompletionsEndpoint
{
    /// <summary>Request header declaring data classes (comma-separated) the request carries, e.g. <c>health, customer_id</c>.</summary>
    public const string DataClassHeader = PipelineEdge.DataClassHeader;

    private readonly SwitchyardRuntime _runtime;
    private readonly PipelineRunner _runner;

    /// <summary>Creates the endpoint over a runtime.</summary>
    internal ChatCompletionsEndpoint(SwitchyardRuntime runtime, PipelineRunner runner)
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
        var requestId = "chatcmpl-" + Guid.NewGuid().ToString("N");
        context.Response.Headers["x-request-id"] = requestId;

        var request = await _runner.ReadAsync(context, requestId, arrived, ChatCompletionRequestReader.Read,
            (response, ex) => OpenAIErrorWriter.WriteAsync(response, ex.Status, "invalid_request_error", ex.Code, ex.Message, ex.Param)).ConfigureAwait(false);
        if (request is not null)
        {
            var format = new OpenAIChatFormat(requestId, arrived.ToUnixTimeSeconds(), request.IncludeUsage);
            (request.Options.AdditionalProperties ??= [])[Wire.FieldFidelity.FormatKey] = "Chat Completions";
            await _runner.RunAsync(context, requestId, request.Model, request.Messages, request.Options, request.Stream, request.User, format).ConfigureAwait(false);
        }
    }
}
