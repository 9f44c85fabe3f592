using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchyard.Gateway.Responses;

namespace Switchyard.Tests.Gateway.Responses;

/// <summary>MEAI responses → OpenAI Responses <c>response</c> objects, compared as exact JSON.</summary>
public sealed class ResponsesResponseWriterTests
{
    internal static string Write(ChatResponse response)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            ResponsesResponseWriter.Write(w, "resp_1", 1_700_000_000, "gpt", response);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    [Fact]
    public void Text_WithUsage()
    {
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, [new TextReasoningContent("hmm"), new TextContent("Hello, "), new TextContent("world")]))
        {
            FinishReason = ChatFinishReason.Stop,
            Usage = new UsageDetails { InputTokenCount = 130, CachedInputTokenCount = 30, OutputTokenCount = 20, ReasoningTokenCount = 5 },
        };

        Assert.Equal(
            """{"id":"resp_1","object":"response","created_at":1700000000,"status":"completed","error":null,"incomplete_details":null,"model":"gpt","output":[{"type":"message","id":"msg_1_0","status":"completed","role":"assistant","content":[{"type":"output_text","text":"Hello, world","annotations":[]}]}],"usage":{"input_tokens":130,"input_tokens_details":{"cached_tokens":30},"output_tokens":20,"output_tokens_details":{"reasoning_tokens":5},"total_tokens":150}}""",
            Write(response));
    }

    [Fact]
    public void TextThenFunctionCalls()
    {
        var call = new FunctionCallContent("call_1", "get_weather", new Dictionary<string, object?> { ["city"] = "Lyon" });
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, [new TextContent("Checking."), call, new FunctionCallContent("call_2", "now")]))
        {
            FinishReason = ChatFinishReason.ToolCalls,
            Usage = new UsageDetails { InputTokenCount = 50, OutputTokenCount = 9, TotalTokenCount = 59 },
        };

        Assert.Equal(
            """{"id":"resp_1","object":"response","created_at":1700000000,"status":"completed","error":null,"incomplete_details":null,"model":"gpt","output":[{"type":"message","id":"msg_1_0","status":"completed","role":"assistant","content":[{"type":"output_text","text":"Checking.","annotations":[]}]},{"type":"function_call","id":"fc_1_1","call_id":"call_1","name":"get_weather","arguments":"{\"city\":\"Lyon\"}","status":"completed"},{"type":"function_call","id":"fc_1_2","call_id":"call_2","name":"now","arguments":"{}","status":"completed"}],"usage":{"input_tokens":50,"input_tokens_details":{"cached_tokens":0},"output_tokens":9,"output_tokens_details":{"reasoning_tokens":0},"total_tokens":59}}""",
            Write(response));
    }

    [Fact]
    public void LengthLimited_IsIncomplete_UsageUnknownIsNull()
    {
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, "cut sh")) { FinishReason = ChatFinishReason.Length };

        Assert.Equal(
            """{"id":"resp_1","object":"response","created_at":1700000000,"status":"incomplete","error":null,"incomplete_details":{"reason":"max_output_tokens"},"model":"gpt","output":[{"type":"message","id":"msg_1_0","status":"incomplete","role":"assistant","content":[{"type":"output_text","text":"cut sh","annotations":[]}]}],"usage":null}""",
            Write(response));
    }

    [Fact]
    public void ContentFilter_IsIncomplete_EmptyOutput()
    {
        using var doc = JsonDocument.Parse(Write(new ChatResponse([]) { FinishReason = ChatFinishReason.ContentFilter }));
        Assert.Equal("incomplete", doc.RootElement.GetProperty("status").GetString());
        Assert.Equal("""{"reason":"content_filter"}""", doc.RootElement.GetProperty("incomplete_details").GetRawText());
        Assert.Equal(0, doc.RootElement.GetProperty("output").GetArrayLength());
    }

    [Theory]
    [InlineData("stop", "completed", null)]
    [InlineData(null, "completed", null)]
    [InlineData("tool_calls", "completed", null)]
    [InlineData("length", "incomplete", "max_output_tokens")]
    [InlineData("content_filter", "incomplete", "content_filter")]
    public void Outcomes(string? reason, string status, string? incompleteReason) =>
        Assert.Equal((status, incompleteReason), ResponsesResponseWriter.Outcome(reason is null ? null : new ChatFinishReason(reason)));
}
