using System.IO.Pipelines;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchyard.Gateway.Responses;
using Switchyard.Routing;

namespace Switchyard.Tests.Gateway.Responses;

/// <summary>MEAI streaming updates → OpenAI Responses server-sent events, parsed back from the bytes.</summary>
public sealed class ResponsesEventWriterTests
{
    internal static async Task<List<(string Event, JsonElement Data)>> RunAsync(Func<ResponsesEventWriter, Task> write)
    {
        using var stream = new MemoryStream();
        var pipe = PipeWriter.Create(stream, new StreamPipeWriterOptions(leaveOpen: true));
        using (var writer = new ResponsesEventWriter(pipe, "resp_1", 1_700_000_000, "gpt"))
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
            Assert.Equal(events.Count, data.GetProperty("sequence_number").GetInt32());
            events.Add((name, data));
        }

        return events;
    }

    private static ChatResponseUpdate Text(string text) => new(ChatRole.Assistant, text);

    [Fact]
    public async Task TextStream_ExactSequence()
    {
        var events = await RunAsync(async w =>
        {
            await w.WriteAsync(Text("Hel"), default);
            await w.WriteAsync(Text("lo"), default);
            await w.WriteAsync(new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(new UsageDetails { InputTokenCount = 60, CachedInputTokenCount = 10, OutputTokenCount = 3 })]) { FinishReason = ChatFinishReason.Stop }, default);
            await w.CompleteAsync(default);
        });

        Assert.Equal(
            [
                """{"type":"response.created","sequence_number":0,"response":{"id":"resp_1","object":"response","created_at":1700000000,"status":"in_progress","error":null,"incomplete_details":null,"model":"gpt","output":[],"usage":null}}""",
                """{"type":"response.in_progress","sequence_number":1,"response":{"id":"resp_1","object":"response","created_at":1700000000,"status":"in_progress","error":null,"incomplete_details":null,"model":"gpt","output":[],"usage":null}}""",
                """{"type":"response.output_item.added","sequence_number":2,"output_index":0,"item":{"type":"message","id":"msg_1_0","status":"in_progress","role":"assistant","content":[]}}""",
                """{"type":"response.content_part.added","sequence_number":3,"item_id":"msg_1_0","output_index":0,"content_index":0,"part":{"type":"output_text","text":"","annotations":[]}}""",
                """{"type":"response.output_text.delta","sequence_number":4,"item_id":"msg_1_0","output_index":0,"content_index":0,"delta":"Hel","logprobs":[]}""",
                """{"type":"response.output_text.delta","sequence_number":5,"item_id":"msg_1_0","output_index":0,"content_index":0,"delta":"lo","logprobs":[]}""",
                """{"type":"response.output_text.done","sequence_number":6,"item_id":"msg_1_0","output_index":0,"content_index":0,"text":"Hello","logprobs":[]}""",
                """{"type":"response.content_part.done","sequence_number":7,"item_id":"msg_1_0","output_index":0,"content_index":0,"part":{"type":"output_text","text":"Hello","annotations":[]}}""",
                """{"type":"response.output_item.done","sequence_number":8,"output_index":0,"item":{"type":"message","id":"msg_1_0","status":"completed","role":"assistant","content":[{"type":"output_text","text":"Hello","annotations":[]}]}}""",
                """{"type":"response.completed","sequence_number":9,"response":{"id":"resp_1","object":"response","created_at":1700000000,"status":"completed","error":null,"incomplete_details":null,"model":"gpt","output":[{"type":"message","id":"msg_1_0","status":"completed","role":"assistant","content":[{"type":"output_text","text":"Hello","annotations":[]}]}],"usage":{"input_tokens":60,"input_tokens_details":{"cached_tokens":10},"output_tokens":3,"output_tokens_details":{"reasoning_tokens":0},"total_tokens":63}}}""",
            ],
            events.Select(e => e.Data.GetRawText()));
    }

    [Fact]
    public async Task FunctionCall_AfterText_ExactSequence()
    {
        var call = new FunctionCallContent("call_1", "get_weather", new Dictionary<string, object?> { ["city"] = "Lyon" });
        var events = await RunAsync(async w =>
        {
            await w.WriteAsync(Text("Let me check."), default);
            await w.WriteAsync(new ChatResponseUpdate(ChatRole.Assistant, [call]), default);
            await w.WriteAsync(new ChatResponseUpdate { FinishReason = ChatFinishReason.ToolCalls, Contents = [new UsageContent(new UsageDetails { InputTokenCount = 5, OutputTokenCount = 12 })] }, default);
            await w.CompleteAsync(default);
        });

        Assert.Equal(
            [
                "response.created", "response.in_progress",
                "response.output_item.added", "response.content_part.added", "response.output_text.delta",
                "response.output_text.done", "response.content_part.done", "response.output_item.done",
                "response.output_item.added", "response.function_call_arguments.delta", "response.function_call_arguments.done", "response.output_item.done",
                "response.completed",
            ],
            events.Select(e => e.Event));
        Assert.Equal(
            """{"type":"response.output_item.added","sequence_number":8,"output_index":1,"item":{"type":"function_call","id":"fc_1_1","call_id":"call_1","name":"get_weather","arguments":"","status":"in_progress"}}""",
            events[8].Data.GetRawText());
        Assert.Equal(
            """{"type":"response.function_call_arguments.delta","sequence_number":9,"item_id":"fc_1_1","output_index":1,"delta":"{\"city\":\"Lyon\"}"}""",
            events[9].Data.GetRawText());
        Assert.Equal(
            """{"type":"response.function_call_arguments.done","sequence_number":10,"item_id":"fc_1_1","output_index":1,"name":"get_weather","arguments":"{\"city\":\"Lyon\"}"}""",
            events[10].Data.GetRawText());
        Assert.Equal(
            """{"type":"response.output_item.done","sequence_number":11,"output_index":1,"item":{"type":"function_call","id":"fc_1_1","call_id":"call_1","name":"get_weather","arguments":"{\"city\":\"Lyon\"}","status":"completed"}}""",
            events[11].Data.GetRawText());

        var final = events[12].Data.GetProperty("response");
        Assert.Equal("completed", final.GetProperty("status").GetString());
        Assert.Equal(["message", "function_call"], final.GetProperty("output").EnumerateArray().Select(i => i.GetProperty("type").GetString()));
        Assert.Equal(17, final.GetProperty("usage").GetProperty("total_tokens").GetInt32());

        // The final response equals what the non-streamed writer makes of the same content.
        var whole = new ChatResponse(new ChatMessage(ChatRole.Assistant, [new TextContent("Let me check."), call]))
        {
            FinishReason = ChatFinishReason.ToolCalls,
            Usage = new UsageDetails { InputTokenCount = 5, OutputTokenCount = 12 },
        };
        Assert.Equal(ResponsesResponseWriterTests.Write(whole), final.GetRawText());
    }

    [Fact]
    public async Task LengthLimited_EndsWithResponseIncomplete()
    {
        var events = await RunAsync(async w =>
        {
            await w.WriteAsync(new ChatResponseUpdate(ChatRole.Assistant, "cut sh") { FinishReason = ChatFinishReason.Length }, default);
            await w.CompleteAsync(default);
        });

        Assert.Equal("incomplete", events[^2].Data.GetProperty("item").GetProperty("status").GetString());
        Assert.Equal("response.incomplete", events[^1].Event);
        var response = events[^1].Data.GetProperty("response");
        Assert.Equal("incomplete", response.GetProperty("status").GetString());
        Assert.Equal("max_output_tokens", response.GetProperty("incomplete_details").GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Fail_WritesErrorThenResponseFailed()
    {
        var events = await RunAsync(async w =>
        {
            await w.WriteAsync(Text("partial"), default);
            await w.FailAsync(new FailureInfo(502, "upstream_error", "provider_unavailable", "All candidates failed"), default);
        });

        Assert.Equal(
            ["response.created", "response.in_progress", "response.output_item.added", "response.content_part.added", "response.output_text.delta", "error", "response.failed"],
            events.Select(e => e.Event));
        Assert.Equal(
            """{"type":"error","sequence_number":5,"code":"provider_unavailable","message":"All candidates failed","param":null}""",
            events[5].Data.GetRawText());
        Assert.Equal(
            """{"id":"resp_1","object":"response","created_at":1700000000,"status":"failed","error":{"code":"provider_unavailable","message":"All candidates failed"},"incomplete_details":null,"model":"gpt","output":[{"type":"message","id":"msg_1_0","status":"incomplete","role":"assistant","content":[{"type":"output_text","text":"partial","annotations":[]}]}],"usage":null}""",
            events[6].Data.GetProperty("response").GetRawText());
    }

    [Fact]
    public async Task EmptyStream_StillWritesCreatedInProgressCompleted()
    {
        var events = await RunAsync(async w => await w.CompleteAsync(default));
        Assert.Equal(["response.created", "response.in_progress", "response.completed"], events.Select(e => e.Event));
        Assert.Equal(0, events[2].Data.GetProperty("response").GetProperty("output").GetArrayLength());
    }
}
