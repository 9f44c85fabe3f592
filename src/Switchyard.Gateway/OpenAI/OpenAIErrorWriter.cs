using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Switchyard.Routing;

namespace Switchyard.Gateway.OpenAI;

/// <summary>Writes errors in OpenAI's envelope: <c>{"error":{"message","type","param","code"}}</c>.</summary>
public static class OpenAIErrorWriter
{
    /// <summary>Writes a complete error response (status, headers, body).</summary>
    public static async Task WriteAsync(HttpResponse response, int status, string type, string code, string message, string? param = null, TimeSpan? retryAfter = null)
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
            WriteBody(writer, type, code, message, param);
        }

        await response.BodyWriter.FlushAsync(response.HttpContext.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Writes a failure classified by <see cref="FailureInfo"/>.</summary>
    public static Task WriteAsync(HttpResponse response, FailureInfo failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        // 529 is Anthropic's alone; OpenAI's clients know an overloaded service as 503.
        var status = failure.Status == FailureInfo.UpstreamOverloaded ? StatusCodes.Status503ServiceUnavailable : failure.Status;
        return WriteAsync(response, status, failure.Type, failure.Code, failure.Message, null, failure.RetryAfter);
    }

    /// <summary>Writes the error object (used in responses and in mid-stream error events).</summary>
    public static void WriteBody(Utf8JsonWriter writer, string type, string code, string message, string? param)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        writer.WriteStartObject("error");
        writer.WriteString("message", message);
        writer.WriteString("type", type);
        if (param is null)
        {
            writer.WriteNull("param");
        }
        else
        {
            writer.WriteString("param", param);
        }

        writer.WriteString("code", code);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }
}
