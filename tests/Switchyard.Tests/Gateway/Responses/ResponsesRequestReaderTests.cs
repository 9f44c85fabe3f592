using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchyard.Gateway.OpenAI;
using Switchyard.Gateway.Responses;

namespace Switchyard.Tests.Gateway.Responses;

/// <summary>The OpenAI Responses request → Microsoft.Extensions.AI mapping, without HTTP.</summary>
public sealed class ResponsesRequestReaderTests
{
    private static ResponsesRequest Read(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return ResponsesRequestReader.Read(doc.RootElement);
    }

    [Fact]
    public void StringInput_IsOneUserMessage_Defaults()
    {
        var r = Read("""{"model":"gpt","input":"hi"}""");

        Assert.Equal("gpt", r.Model);
        Assert.Equal("gpt", r.Options.ModelId);
        Assert.False(r.Stream);
        Assert.Null(r.User);
        Assert.Null(r.Options.MaxOutputTokens);
        Assert.Null(r.Options.Tools);
        Assert.Null(r.Options.ResponseFormat);
        var m = Assert.Single(r.Messages);
        Assert.Equal((ChatRole.User, "hi"), (m.Role, m.Text));
    }

    [Fact]
    public void ScalarParameters_AreMapped_IgnoredOnesAccepted()
    {
        var r = Read("""
            {"model":"m","input":"x","instructions":"be brief","max_output_tokens":64,"temperature":1.5,"top_p":0.9,
             "stream":true,"user":"u-1","metadata":{"k":"v"},"parallel_tool_calls":false,"store":false,"background":false,
             "service_tier":"auto","truncation":"disabled","stream_options":{"include_obfuscation":false},
             "reasoning":{"effort":"high","summary":"auto"},"text":{"verbosity":"low"},"previous_response_id":null}
            """);

        Assert.Equal(64, r.Options.MaxOutputTokens);
        Assert.Equal(1.5f, r.Options.Temperature);
        Assert.Equal(0.9f, r.Options.TopP);
        Assert.True(r.Stream);
        Assert.Equal("u-1", r.User);
        Assert.Equal("u-1", r.Options.AdditionalProperties!["user"]);
        Assert.False(r.Options.AllowMultipleToolCalls);
        Assert.Equal(ReasoningEffort.High, r.Options.Reasoning!.Effort);
        Assert.Null(r.Options.ResponseFormat);
        Assert.Equal(2, r.Messages.Count);
        Assert.Equal((ChatRole.System, "be brief"), (r.Messages[0].Role, r.Messages[0].Text));
        Assert.Equal((ChatRole.User, "x"), (r.Messages[1].Role, r.Messages[1].Text));
    }

    [Fact]
    public void MessageItems_AllRolesAndPartKinds()
    {
        var r = Read("""
            {"model":"m","input":[
              {"role":"developer","content":"rules"},
              {"type":"message","role":"system","content":[{"type":"input_text","text":"more rules"}]},
              {"role":"user","content":[
                {"type":"input_text","text":"look"},
                {"type":"input_image","image_url":"https://example.test/cat.png","detail":"low"},
                {"type":"input_image","image_url":"data:image/png;base64,iVBORw0KGgo="}]},
              {"type":"message","id":"msg_1","status":"completed","role":"assistant",
               "content":[{"type":"output_text","text":"a cat","annotations":[],"logprobs":[]},{"type":"refusal","refusal":"no more"}]}]}
            """);

        Assert.Equal([ChatRole.System, ChatRole.System, ChatRole.User, ChatRole.Assistant], r.Messages.Select(m => m.Role));
        Assert.Equal("rules", r.Messages[0].Text);
        Assert.Equal("more rules", r.Messages[1].Text);
        var user = r.Messages[2].Contents;
        Assert.Equal("look", Assert.IsType<TextContent>(user[0]).Text);
        var uri = Assert.IsType<UriContent>(user[1]);
        Assert.Equal(new Uri("https://example.test/cat.png"), uri.Uri);
        var data = Assert.IsType<DataContent>(user[2]);
        Assert.Equal("image/png", data.MediaType);
        Assert.Equal(Convert.FromBase64String("iVBORw0KGgo="), data.Data.ToArray());
        Assert.Equal(["a cat", "no more"], r.Messages[3].Contents.Select(c => Assert.IsType<TextContent>(c).Text));
    }

