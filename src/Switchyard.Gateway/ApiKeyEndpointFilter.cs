using Microsoft.AspNetCore.Http;
using Switchyard.Access;
using Switchyard.Gateway.OpenAI;
using Switchyard.Metering;

namespace Switchyard.Gateway;

/// <summary>Endpoint metadata: the endpoint needs a virtual API key (when <c>Auth:Mode</c> is <c>keys</c>).</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class RequiresApiKeyAttribute : Attribute;

/// <summary>Endpoint metadata: the endpoint needs the admin master key.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class RequiresMasterKeyAttribute : Attribute;

/// <summary>
/// Authenticates every request to the endpoints it guards: a missing or bad key gets 401 in the client's wire format
/// (Anthropic's envelope on <c>/v1/messages</c>, OpenAI's elsewhere)
/// and a ledger row carrying the presented key's prefix; a good one puts its <see cref="RequestPrincipal"/> on the
/// request for the pipeline (see <see cref="PrincipalOf"/>).
/// </summary>
internal sealed class ApiKeyEndpointFilter(SwitchyardRuntime runtime, ApiKeyAuthenticator authenticator) : IEndpointFilter
{
    private const string ItemKey = "switchyard.principal";

    /// <summary>The principal the filter authenticated for <paramref name="context"/>, or null (authentication off).</summary>
    public static RequestPrincipal? PrincipalOf(HttpContext context) =>
        context.Items.TryGetValue(ItemKey, out var value) ? value as RequestPrincipal : null;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var arrived = runtime.TimeProvider.GetUtcNow();
        var headers = http.Request.Headers;
        var presented = ApiKeyAuthenticator.PresentedKey(headers.Authorization.ToString(), headers["x-api-key"].ToString());
        var result = await authenticator.AuthenticateAsync(presented, http.RequestAborted).ConfigureAwait(false);
        if (result.Principal is { } principal)
        {
            http.Items[ItemKey] = principal;
            return await next(context).ConfigureAwait(false);
        }

        var failure = result.Failure!;
        var requestId = "req-" + Guid.NewGuid().ToString("N");
        http.Response.Headers["x-request-id"] = requestId;
        if (failure.Status == StatusCodes.Status401Unauthorized)
        {
            http.Response.Headers.WWWAuthenticate = "Bearer realm=\"switchyard\"";
        }

        await runtime.Ledger.WriteAsync(new LedgerRecord(arrived, requestId, null, "", null, null, null, "null", 0, 0, 0, 0m,
            runtime.TimeProvider.GetUtcNow().Subtract(arrived).TotalMilliseconds, null, "error", failure.Status, failure.Message, false, KeyPrefix: result.PresentedPrefix)).ConfigureAwait(false);
        if (http.Request.Path.StartsWithSegments("/v1/messages", StringComparison.OrdinalIgnoreCase))
        {
            await Anthropic.AnthropicErrorWriter.WriteAsync(http.Response, failure).ConfigureAwait(false);
        }
        else
        {
            await OpenAIErrorWriter.WriteAsync(http.Response, failure).ConfigureAwait(false);
        }
        return Results.Empty;
    }
}
