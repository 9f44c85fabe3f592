using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchyard.Gateway.Anthropic;

namespace Switchyard.Tests.Gateway.Anthropic;

/// <summary>MEAI responses → Anthropic <c>message</c> objects, compared as exact JSON.</summary>
public sealed class MessagesResponseWriterTests
{
    private static string Write(ChatResponse response)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            MessagesResponseWriter.Write(w, "msg_1", "claude", response);
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    [Fact]
    public void Text_WithCachedUsage()
    {
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, [new TextContent("Hello, "), new TextContent("world")]))
        {
            FinishReason = ChatFinishReason.Stop,
            Usage = new UsageDetails { InputTokenCount = 130, CachedInputTokenCount = 30, OutputTokenCount = 20, TotalTokenCount = 150 },
        };

        Assert.Equal(
            """{"id":"msg_1","type":"message","role":"assistant","model":"claude","content":[{"type":"text","text":"Hello, world"}],"stop_reason":"end_turn","stop_sequence":null,"usage":{"input_tokens":100,"cache_creation_input_tokens":0,"cache_read_input_tokens":30,"output_tokens":20}}""",
            Write(response));
    }

    [Fact]
    public void ToolUse_WithThinkingAndText()
    {
        var call = new FunctionCallContent("toolu_1", "get_weather", new Dictionary<string, object?> { ["city"] = "Lyon" });
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, [new TextReasoningContent("hmm") { ProtectedData = "sig" }, new TextContent("Checking."), call]))
        {
            FinishReason = ChatFinishReason.ToolCalls,
            Usage = new UsageDetails { InputTokenCount = 50, OutputTokenCount = 9, AdditionalCounts = new() { ["CacheCreationInputTokens"] = 10 } },
        };

        Assert.Equal(
            """{"id":"msg_1","type":"message","role":"assistant","model":"claude","content":[{"type":"thinking","thinking":"hmm","signature":"sig"},{"type":"text","text":"Checking."},{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Lyon"}}],"stop_reason":"tool_use","stop_sequence":null,"usage":{"input_tokens":40,"cache_creation_input_tokens":10,"cache_read_input_tokens":0,"output_tokens":9}}""",
            Write(response));
    }

    [Fact]
    public void MaxTokens_WithoutUsage()
    {
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, "cut sh")) { FinishReason = ChatFinishReason.Length };

        Assert.Equal(
            """{"id":"msg_1","type":"message","role":"assistant","model":"claude","content":[{"type":"text","text":"cut sh"}],"stop_reason":"max_tokens","stop_sequence":null,"usage":{"input_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":0}}""",
            Write(response));
    }

    [Fact]
    public void RedactedThinking_RoundTripsAsRedactedBlock_ToolCallWithoutReasonIsToolUse()
    {
        var redacted = new TextReasoningContent("") { ProtectedData = "opaque", AdditionalProperties = new() { [MessagesRequestReader.RedactedThinkingKey] = true } };
        var response = new ChatResponse(new ChatMessage(ChatRole.Assistant, [redacted, new FunctionCallContent("t", "f")]));

        using var doc = JsonDocument.Parse(Write(response));
        var content = doc.RootElement.GetProperty("content");
        Assert.Equal("""{"type":"redacted_thinking","data":"opaque"}""", content[0].GetRawText());
        Assert.Equal("""{"type":"tool_use","id":"t","name":"f","input":{}}""", content[1].GetRawText());
        Assert.Equal("tool_use", doc.RootElement.GetProperty("stop_reason").GetString());
    }

    [Theory]
    [InlineData("stop", false, "end_turn")]
    [InlineData(null, false, "end_turn")]
    [InlineData("length", true, "max_tokens")]
    [InlineData("tool_calls", false, "tool_use")]
    [InlineData(null, true, "tool_use")]
    [InlineData("content_filter", false, "refusal")]
    public void StopReasons(string? reason, bool hadToolUse, string expected) =>
        Assert.Equal(expected, MessagesResponseWriter.StopReason(reason is null ? null : new ChatFinishReason(reason), hadToolUse));
}