    [Fact]
    public void FunctionCalls_MergeIntoAssistant_OutputsIntoOneToolMessage()
    {
        var r = Read("""
            {"model":"m","input":[
              {"role":"user","content":"weather in Lyon and Paris?"},
              {"role":"assistant","content":"Checking."},
              {"type":"function_call","id":"fc_1","call_id":"call_1","name":"get_weather","arguments":"{\"city\":\"Lyon\"}","status":"completed"},
              {"type":"function_call","call_id":"call_2","name":"get_weather","arguments":""},
              {"type":"function_call_output","call_id":"call_1","output":"12C"},
              {"type":"function_call_output","call_id":"call_2","output":[{"type":"input_text","text":"14"},{"type":"input_text","text":"C"}]},
              {"type":"reasoning","id":"rs_1","summary":[],"encrypted_content":"opaque"},
              {"role":"user","content":"thanks"}]}
            """);

        Assert.Equal([ChatRole.User, ChatRole.Assistant, ChatRole.Tool, ChatRole.User], r.Messages.Select(m => m.Role));
        var assistant = r.Messages[1].Contents;
        Assert.Equal("Checking.", Assert.IsType<TextContent>(assistant[0]).Text);
        var call = Assert.IsType<FunctionCallContent>(assistant[1]);
        Assert.Equal(("call_1", "get_weather"), (call.CallId, call.Name));
        Assert.Equal("Lyon", ((JsonElement)call.Arguments!["city"]!).GetString());
        var empty = Assert.IsType<FunctionCallContent>(assistant[2]);
        Assert.Equal("call_2", empty.CallId);
        Assert.Empty(empty.Arguments!);
        var results = r.Messages[2].Contents.Cast<FunctionResultContent>().ToList();
        Assert.Equal([("call_1", "12C"), ("call_2", "14C")], results.Select(f => (f.CallId, (string)f.Result!)));
    }

    [Fact]
    public void FunctionCallAfterUserMessage_StartsAssistantMessage_ImageOutputStaysList()
    {
        var r = Read("""
            {"model":"m","input":[
              {"role":"user","content":"draw"},
              {"type":"function_call","call_id":"c","name":"render","arguments":"{}"},
              {"type":"function_call_output","call_id":"c","output":[{"type":"input_text","text":"done"},{"type":"input_image","image_url":"https://example.test/x.png"}]}]}
            """);

        Assert.Equal([ChatRole.User, ChatRole.Assistant, ChatRole.Tool], r.Messages.Select(m => m.Role));
        var result = Assert.IsType<FunctionResultContent>(Assert.Single(r.Messages[2].Contents));
        var parts = Assert.IsType<List<AIContent>>(result.Result);
        Assert.IsType<TextContent>(parts[0]);
        Assert.IsType<UriContent>(parts[1]);
    }

    [Fact]
    public void Tools_AndToolChoices()
    {
        var r = Read("""
            {"model":"m","input":"x","tool_choice":"required","tools":[
              {"type":"function","name":"get_weather","description":"Weather","strict":true,
               "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}},
              {"type":"function","name":"now"}]}
            """);

        Assert.Equal(ChatToolMode.RequireAny, r.Options.ToolMode);
        Assert.Equal(2, r.Options.Tools!.Count);
        var weather = Assert.IsAssignableFrom<AIFunctionDeclaration>(r.Options.Tools[0]);
        Assert.Equal(("get_weather", "Weather"), (weather.Name, weather.Description));
        Assert.Equal("string", weather.JsonSchema.GetProperty("properties").GetProperty("city").GetProperty("type").GetString());
        var now = Assert.IsAssignableFrom<AIFunctionDeclaration>(r.Options.Tools[1]);
        Assert.Equal("object", now.JsonSchema.GetProperty("type").GetString());

        Assert.Equal(ChatToolMode.Auto, Read("""{"model":"m","input":"x","tool_choice":"auto"}""").Options.ToolMode);
        Assert.Equal(ChatToolMode.None, Read("""{"model":"m","input":"x","tool_choice":"none"}""").Options.ToolMode);
        var specific = Assert.IsType<RequiredChatToolMode>(Read("""{"model":"m","input":"x","tool_choice":{"type":"function","name":"now"}}""").Options.ToolMode);
        Assert.Equal("now", specific.RequiredFunctionName);
    }

    [Fact]
    public void TextFormats_MapToResponseFormat()
    {
        Assert.Same(ChatResponseFormat.Text, Read("""{"model":"m","input":"x","text":{"format":{"type":"text"}}}""").Options.ResponseFormat);
        Assert.Same(ChatResponseFormat.Json, Read("""{"model":"m","input":"x","text":{"format":{"type":"json_object"}}}""").Options.ResponseFormat);

        var r = Read("""
            {"model":"m","input":"x","text":{"format":{"type":"json_schema","name":"person","description":"A person","strict":true,
              "schema":{"type":"object","properties":{"name":{"type":"string"}},"required":["name"],"additionalProperties":false}}}}
            """);
        var format = Assert.IsType<ChatResponseFormatJson>(r.Options.ResponseFormat);
        Assert.Equal(("person", "A person"), (format.SchemaName, format.SchemaDescription));
        Assert.Equal("object", format.Schema!.Value.GetProperty("type").GetString());
    }

