using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Switchyard.Gateway.OpenAI;
using Switchyard.Routing;

namespace Switchyard.Gateway.Anthropic;

/// <summary>Writes errors in Anthropic's envelope: <c>{"type":"error","error":{"type","message"}}</c>.</summary>
public static class AnthropicErrorWriter
{
    /// <summary>Writes a complete error response (status, headers, body); the error type follows the status.</summary>
    /// <param name="response">The response to write.</param>
    /// <param name="status">The HTTP status.</param>
    /// <param name="message">What went wrong, for a person.</param>
    /// <param name="retryAfter">When to retry, sent as <c>retry-after</c> in whole seconds (at least 1).</param>
    public static async Task WriteAsync(HttpResponse response, int status, string message, TimeSpan? retryAfter = null)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.StatusCode = status;
        response.ContentType = "application/json";
        if (retryAfter is { } ra)
        {
            response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(ra.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        using (var writer = new Utf8JsonWriter(response.BodyWriter, WireJson.WriterOptions))
        {
            WriteBody(writer, ErrorType(status), message);
        }

        await response.BodyWriter.FlushAsync(response.HttpContext.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Writes a failure classified by <see cref="FailureInfo"/> (its status picks the Anthropic error type).</summary>
    /// <param name="response">The response to write.</param>
    /// <param name="failure">The failure.</param>
    public static Task WriteAsync(HttpResponse response, FailureInfo failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        ArgumentNullException.ThrowIfNull(response);
        if (failure.Code is "no_compliant_route" or "budget_exceeded" or "model_not_allowed")
        {
            // Anthropic's SDKs retry 5xx and 429 unless told not to: these would fail the same way again.
            response.Headers["x-should-retry"] = "false";
        }

        return WriteAsync(response, failure.Status, failure.Message, failure.RetryAfter);
    }

    /// <summary>Writes the error object (used in responses and in mid-stream <c>error</c> events).</summary>
    /// <param name="writer">The writer.</param>
    /// <param name="type">The Anthropic error type, e.g. <c>invalid_request_error</c>.</param>
    /// <param name="message">What went wrong, for a person.</param>
    public static void WriteBody(Utf8JsonWriter writer, string type, string message)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteString("type", "error");
        writer.WriteStartObject("error");
        writer.WriteString("type", type);
        writer.WriteString("message", message);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>
    /// Anthropic's error type for an HTTP status: 400 <c>invalid_request_error</c> (and any other 4xx not listed),
    /// 401 <c>authentication_error</c>, 402 <c>billing_error</c>, 403 <c>permission_error</c>, 404
    /// <c>not_found_error</c>, 413 <c>request_too_large</c>, 429 <c>rate_limit_error</c>, 503 and 529
    /// <c>overloaded_error</c>, 504 <c>timeout_error</c>, other 5xx <c>api_error</c>.
    /// </summary>
    /// <param name="status">The HTTP status.</param>
    /// <returns>The error type.</returns>
    public static string ErrorType(int status) => status switch
    {
        401 => "authentication_error",
        402 => "billing_error",
        403 => "permission_error",
        404 => "not_found_error",
        413 => "request_too_large",
        429 => "rate_limit_error",
        503 or 529 => "overloaded_error",
        504 => "timeout_error",
        >= 400 and < 500 => "invalid_request_error",
        _ => "api_error",
    };
}
