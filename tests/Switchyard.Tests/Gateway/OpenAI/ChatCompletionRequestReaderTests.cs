using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchyard.Gateway.OpenAI;

namespace Switchyard.Tests.Gateway.OpenAI;

/// <summary>The OpenAI request → Microsoft.Extensions.AI mapping, without HTTP.</summary>
public sealed class ChatCompletionRequestReaderTests
{
    private static ChatCompletionRequest Read(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return ChatCompletionRequestReader.Read(doc.RootElement);
    }

    [Fact]
    public void MapsRolesContentPartsAndToolTurns()
    {
        var request = Read("""
            {"model":"m","messages":[
              {"role":"developer","content":"rules"},
              {"role":"user","name":"ann","content":[{"type":"text","text":"look "},{"type":"text","text":"here"},{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}},{"type":"image_url","image_url":{"url":"https://example.test/cat.png"}}]},
              {"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"f","arguments":"{\"x\":[1,2]}"}}]},
              {"role":"tool","tool_call_id":"c1","content":[{"type":"text","text":"result"}]}
            ]}
            """);

        var m = request.Messages;
        Assert.Equal(ChatRole.System, m[0].Role);
        Assert.Equal("rules", m[0].Text);
        Assert.Equal("ann", m[1].AuthorName);
        Assert.Equal("look here", m[1].Text);
        Assert.Equal("image/png", Assert.Single(m[1].Contents.OfType<DataContent>()).MediaType);
        Assert.Equal("https://example.test/cat.png", Assert.Single(m[1].Contents.OfType<UriContent>()).Uri.ToString());
        var call = Assert.IsType<FunctionCallContent>(Assert.Single(m[2].Contents));
        Assert.Equal(("c1", "f"), (call.CallId, call.Name));
        Assert.Equal(2, ((JsonElement)call.Arguments!["x"]!).GetArrayLength());
        var result = Assert.IsType<FunctionResultContent>(Assert.Single(m[3].Contents));
        Assert.Equal(("c1", "result"), (result.CallId, result.Result as string));
    }

    [Fact]
    public void MapsOptions()
    {
        var request = Read("""
            {"model":"route-a","messages":[{"role":"user","content":"hi"}],"stream":true,"stream_options":{"include_usage":true},
             "temperature":0.3,"top_p":0.9,"max_completion_tokens":77,"stop":"END","seed":-5,"user":"u-1","frequency_penalty":0.5,"presence_penalty":-0.5,
             "tools":[{"type":"function","function":{"name":"get_x","description":"d","parameters":{"type":"object","properties":{"a":{"type":"integer"}}}}}],
             "tool_choice":{"type":"function","function":{"name":"get_x"}},"parallel_tool_calls":false,
             "response_format":{"type":"json_schema","json_schema":{"name":"s","schema":{"type":"object"}}},"store":true,"metadata":{"k":"v"}}
            """);

        var o = request.Options;
        Assert.Equal("route-a", o.ModelId);
        Assert.True(request.Stream);
        Assert.True(request.IncludeUsage);
        Assert.Equal(0.3f, o.Temperature);
        Assert.Equal(0.9f, o.TopP);
        Assert.Equal(77, o.MaxOutputTokens);
        Assert.Equal(["END"], o.StopSequences);
        Assert.Equal(-5, o.Seed);
        Assert.Equal("u-1", request.User);
        Assert.Equal("u-1", o.AdditionalProperties!["user"]);
        Assert.Equal(0.5f, o.FrequencyPenalty);
        Assert.Equal(-0.5f, o.PresencePenalty);
        var tool = Assert.IsAssignableFrom<AIFunctionDeclaration>(Assert.Single(o.Tools!));
        Assert.Equal("get_x", tool.Name);
        Assert.Equal("integer", tool.JsonSchema.GetProperty("properties").GetProperty("a").GetProperty("type").GetString());
        Assert.Equal("get_x", Assert.IsType<RequiredChatToolMode>(o.ToolMode).RequiredFunctionName);
        Assert.False(o.AllowMultipleToolCalls);
        var format = Assert.IsType<ChatResponseFormatJson>(o.ResponseFormat);
        Assert.Equal("s", format.SchemaName);
    }

    [Fact]
    public void IncludeUsage_OnlyAppliesToStreams_AndNullMeansUnset()
    {
        var request = Read("""{"model":"m","messages":[{"role":"user","content":"hi"}],"stream_options":{"include_usage":true},"temperature":null,"tools":null}""");
        Assert.False(request.IncludeUsage);
        Assert.Null(request.Options.Temperature);
        Assert.Null(request.Options.Tools);
    }
}
