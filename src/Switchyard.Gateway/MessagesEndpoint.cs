using Microsoft.AspNetCore.Http;
using Switchyard.Gateway.Anthropic;
using Switchyard.Gateway.OpenAI;

namespace Switchyard.Gateway;

/// <summary>
/// <c>POST /v1/messages</c>: Anthropic's Messages API in front of every candidate. The request goes through the same
/// pipeline as Chat Completions (ledger, key authorization, privacy guard, rate limits, router and budgets), is served
/// by whichever candidate the route picks (translated for OpenAI-style and embedded models), and the answer and every
/// error come back in Anthropic's format. The <c>anthropic-version</c> header is accepted, not required.
/// </summary>
public sealed class MessagesEndpoint
{
    private readonly SwitchyardRuntime _runtime;
    private readonly PipelineRunner _runner;

    internal MessagesEndpoint(SwitchyardRuntime runtime, PipelineRunner runner)
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
        var requestId = "msg_" + Guid.NewGuid().ToString("N");
        context.Response.Headers["x-request-id"] = requestId;

        MessagesRequest request;
        try
        {
            using var document = await PipelineEdge.ReadJsonAsync(context, _runtime.Options.Limits.MaxRequestBodyBytes).ConfigureAwait(false);
            request = MessagesRequestReader.Read(document.RootElement);
        }
        catch (WireFormatException ex)
        {
            await PipelineEdge.RecordRejectedAsync(_runtime, context, requestId, arrived, ex.Status, ex.Message).ConfigureAwait(false);
            var message = ex.Param is null ? ex.Message : $"{ex.Param}: {ex.Message}";
            await AnthropicErrorWriter.WriteAsync(context.Response, ex.Status, message).ConfigureAwait(false);
            return;
        }

        request.Options.ModelId = request.Model;
        var trace = PipelineEdge.StartTrace(context, requestId, request.UserId, request.Options);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(_runtime.Options.Limits.RequestTimeoutSeconds), time);
        trace.Deadline = deadline.Token;
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, deadline.Token);
        await _runner.RunAsync(context, new AnthropicMessagesFormat(requestId), request.Messages, request.Options, request.Stream, request.Model, trace, deadline, linked.Token).ConfigureAwait(false);
    }
}
