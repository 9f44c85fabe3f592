using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Switchyard.Gateway.Anthropic;
using Switchyard.Routing;

namespace Switchyard.Tests.Gateway.Anthropic;

/// <summary>Anthropic's error envelope and its status → type table.</summary>
public sealed class AnthropicErrorWriterTests
{
    [Theory]
    [InlineData(400, "invalid_request_error")]
    [InlineData(401, "authentication_error")]
    [InlineData(402, "billing_error")]
    [InlineData(403, "permission_error")]
    [InlineData(404, "not_found_error")]
    [InlineData(409, "invalid_request_error")]
    [InlineData(413, "request_too_large")]
    [InlineData(422, "invalid_request_error")]
    [InlineData(429, "rate_limit_error")]
    [InlineData(500, "api_error")]
    [InlineData(502, "api_error")]
    [InlineData(503, "overloaded_error")]
    [InlineData(504, "timeout_error")]
    [InlineData(529, "overloaded_error")]
    public void ErrorType_PerStatus(int status, string type) => Assert.Equal(type, AnthropicErrorWriter.ErrorType(status));

    [Fact]
    public async Task WriteAsync_WritesStatusRetryAfterAndEnvelope()
    {
        var context = new DefaultHttpContext();
        using var body = new MemoryStream();
        context.Response.Body = body;

        await AnthropicErrorWriter.WriteAsync(context.Response, 429, "Slow down, it's busy", TimeSpan.FromSeconds(1.2));

        Assert.Equal(429, context.Response.StatusCode);
        Assert.Equal("application/json", context.Response.ContentType);
        Assert.Equal("2", context.Response.Headers.RetryAfter.ToString());
        Assert.Equal("""{"type":"error","error":{"type":"rate_limit_error","message":"Slow down, it's busy"}}""", System.Text.Encoding.UTF8.GetString(body.ToArray()));
    }

    [Fact]
    public async Task WriteAsync_FailureInfo_UsesItsStatusAndMessage()
    {
        var context = new DefaultHttpContext();
        using var body = new MemoryStream();
        context.Response.Body = body;

        await AnthropicErrorWriter.WriteAsync(context.Response, new FailureInfo(503, "service_unavailable", "no_healthy_candidate", "No healthy candidate."));

        Assert.Equal(503, context.Response.StatusCode);
        Assert.False(context.Response.Headers.ContainsKey("Retry-After"));
        using var doc = JsonDocument.Parse(body.ToArray());
        Assert.Equal("error", doc.RootElement.GetProperty("type").GetString());
        Assert.Equal("overloaded_error", doc.RootElement.GetProperty("error").GetProperty("type").GetString());
        Assert.Equal("No healthy candidate.", doc.RootElement.GetProperty("error").GetProperty("message").GetString());
    }
}
