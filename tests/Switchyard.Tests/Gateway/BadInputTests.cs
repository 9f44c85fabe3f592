using System.Net;
using System.Text.Json;
using Switchyard.Configuration;
using Switchyard.Tests.Infrastructure;

namespace Switchyard.Tests.Gateway;

/// <summary>Malformed bodies and fields: each gets the documented status and an OpenAI error naming the param.</summary>
public sealed class BadInputTests : GatewayTestBase
{
    private const string Hi = """[{"role":"user","content":"hi"}]""";

    protected override void Configure(SwitchyardOptions options) => options.Limits.MaxRequestBodyBytes = 4096;

    public static TheoryData<string, int, string, string?> Cases => new()
    {
        { "{bad", 400, "invalid_json", null },
        { "", 400, "invalid_json", null },
        { "[]", 400, "invalid_request_body", null },
        { "{}", 400, "missing_required_parameter", "model" },
        { """{"model":"default"}""", 400, "missing_required_parameter", "messages" },
        { """{"model":"default","messages":[]}""", 400, "invalid_value", "messages" },
        { """{"model":"default","messages":"hi"}""", 400, "invalid_value", "messages" },
        { $$$"""{"model":1,"messages":{{{Hi}}}}""", 400, "invalid_value", "model" },
        { """{"model":"default","messages":[{"content":"hi"}]}""", 400, "missing_required_parameter", "messages[0].role" },
        { """{"model":"default","messages":[{"role":"wizard","content":"hi"}]}""", 400, "invalid_value", "messages[0].role" },
        { """{"model":"default","messages":[{"role":"user"}]}""", 400, "missing_required_parameter", "messages[0].content" },
        { """{"model":"default","messages":[{"role":"user","content":42}]}""", 400, "invalid_value", "messages[0].content" },
        { """{"model":"default","messages":[{"role":"user","content":"a","colour":"red"}]}""", 400, "unknown_parameter", "messages[0].colour" },
        { """{"model":"default","messages":[{"role":"tool","content":"x"}]}""", 400, "missing_required_parameter", "messages[0].tool_call_id" },
        { """{"model":"default","messages":[{"role":"user","content":[{"type":"input_audio","input_audio":{}}]}]}""", 400, "unsupported_parameter", "messages[0].content[0].type" },
        { """{"model":"default","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"cat.png"}}]}]}""", 400, "invalid_value", "messages[0].content[0].image_url.url" },
        { """{"model":"default","messages":[{"role":"assistant","tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"{not json"}}]}]}""", 400, "invalid_value", "messages[0].tool_calls[0].function.arguments" },
        { $$$"""{"model":"default","messages":{{{Hi}}},"temperature":5}""", 400, "invalid_value", "temperature" },
        { $$$"""{"model":"default","messages":{{{Hi}}},"temperature":"hot"}""", 400, "invalid_value", "temperature" },
        { $$$"""{"model":"default","messages":{{{Hi}}},"top_p":2}""", 400, "invalid_value", "top_p" },
        { $$$"""{"model":"default","messages":{{{Hi}}},"max_tokens":0}""", 400, "invalid_value", "max_tokens" },
        { $$$"""{"model":"default","messages":{{{Hi}}},"max_completion_tokens":-1}""", 400, "invalid_value", "max_completion_tokens" },
        { $$$"""{"model":"default","messages":{{{Hi}}},"n":2}""", 400, "unsupported_parameter", "n" },
        { $$$"""{"model":"default","messages":{{{Hi}}},"logprobs":true}""", 400, "unsupported_parameter", "logprobs" },
        { $$$"""{"model":"default","messages":{{{Hi}}},"functions":[]}""", 400, "unsupported_parameter", "functions" },
        { $$$"""{"model":"default","messages":{{{Hi}}},"stop":["a","b","c","d","e"]}""", 400, "invalid_value", "stop" },
        { $$$"""{"model":"default","messages":{{{Hi}}},"stop":7}""", 400, "invalid_value", "stop" },
        { $$$"""{"model":"default","messages":{{{Hi}}},"seed":1.5}""", 400, "invalid_value", "seed" },
        { $$$"""{"model":"default","messages":{{{Hi}}},"stream":"yes"}""", 400, "invalid_value", "stream" },
        { $$$"""{"model":"default","messages":{{{Hi}}},"tools":{}}""", 400, "invalid_value", "tools" },
        { $$$"""{"model":"default","messages":{{{Hi}}},"tools":[{"type":"retrieval"}]}""", 400, "unsupported_parameter", "tools[0].type" },
        { $$$"""{"model":"default","messages":{{{Hi}}},"tools":[{"type":"function","function":{"name":"bad name!"}}]}""", 400, "invalid_value", "tools[0].function.name" },
        { $$$"""{"model":"default","messages":{{{Hi}}},"tool_choice":"sometimes"}""", 400, "invalid_value", "tool_choice" },
        { $$$"""{"model":"default","messages":{{{Hi}}},"response_format":{"type":"xml"}}""", 400, "invalid_value", "response_format.type" },
        { """{"model":"default","messages":[{"role":"user","content":"hi"}],"response_format":{"type":"json_schema","json_schema":{"name":"x"}} }""", 400, "missing_required_parameter", "response_format.json_schema.schema" },
        { $$$"""{"model":"default","messages":{{{Hi}}},"frobnicate":true}""", 400, "unknown_parameter", "frobnicate" },
        { $$$"""{"model":"default","messages":{{{Hi}}},"stream_options":{"sparkle":1}}""", 400, "unknown_parameter", "stream_options.sparkle" },
        { $$$"""{"model":"no-such-model","messages":{{{Hi}}}}""", 404, "model_not_found", null },
        { $$$"""{"model":"default","messages":{{{Hi}}},"pad":"{{{new string('x', 5000)}}}"}""", 413, "request_too_large", null },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task IsRejectedWithTheDocumentedError(string body, int status, string code, string? param)
    {
        var response = await Gateway.PostChatAsync(body);

        Assert.Equal(status, (int)response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var error = json.RootElement.GetProperty("error");
        Assert.Equal(code, error.GetProperty("code").GetString());
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("message").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(error.GetProperty("type").GetString()));
        if (param is null)
        {
            Assert.Equal(JsonValueKind.Null, error.GetProperty("param").ValueKind);
        }
        else
        {
            Assert.Equal(param, error.GetProperty("param").GetString());
        }

        Assert.Empty(Upstream.Requests);
        var record = Assert.Single(await Gateway.StopAndReadLedgerAsync());
        Assert.Equal("error", record.Status);
        Assert.Equal(status, record.HttpStatus);
    }

    [Fact]
    public async Task ChunkedBodyOverTheLimit_Is413()
    {
        var content = new StreamContent(new MemoryStream(System.Text.Encoding.UTF8.GetBytes($$$"""{"model":"default","messages":{{{Hi}}},"pad":"{{{new string('x', 8000)}}}"}""")));
        var request = new HttpRequestMessage(HttpMethod.Post, "v1/chat/completions") { Content = content };
        request.Headers.TransferEncodingChunked = true;
        var response = await Gateway.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("request_too_large", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GET", "v1/chat/completions")]
    [InlineData("POST", "v1/completions")]
    [InlineData("GET", "v2/anything")]
    public async Task UnknownEndpoint_GetsAnOpenAIError(string method, string path)
    {
        var response = await Gateway.Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), path));
        Assert.InRange((int)response.StatusCode, 404, 405);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("error").GetProperty("message").GetString()));
    }

    [Fact]
    public async Task ModelsAndHealth_Answer()
    {
        using var models = JsonDocument.Parse(await Gateway.Http.GetStringAsync("v1/models"));
        var ids = models.RootElement.GetProperty("data").EnumerateArray().Select(m => m.GetProperty("id").GetString()).ToList();
        Assert.Equal(["backup", "claude", "local", "default"], ids);
        using var health = JsonDocument.Parse(await Gateway.Http.GetStringAsync("healthz"));
        Assert.Equal("ok", health.RootElement.GetProperty("status").GetString());
        Assert.Equal(3, health.RootElement.GetProperty("models").GetInt32());
    }
}
