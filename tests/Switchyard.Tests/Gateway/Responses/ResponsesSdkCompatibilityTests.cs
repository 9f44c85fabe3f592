using System.ClientModel.Primitives;
using System.Text.Json;
using Microsoft.Extensions.AI;
using OpenAI.Responses;
using Switchyard.Gateway.Responses;
using Switchyard.Routing;

namespace Switchyard.Tests.Gateway.Responses;

/// <summary>The official OpenAI .NET SDK reads what the writers write and writes what the reader reads.</summary>
public sealed class ResponsesSdkCompatibilityTests
{
    [Fact]
    public void SdkReadsResponse_TextAndFunctionCall()
    {
        var call = new FunctionCallContent("call_1", "get_weather", new Dictionary<string, object?> { ["city"] = "Lyon" });
        var json = ResponsesResponseWriterTests.Write(new ChatResponse(new ChatMessage(ChatRole.Assistant, [new TextContent("Checking."), call]))
        {
            FinishReason = ChatFinishReason.ToolCalls,
            Usage = new UsageDetails { InputTokenCount = 50, CachedInputTokenCount = 8, OutputTokenCount = 9 },
        });

        var result = ModelReaderWriter.Read<ResponseResult>(BinaryData.FromString(json), ModelReaderWriterOptions.Json)!;

        Assert.Equal("resp_1", result.Id);
        Assert.Equal(ResponseStatus.Completed, result.Status);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000), result.CreatedAt);
        Assert.Equal("Checking.", result.GetOutputText());
        var message = Assert.IsAssignableFrom<MessageResponseItem>(result.OutputItems[0]);
        Assert.Equal("Checking.", Assert.Single(message.Content).Text);
        var fc = Assert.IsType<FunctionCallResponseItem>(result.OutputItems[1]);
        Assert.Equal(("call_1", "get_weather"), (fc.CallId, fc.FunctionName));
        Assert.Equal("""{"city":"Lyon"}""", fc.FunctionArguments.ToString());
        Assert.Equal((50, 8, 9, 59), (result.Usage.InputTokenCount, result.Usage.InputTokenDetails.CachedTokenCount, result.Usage.OutputTokenCount, result.Usage.TotalTokenCount));
    }

    [Fact]
    public void SdkReadsResponse_Incomplete()
    {
        var json = ResponsesResponseWriterTests.Write(new ChatResponse(new ChatMessage(ChatRole.Assistant, "cut")) { FinishReason = ChatFinishReason.Length });
        var result = ModelReaderWriter.Read<ResponseResult>(BinaryData.FromString(json), ModelReaderWriterOptions.Json)!;
        Assert.Equal(ResponseStatus.Incomplete, result.Status);
        Assert.Equal(ResponseIncompleteStatusReason.MaxOutputTokens, result.IncompleteStatusDetails.Reason);
    }

    [Fact]
    public async Task SdkReadsEveryStreamEvent()
    {
        var call = new FunctionCallContent("call_1", "get_weather", new Dictionary<string, object?> { ["city"] = "Lyon" });
        var events = await ResponsesEventWriterTests.RunAsync(async w =>
        {
            await w.WriteAsync(new ChatResponseUpdate(ChatRole.Assistant, "Hi"), default);
            await w.WriteAsync(new ChatResponseUpdate(ChatRole.Assistant, [call]), default);
            await w.WriteAsync(new ChatResponseUpdate(ChatRole.Assistant, "more"), default);
            await w.FailAsync(new FailureInfo(502, "upstream_error", "provider_unavailable", "down"), default);
        });

        var updates = events.Select(e => ModelReaderWriter.Read<StreamingResponseUpdate>(BinaryData.FromString(e.Data.GetRawText()), ModelReaderWriterOptions.Json)!).ToList();

        Assert.Equal(events.Select((_, i) => i), updates.Select(u => u.SequenceNumber));
        Assert.IsType<StreamingResponseCreatedUpdate>(updates[0]);
        Assert.IsType<StreamingResponseInProgressUpdate>(updates[1]);
        Assert.Equal("Hi", updates.OfType<StreamingResponseOutputTextDeltaUpdate>().First().Delta);
        Assert.Equal("Hi", updates.OfType<StreamingResponseOutputTextDoneUpdate>().Single().Text);
        var args = updates.OfType<StreamingResponseFunctionCallArgumentsDoneUpdate>().Single();
        Assert.Equal("""{"city":"Lyon"}""", args.FunctionArguments.ToString());
        var done = updates.OfType<StreamingResponseOutputItemDoneUpdate>().Select(u => u.Item).OfType<FunctionCallResponseItem>().Single();
        Assert.Equal("call_1", done.CallId);
        var error = updates.OfType<StreamingResponseErrorUpdate>().Single();
        Assert.Equal(("provider_unavailable", "down"), (error.Code, error.Message));
        var failed = Assert.IsType<StreamingResponseFailedUpdate>(updates[^1]);
        Assert.Equal(ResponseStatus.Failed, failed.Response.Status);
        Assert.Equal("down", failed.Response.Error.Message);
    }

    [Fact]
    public void ReaderReadsSdkRequest()
    {
        var options = new CreateResponseOptions(
            "gpt",
            [
                ResponseItem.CreateDeveloperMessageItem("rules"),
                ResponseItem.CreateUserMessageItem([ResponseContentPart.CreateInputTextPart("look"), ResponseContentPart.CreateInputImagePart(new Uri("https://example.test/cat.png"))]),
                ResponseItem.CreateAssistantMessageItem("Checking."),
                ResponseItem.CreateFunctionCallItem("call_1", "get_weather", BinaryData.FromString("""{"city":"Lyon"}""")),
                ResponseItem.CreateFunctionCallOutputItem("call_1", "12C"),
            ])
        {
            Instructions = "be brief",
            StoredOutputEnabled = false,
            StreamingEnabled = true,
            MaxOutputTokenCount = 100,
            Temperature = 0.2f,
            ToolChoice = ResponseToolChoice.CreateFunctionChoice("get_weather"),
            ParallelToolCallsEnabled = false,
            EndUserId = "u-1",
            TextOptions = new ResponseTextOptions
            {
                TextFormat = ResponseTextFormat.CreateJsonSchemaFormat("w", BinaryData.FromString("""{"type":"object","properties":{}}"""), "weather", true),
            },
        };
        options.Tools.Add(ResponseTool.CreateFunctionTool("get_weather", BinaryData.FromString("""{"type":"object","properties":{"city":{"type":"string"}}}"""), true, "Weather"));
        options.Metadata["k"] = "v";

        using var doc = JsonDocument.Parse(ModelReaderWriter.Write(options, ModelReaderWriterOptions.Json).ToString());
        var r = ResponsesRequestReader.Read(doc.RootElement);

        Assert.Equal("gpt", r.Model);
        Assert.True(r.Stream);
        Assert.Equal("u-1", r.User);
        Assert.Equal(100, r.Options.MaxOutputTokens);
        Assert.False(r.Options.AllowMultipleToolCalls);
        Assert.Equal("get_weather", Assert.IsType<RequiredChatToolMode>(r.Options.ToolMode).RequiredFunctionName);
        Assert.Equal("get_weather", Assert.Single(r.Options.Tools!).Name);
        Assert.Equal("w", Assert.IsType<ChatResponseFormatJson>(r.Options.ResponseFormat).SchemaName);
        Assert.Equal([ChatRole.System, ChatRole.System, ChatRole.User, ChatRole.Assistant, ChatRole.Tool], r.Messages.Select(m => m.Role));
        Assert.IsType<UriContent>(r.Messages[2].Contents[1]);
        Assert.IsType<FunctionCallContent>(r.Messages[3].Contents[1]);
        Assert.Equal("12C", Assert.IsType<FunctionResultContent>(Assert.Single(r.Messages[4].Contents)).Result);
    }
}
