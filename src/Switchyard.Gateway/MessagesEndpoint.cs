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
        var arrived = _runtime.TimeProvider.GetUtcNow();
        var requestId = "msg_" + Guid.NewGuid().ToString("N");
        context.Response.Headers["x-request-id"] = requestId;
        context.Response.Headers["request-id"] = requestId; // the header Anthropic's SDKs read

        var request = await _runner.ReadAsync(context, requestId, arrived, root => MessagesRequestReader.Read(root),
            (response, ex) => AnthropicErrorWriter.WriteAsync(response, ex.Status, ex.Message)).ConfigureAwait(false);
        if (request is not null)
        {
            if (context.Request.Headers["anthropic-beta"] is { Count: > 0 } beta)
            {
                // Forwarded to an Anthropic upstream as sent; other providers have no use for it.
                (request.Options.AdditionalProperties ??= [])[Wire.AnthropicNative.BetaKey] = string.Join(',', beta.ToArray());
            }

            (request.Options.AdditionalProperties ??= [])[Wire.FieldFidelity.FormatKey] = "Messages";
            await _runner.RunAsync(context, requestId, request.Model, request.Messages, request.Options, request.Stream, request.UserId, new AnthropicMessagesFormat(requestId)).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// <c>POST /v1/messages/count_tokens</c>: <c>{"input_tokens": N}</c> for the model or route's first candidate. Exact
    /// (the model's own template and tokenizer) for embedded models; forwarded to an Anthropic upstream's own
    /// count_tokens as the client wrote it (under the privacy egress check); otherwise, or when that upstream fails or
    /// the policy keeps the conversation from its zone, an estimate of a quarter token per UTF-8 byte. The
    /// <c>x-switchyard-token-count</c> header says which (<c>exact</c>, <c>upstream</c> or <c>estimate</c>). Nothing is
    /// billed, so no ledger row is written.
    /// </summary>
    public async Task HandleCountTokensAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        MessagesRequest request;
        System.Text.Json.JsonElement body;
        try
        {
            (request, body) = await PipelineEdge.ReadAsync(context, _runtime.Options.Limits.MaxRequestBodyBytes, root => (MessagesRequestReader.Read(root, countTokens: true), root.Clone())).ConfigureAwait(false);
        }
        catch (WireFormatException ex)
        {
            await AnthropicErrorWriter.WriteAsync(context.Response, ex.Status, ex.Message).ConfigureAwait(false);
            return;
        }

        if (!_runtime.Catalog.TryResolve(request.Model, out _, out var candidates) || candidates.Count == 0)
        {
            await AnthropicErrorWriter.WriteAsync(context.Response, 404, $"model: '{request.Model}' is not a configured model or route.").ConfigureAwait(false);
            return;
        }

        if (ApiKeyEndpointFilter.PrincipalOf(context) is { } principal && !principal.MayRequest(request.Model))
        {
            await AnthropicErrorWriter.WriteAsync(context.Response, 403, $"The API key {principal.KeyPrefix} may not use the model '{request.Model}'.").ConfigureAwait(false);
            return;
        }

        long tokens = 0;
        string? kind = null;
        if (candidates[0].Client.GetService(typeof(Wire.IAnthropicTokenCounter)) is Wire.IAnthropicTokenCounter upstream)
        {
            try
            {
                var beta = context.Request.Headers["anthropic-beta"] is { Count: > 0 } b ? string.Join(',', b.ToArray()) : null;
                tokens = await upstream.CountTokensAsync(body, beta, context.RequestAborted).ConfigureAwait(false);
                kind = "upstream";
            }
            catch (Routing.ProviderException ex) when (ex.Kind == Routing.ProviderFailureKind.BadRequest)
            {
                await AnthropicErrorWriter.WriteAsync(context.Response, 400, ex.Message).ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (ex is Routing.ProviderException or Privacy.Egress.PrivacyEgressException or HttpRequestException or IOException)
            {
                // The upstream is down, or the privacy policy keeps this conversation from its zone: estimate instead.
            }
        }

        if (kind is null && candidates[0].Client.GetService(typeof(Routing.IPromptTokenCounter)) is Routing.IPromptTokenCounter counter)
        {
            try
            {
                tokens = counter.CountPromptTokens(request.Messages);
                kind = "exact";
            }
            catch (Routing.ProviderException ex)
            {
                await AnthropicErrorWriter.WriteAsync(context.Response, 400, ex.Message).ConfigureAwait(false);
                return;
            }
        }
        else if (kind is null)
        {
            tokens = (Access.BudgetBound.InputTokens(request.Messages, request.Options) + 3) / 4;
            kind = "estimate";
        }

        context.Response.Headers["x-switchyard-token-count"] = kind;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync($$"""{"input_tokens":{{tokens.ToString(System.Globalization.CultureInfo.InvariantCulture)}}}""", context.RequestAborted).ConfigureAwait(false);
    }
}
