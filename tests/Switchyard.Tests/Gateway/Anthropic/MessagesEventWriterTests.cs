using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchyard.Gateway.Anthropic;
using Switchyard.Routing;

namespace Switchyard.Tests.Gateway.Anthropic;

/// <summary>MEAI streaming updates → Anthropic server-sent events, parsed back from the bytes.</summary>
public sealed class MessagesEventWriterTests
{
    private static async Task<List<(string Event, JsonElement Data)>> RunAsync(Func<MessagesEventWriter, Task> write)
    {
        using var stream = new MemoryStream();
        var pipe = PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true));
        using (var writer = new MessagesEventWriter(pipe, "msg_1", "claude"))
        {
            await write(writer);
        }

        await pipe.CompleteAsync();
        return Parse(Encoding.UTF8.GetString(stream.ToArray()));
    }

    private static List<(string Event, JsonElement Data)> Parse(string sse)
    {
        Assert.EndsWith("\n\n", sse, StringComparison.Ordinal);
        var events = new List<(string, JsonElement)>();
        foreach (var frame in sse.Split("\n\n", StringSplitOptions.RemoveEmptyEntries))
        {
            var lines = frame.Split('\n');
            Assert.Equal(2, lines.Length);
            Assert.StartsWith("event: ", lines[0], StringComparison.Ordinal);
            Assert.StartsWith("data: ", lines[1], StringComparison.Ordinal);
            var name = lines[0]["event: ".Length..];
            using var doc = JsonDocument.Parse(lines[1]["data: ".Length..]);
            var data = doc.RootElement.Clone();
            Assert.Equal(name, data.GetProperty("type").GetString());
            events.Add((name, data));
        }

        return events;
    }

    private static ChatResponseUpdate Text(string text) => new(ChatRole.Assistant, text);

    [Fact]
    public async Task TextStream_WithUsage()
    {
        var events = await RunAsync(async w =>
        {
            await w.WriteAsync(Text("Hel"), default);
            await w.WriteAsync(Text("lo"), default);
            await w.WriteAsync(new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(new UsageDetails { InputTokenCount = 60, CachedInputTokenCount = 10, OutputTokenCount = 3 })]) { FinishReason = ChatFinishReason.Stop }, default);
            await w.CompleteAsync(default);
        });

        Assert.Equal(
            ["message_start", "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop"],
            events.Select(e => e.Event));
        Assert.Equal(
            """{"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"claude","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":0,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":0}}}""",
            events[0].Data.GetRawText());
        Assert.Equal("""{"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}""", events[1].Data.GetRawText());
        Assert.Equal("""{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hel"}}""", events[2].Data.GetRawText());
        Assert.Equal("lo", events[3].Data.GetProperty("delta").GetProperty("text").GetString());
        Assert.Equal("""{"type":"content_block_stop","index":0}""", events[4].Data.GetRawText());
        Assert.Equal(
            """{"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"input_tokens":50,"cache_creation_input_tokens":0,"cache_read_input_tokens":10,"output_tokens":3}}""",
            events[5].Data.GetRawText());
        Assert.Equal("""{"type":"message_stop"}""", events[6].Data.GetRawText());
    }

    [Fact]
    public async Task UsageBeforeContent_GoesIntoMessageStart()
    {
        var events = await RunAsync(async w =>
        {
            await w.WriteAsync(new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(new UsageDetails { InputTokenCount = 25 })]), default);
            await w.WriteAsync(Text("x"), default);
            await w.CompleteAsync(default);
        });

        Assert.Equal(25, events[0].Data.GetProperty("message").GetProperty("usage").GetProperty("input_tokens").GetInt32());
        Assert.Equal("""{"input_tokens":25,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":0}""", events[^2].Data.GetProperty("usage").GetRawText());
    }

    [Fact]
    public async Task ToolCall_AfterText_IsStartOneJsonDeltaStop()
    {
        var call = new FunctionCallContent("toolu_1", "get_weather", new Dictionary<string, object?> { ["city"] = "Lyon" });
        var events = await RunAsync(async w =>
        {
            await w.WriteAsync(Text("Let me check."), default);
            await w.WriteAsync(new ChatResponseUpdate(ChatRole.Assistant, [call]), default);
            await w.WriteAsync(new ChatResponseUpdate { FinishReason = ChatFinishReason.ToolCalls, Contents = [new UsageContent(new UsageDetails { OutputTokenCount = 12 })] }, default);
            await w.CompleteAsync(default);
        });

        Assert.Equal(
            ["message_start", "content_block_start", "content_block_delta", "content_block_stop", "content_block_start", "content_block_delta", "content_block_stop", "message_delta", "message_stop"],
            events.Select(e => e.Event));
        Assert.Equal("""{"type":"content_block_start","index":1,"content_block":{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{}}}""", events[4].Data.GetRawText());
        var delta = events[5].Data;
        Assert.Equal(1, delta.GetProperty("index").GetInt32());
        Assert.Equal("input_json_delta", delta.GetProperty("delta").GetProperty("type").GetString());
        using var input = JsonDocument.Parse(delta.GetProperty("delta").GetProperty("partial_json").GetString()!);
        Assert.Equal("Lyon", input.RootElement.GetProperty("city").GetString());
        Assert.Equal("""{"type":"content_block_stop","index":1}""", events[6].Data.GetRawText());
        Assert.Equal(
            """{"type":"message_delta","delta":{"stop_reason":"tool_use","stop_sequence":null},"usage":{"output_tokens":12}}""",
            events[7].Data.GetRawText());
    }

    [Fact]
    public async Task Thinking_ThenText_ThinkingDeltasAndSignature()
    {
        var events = await RunAsync(async w =>
        {
            await w.WriteAsync(new ChatResponseUpdate(ChatRole.Assistant, [new TextReasoningContent("think ")]), default);
            await w.WriteAsync(new ChatResponseUpdate(ChatRole.Assistant, [new TextReasoningContent("more") { ProtectedData = "sig" }]), default);
            await w.WriteAsync(Text("answer"), default);
            await w.CompleteAsync(default);
        });

        Assert.Equal(
            ["message_start", "content_block_start", "content_block_delta", "content_block_delta", "content_block_delta", "content_block_stop", "content_block_start", "content_block_delta", "content_block_stop", "message_delta", "message_stop"],
            events.Select(e => e.Event));
        Assert.Equal("""{"type":"content_block_start","index":0,"content_block":{"type":"thinking","thinking":"","signature":""}}""", events[1].Data.GetRawText());
        Assert.Equal("""{"type":"thinking_delta","thinking":"think "}""", events[2].Data.GetProperty("delta").GetRawText());
        Assert.Equal("""{"type":"thinking_delta","thinking":"more"}""", events[3].Data.GetProperty("delta").GetRawText());
        Assert.Equal("""{"type":"signature_delta","signature":"sig"}""", events[4].Data.GetProperty("delta").GetRawText());
        Assert.Equal(1, events[6].Data.GetProperty("index").GetInt32());
        Assert.Equal("end_turn", events[9].Data.GetProperty("delta").GetProperty("stop_reason").GetString());
    }

    [Fact]
    public async Task Fail_WritesErrorEventAndNoMessageStop()
    {
        var events = await RunAsync(async w =>
        {
            await w.WriteAsync(Text("partial"), default);
            await w.FailAsync(new FailureInfo(529, "upstream_error", "overloaded", "Overloaded"), default);
        });

        Assert.Equal(["message_start", "content_block_start", "content_block_delta", "error"], events.Select(e => e.Event));
        Assert.Equal("""{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}""", events[^1].Data.GetRawText());
    }

    [Fact]
    public async Task EmptyStream_StillWritesStartDeltaStop()
    {
        var events = await RunAsync(async w => await w.CompleteAsync(default));
        Assert.Equal(["message_start", "message_delta", "message_stop"], events.Select(e => e.Event));
    }
}
