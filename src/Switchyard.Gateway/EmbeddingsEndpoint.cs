using Microsoft.AspNetCore.Http;
using Switchyard.Gateway.Embeddings;
using Switchyard.Gateway.OpenAI;

namespace Switchyard.Gateway;

/// <summary>
/// <c>POST /v1/embeddings</c>: OpenAI's embeddings API over embedding models and routes (<c>Kind: embedding</c>),
/// through the same pipeline as chat: keys, privacy guard (an input with a finding never reaches a zone the policy
/// excludes), rate limits, budgets, failover and the ledger (input tokens and their cost).
/// </summary>
public sealed class EmbeddingsEndpoint
{
    private readonly SwitchyardRuntime _runtime;
    private readonly PipelineRunner _runner;

    internal EmbeddingsEndpoint(SwitchyardRuntime runtime, PipelineRunner runner)
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
        var requestId = "emb-" + Guid.NewGuid().ToString("N");
        context.Response.Headers["x-request-id"] = requestId;

        var request = await _runner.ReadAsync(context, requestId, arrived, EmbeddingsRequestReader.Read,
            (response, ex) => OpenAIErrorWriter.WriteAsync(response, ex.Status, "invalid_request_error", ex.Code, ex.Message, ex.Param)).ConfigureAwait(false);
        if (request is not null)
        {
            var options = new Microsoft.Extensions.AI.ChatOptions { AdditionalProperties = [] };
            if (request.Dimensions is { } dimensions)
            {
                options.AdditionalProperties[Embedding.EmbeddingRequest.DimensionsKey] = dimensions;
            }

            await _runner.RunAsync(context, requestId, request.Model, Embedding.EmbeddingRequest.Messages(request.Inputs), options, stream: false, request.User, new EmbeddingsFormat(request.Base64)).ConfigureAwait(false);
        }
    }
}