    public static TheoryData<string, string?, string> Malformed => new()
    {
        { """[1]""", null, "invalid_request_body" },
        { """{"input":"x"}""", "model", "missing_required_parameter" },
        { """{"model":"m"}""", "input", "missing_required_parameter" },
        { """{"model":"m","input":42}""", "input", "invalid_value" },
        { """{"model":"m","input":[]}""", "input", "invalid_value" },
        { """{"model":"m","input":"x","store":true}""", "store", "unsupported_parameter" },
        { """{"model":"m","input":"x","previous_response_id":"resp_1"}""", "previous_response_id", "unsupported_parameter" },
        { """{"model":"m","input":"x","background":true}""", "background", "unsupported_parameter" },
        { """{"model":"m","input":"x","conversation":"conv_1"}""", "conversation", "unsupported_parameter" },
        { """{"model":"m","input":"x","frobnicate":1}""", "frobnicate", "unknown_parameter" },
        { """{"model":"m","input":"x","temperature":3}""", "temperature", "invalid_value" },
        { """{"model":"m","input":"x","max_output_tokens":0}""", "max_output_tokens", "invalid_value" },
        { """{"model":"m","input":"x","stream":"yes"}""", "stream", "invalid_value" },
        { """{"model":"m","input":"x","metadata":{"k":1}}""", "metadata.k", "invalid_value" },
        { """{"model":"m","input":[{"role":"tool","content":"x"}]}""", "input[0].role", "invalid_value" },
        { """{"model":"m","input":[{"content":"x"}]}""", "input[0].type", "missing_required_parameter" },
        { """{"model":"m","input":[{"role":"user"}]}""", "input[0].content", "missing_required_parameter" },
        { """{"model":"m","input":[{"role":"user","content":"x","name":"bob"}]}""", "input[0].name", "unknown_parameter" },
        { """{"model":"m","input":[{"role":"user","content":[{"type":"output_text","text":"x"}]}]}""", "input[0].content[0].type", "invalid_value" },
        { """{"model":"m","input":[{"role":"user","content":[{"type":"input_file","file_id":"f"}]}]}""", "input[0].content[0].type", "unsupported_parameter" },
        { """{"model":"m","input":[{"role":"user","content":[{"type":"input_image","image_url":"ftp://x/y.png"}]}]}""", "input[0].content[0].image_url", "invalid_value" },
        { """{"model":"m","input":[{"role":"user","content":[{"type":"input_image","file_id":"file_1"}]}]}""", "input[0].content[0].file_id", "unsupported_parameter" },
        { """{"model":"m","input":[{"type":"function_call","call_id":"c","name":"f","arguments":"[1]"}]}""", "input[0].arguments", "invalid_value" },
        { """{"model":"m","input":[{"type":"function_call","call_id":"c","name":"f"}]}""", "input[0].arguments", "missing_required_parameter" },
        { """{"model":"m","input":[{"type":"function_call_output","call_id":"c"}]}""", "input[0].output", "missing_required_parameter" },
        { """{"model":"m","input":[{"type":"web_search_call","id":"ws_1"}]}""", "input[0].type", "unsupported_parameter" },
        { """{"model":"m","input":[{"type":"bogus"}]}""", "input[0].type", "invalid_value" },
        { """{"model":"m","input":"x","tools":[{"type":"web_search"}]}""", "tools[0].type", "unsupported_parameter" },
        { """{"model":"m","input":"x","tools":[{"type":"function","name":"bad name"}]}""", "tools[0].name", "invalid_value" },
        { """{"model":"m","input":"x","tools":[{"type":"function","name":"f","parameters":"{}"}]}""", "tools[0].parameters", "invalid_value" },
        { """{"model":"m","input":"x","tools":[{"type":"function","function":{"name":"f"}}]}""", "tools[0].function", "unknown_parameter" },
        { """{"model":"m","input":"x","tool_choice":"any"}""", "tool_choice", "invalid_value" },
        { """{"model":"m","input":"x","tool_choice":{"type":"function"}}""", "tool_choice.name", "missing_required_parameter" },
        { """{"model":"m","input":"x","tool_choice":{"type":"file_search"}}""", "tool_choice.type", "unsupported_parameter" },
        { """{"model":"m","input":"x","text":{"format":{"type":"xml"}}}""", "text.format.type", "invalid_value" },
        { """{"model":"m","input":"x","text":{"format":{"type":"json_schema","name":"n"}}}""", "text.format.schema", "missing_required_parameter" },
        { """{"model":"m","input":"x","text":{"format":{"type":"json_schema","schema":{}}}}""", "text.format.name", "missing_required_parameter" },
        { """{"model":"m","input":"x","response_format":{"type":"json_object"}}""", "response_format", "unknown_parameter" },
        { """{"model":"m","input":"x","reasoning":{"effort":"max"}}""", "reasoning.effort", "invalid_value" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void MalformedBodies_AreRefusedWithTheParam(string json, string? param, string code)
    {
        var ex = Assert.Throws<WireFormatException>(() => Read(json));
        Assert.Equal(param, ex.Param);
        Assert.Equal(code, ex.Code);
        Assert.Equal(400, ex.Status);
    }

    [Fact]
    public void Store_MessageSaysWhatToSend()
    {
        var ex = Assert.Throws<WireFormatException>(() => Read("""{"model":"m","input":"x","store":true}"""));
        Assert.Contains("store: false", ex.Message, StringComparison.Ordinal);
    }
}
