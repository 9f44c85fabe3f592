using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.AI;
using Switchyard.Gateway.OpenAI;
using Switchyard.Metering;
using Switchyard.Routing;

namespace Switchyard.Gateway;

/// <summary>
/// What every wire format's endpoint does at the edge of the pipeline, whatever its JSON: read a bounded body,
/// create the request's trace (principal, caller, declared data classes), classify failures, set the response's
/// routing and rate-limit headers, and record requests refused before the pipeline.
/// </summary>
internal static class PipelineEdge
{
    /// <summary>Request header declaring data classes (comma-separated) the request carries, e.g. <c>health, customer_id</c>.</summary>
    public const string DataClassHeader = "x-switchyard-data-class";

    /// <summary>Parses the body as JSON within <c>Limits:MaxRequestBodyBytes</c>; throws <see cref="WireFormatException"/> (400/413) otherwise.</summary>
    public static async Task<JsonDocument> ReadJsonAsync(HttpContext context, long limit)
    {
        if (context.Request.ContentLength > limit)
        {
            await DrainAsync(context, limit).ConfigureAwait(false);
            throw TooLarge(limit);
        }

        try
        {
            return await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            var where = ex.LineNumber is { } line ? $" (line {line + 1}, byte {ex.BytePositionInLine + 1})" : "";
            throw new WireFormatException($"The request body is not valid JSON{where}.", null, "invalid_json");
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            throw TooLarge(limit);
        }
    }

    /// <summary>
    /// Parses the body with <see cref="ReadJsonAsync"/> and reads it with <paramref name="read"/>; a string that cannot
    /// be decoded (invalid UTF-8, an unpaired surrogate escape) is a <see cref="WireFormatException"/> too.
    /// </summary>
    public static async Task<T> ReadAsync<T>(HttpContext context, long limit, Func<JsonElement, T> read)
    {
        using var document = await ReadJsonAsync(context, limit).ConfigureAwait(false);
        try
        {
            return read(document.RootElement);
        }
        catch (InvalidOperationException ex)
        {
            // JsonDocument checks structure, not string contents: decoding a string with invalid UTF-8 bytes or a
            // lone surrogate escape ("\ud800") throws here, in the reader.
            throw new WireFormatException("The request body is not valid JSON: a string holds invalid UTF-8 or an unpaired surrogate escape.", null, "invalid_json", innerException: ex);
        }
    }

    /// <summary>Creates the request's trace on <paramref name="options"/>: the authenticated principal, the caller, declared data classes.</summary>
    public static RequestTrace StartTrace(HttpContext context, string requestId, string? user, ChatOptions options)
    {
        var principal = ApiKeyEndpointFilter.PrincipalOf(context);
        var trace = new RequestTrace(requestId, user ?? principal?.Key.Name) { Principal = principal };
        trace.AttachTo(options);
        if (context.Request.Headers.TryGetValue(DataClassHeader, out var declared) && declared.Count > 0)
        {
            // Classes the caller declares for this request count as findings for the privacy policy.
            options.AdditionalProperties![Privacy.PrivacyGuardChatClient.DeclaredClassesKey] = string.Join(',', declared.ToArray());
        }

        return trace;
    }

    /// <summary>How a failure is reported: a timeout when the gateway's deadline fired, else by the exception.</summary>
    public static FailureInfo Classify(RequestTrace trace, Exception ex, CancellationTokenSource deadline) =>
        ex is OperationCanceledException && deadline.IsCancellationRequested
            ? FailureInfo.RequestTimeout
            : FailureInfo.From(ex, trace.RequestId);

    /// <summary>Sets <c>x-switchyard-route</c> and the <c>x-ratelimit-*</c> headers while the response has not started.</summary>
    public static void SetHeaders(HttpContext context, RequestTrace trace)
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        if (trace.Decision is { } decision)
        {
            context.Response.Headers["x-switchyard-route"] = decision.Build().ToHeaderValue();
        }

        if (trace.RateLimit is { } limit)
        {
            RateLimitHeaders.Write(context.Response.Headers, limit);
        }
    }

    /// <summary>Records a request refused before the pipeline ran (bad body), with the key that made it.</summary>
    public static ValueTask RecordRejectedAsync(SwitchyardRuntime runtime, HttpContext context, string requestId, DateTimeOffset arrived, int status, string error)
    {
        var principal = ApiKeyEndpointFilter.PrincipalOf(context);
        var record = new LedgerRecord(arrived, requestId, null, "", null, null, null, "null", 0, 0, 0, 0m,
            runtime.TimeProvider.GetUtcNow().Subtract(arrived).TotalMilliseconds, null, "error", status, error, false, principal?.KeyId, principal?.KeyPrefix, principal?.TeamId);
        return runtime.Ledger.WriteAsync(record);
    }

    /// <summary>
    /// Reads and discards a body declared too large (up to four times the limit, at least 16 MiB), so a client that
    /// sends it whole without waiting reads the 413 instead of a reset connection. A client that asked
    /// <c>Expect: 100-continue</c> has sent nothing yet and gets the 413 at once.
    /// </summary>
    private static async Task DrainAsync(HttpContext context, long limit)
    {
        var cap = Math.Max(4 * limit, 16L << 20);
        if (context.Request.ContentLength > cap
            || context.Request.Headers.Expect.ToString().Contains("100-continue", StringComparison.OrdinalIgnoreCase)
            || context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is not { IsReadOnly: false } size)
        {
            return;
        }

        size.MaxRequestBodySize = cap;
        var buffer = System.Buffers.ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            while (await context.Request.Body.ReadAsync(buffer, context.RequestAborted).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (Exception ex) when (ex is IOException or BadHttpRequestException or OperationCanceledException)
        {
            // The client went away or sent more than it declared: the 413 is all it gets.
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static WireFormatException TooLarge(long limit) =>
        new($"The request body is larger than the gateway's limit of {limit} bytes (Switchyard:Limits:MaxRequestBodyBytes).", null, "request_too_large", StatusCodes.Status413PayloadTooLarge);
}
