using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchyard.Gateway.Anthropic;
using Switchyard.Gateway.OpenAI;

namespace Switchyard.Tests.Gateway.Anthropic;

/// <summary>The Anthropic Messages request → Microsoft.Extensions.AI mapping, without HTTP.</summary>
public sealed class MessagesRequestReaderTests
{
    private static MessagesRequest Read(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return MessagesRequestReader.Read(doc.RootElement);
    }

    [Fact]
    public void MinimalRequest_MapsModelMaxTokensAndStringContent()
    {
        var r = Read("""{"model":"claude","max_tokens":64,"messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal("claude", r.Model);
        Assert.Equal("claude", r.Options.ModelId);
        Assert.Equal(64, r.Options.MaxOutputTokens);
        Assert.False(r.Stream);
        Assert.Null(r.UserId);
        var m = Assert.Single(r.Messages);
        Assert.Equal((ChatRole.User, "hi"), (m.Role, m.Text));
    }

    [Fact]
    public void SamplingStreamMetadata_AreMapped()
    {
        var r = Read("""
            {"model":"m","max_tokens":10,"messages":[{"role":"user","content":"x"}],
             "temperature":0.5,"top_p":0.9,"top_k":40,"stop_sequences":["END","STOP"],"stream":true,
             "metadata":{"user_id":"u-1"},"service_tier":"auto","thinking":{"type":"enabled","budget_tokens":1024},
             "cache_control":{"type":"ephemeral"}}
            """);

        Assert.Equal(0.5f, r.Options.Temperature);
        Assert.Equal(0.9f, r.Options.TopP);
        Assert.Equal(40, r.Options.TopK);
        Assert.Equal(["END", "STOP"], r.Options.StopSequences);
        Assert.True(r.Stream);
        Assert.Equal("u-1", r.UserId);
        Assert.Equal("u-1", r.Options.AdditionalProperties!["user"]);
    }

    [Fact]
    public void SystemString_BecomesLeadingSystemMessage()
    {
        var r = Read("""{"model":"m","max_tokens":1,"system":"be brief","messages":[{"role":"user","content":"x"}]}""");
        Assert.Equal(2, r.Messages.Count);
        Assert.Equal((ChatRole.System, "be brief"), (r.Messages[0].Role, r.Messages[0].Text));
    }

    [Fact]
    public void SystemBlocks_BecomeOneSystemMessage_CacheControlAccepted()
    {
        var r = Read("""
            {"model":"m","max_tokens":1,"messages":[{"role":"user","content":"x"}],
             "system":[{"type":"text","text":"one "},{"type":"text","text":"two","cache_control":{"type":"ephemeral","ttl":"1h"}}]}
            """);
        Assert.Equal(ChatRole.System, r.Messages[0].Role);
        Assert.Equal(2, r.Messages[0].Contents.Count);
        Assert.Equal("one two", r.Messages[0].Text);
        Assert.Equal(ChatRole.User, r.Messages[1].Role);
    }

    [Fact]
    public void UserBlocks_TextAndImages()
    {
        var r = Read("""
            {"model":"m","max_tokens":1,"messages":[{"role":"user","content":[
              {"type":"text","text":"look","cache_control":{"type":"ephemeral"}},
              {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},
              {"type":"image","source":{"type":"url","url":"https://example.test/cat.png"}}]}]}
            """);

        var m = Assert.Single(r.Messages);
        Assert.Equal(ChatRole.User, m.Role);
        Assert.Equal("look", Assert.IsType<TextContent>(m.Contents[0]).Text);
        var data = Assert.IsType<DataContent>(m.Contents[1]);
        Assert.Equal("image/png", data.MediaType);
        Assert.Equal(Convert.FromBase64String("iVBORw0KGgo="), data.Data.ToArray());
        Assert.Equal("https://example.test/cat.png", Assert.IsType<UriContent>(m.Contents[2]).Uri.ToString());
    }

    [Fact]
    public void AssistantBlocks_ThinkingRedactedThinkingToolUse()
    {
        var r = Read("""
            {"model":"m","max_tokens":1,"messages":[
              {"role":"user","content":"weather?"},
              {"role":"assistant","content":[
                {"type":"thinking","thinking":"let me think","signature":"sig=="},
                {"type":"redacted_thinking","data":"opaque"},
                {"type":"text","text":"checking"},
                {"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Lyon","days":[1,2]}}]}]}
            """);

        var a = r.Messages[1];
        Assert.Equal(ChatRole.Assistant, a.Role);
        var thinking = Assert.IsType<TextReasoningContent>(a.Contents[0]);
        Assert.Equal(("let me think", "sig=="), (thinking.Text, thinking.ProtectedData));
        var redacted = Assert.IsType<TextReasoningContent>(a.Contents[1]);
        Assert.Equal(("", "opaque"), (redacted.Text, redacted.ProtectedData));
        Assert.Equal(true, redacted.AdditionalProperties![MessagesRequestReader.RedactedThinkingKey]);
        Assert.Equal("checking", Assert.IsType<TextContent>(a.Contents[2]).Text);
        var call = Assert.IsType<FunctionCallContent>(a.Contents[3]);
        Assert.Equal(("toolu_1", "get_weather"), (call.CallId, call.Name));
        Assert.Equal("Lyon", ((JsonElement)call.Arguments!["city"]!).GetString());
        Assert.Equal(2, ((JsonElement)call.Arguments!["days"]!).GetArrayLength());
    }

    [Fact]
    public void ToolResults_MoveToToolMessages_KeepingOrder()
    {
        var r = Read("""
            {"model":"m","max_tokens":1,"messages":[
              {"role":"user","content":"go"},
              {"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"f","input":{}},{"type":"tool_use","id":"t2","name":"g","input":{}}]},
              {"role":"user","content":[
                {"type":"tool_result","tool_use_id":"t1","content":"sunny"},
                {"type":"tool_result","tool_use_id":"t2","is_error":true,"content":[{"type":"text","text":"boom "},{"type":"text","text":"again"}]},
                {"type":"text","text":"thanks"}]},
              {"role":"user","content":[{"type":"tool_result","tool_use_id":"t3","content":[{"type":"text","text":"pic"},{"type":"image","source":{"type":"url","url":"https://example.test/a.png"}}]},{"type":"tool_result","tool_use_id":"t4"}]}]}
            """);

        Assert.Equal([ChatRole.User, ChatRole.Assistant, ChatRole.Tool, ChatRole.User, ChatRole.Tool], r.Messages.Select(m => m.Role));
        var results = r.Messages[2].Contents.Cast<FunctionResultContent>().ToList();
        Assert.Equal(("t1", "sunny"), (results[0].CallId, results[0].Result as string));
        Assert.Null(results[0].AdditionalProperties);
        Assert.Equal(("t2", "boom again"), (results[1].CallId, results[1].Result as string));
        Assert.Equal(true, results[1].AdditionalProperties![MessagesRequestReader.ToolResultIsErrorKey]);
        Assert.Equal("thanks", r.Messages[3].Text);
        var withImage = Assert.IsType<FunctionResultContent>(r.Messages[4].Contents[0]);
        var parts = Assert.IsType<List<AIContent>>(withImage.Result);
        Assert.IsType<TextContent>(parts[0]);
        Assert.IsType<UriContent>(parts[1]);
        Assert.Equal("", Assert.IsType<FunctionResultContent>(r.Messages[4].Contents[1]).Result);
    }

    [Fact]
    public void EmptyFinalAssistantMessage_IsAllowed()
    {
        var r = Read("""{"model":"m","max_tokens":1,"messages":[{"role":"user","content":"x"},{"role":"assistant","content":[]}]}""");
        Assert.Equal(ChatRole.Assistant, r.Messages[1].Role);
        Assert.Empty(r.Messages[1].Contents);
    }

    [Fact]
    public void Tools_BecomeDeclarationsWithSchema()
    {
        var r = Read("""
            {"model":"m","max_tokens":1,"messages":[{"role":"user","content":"x"}],
             "tools":[{"name":"get_weather","description":"Weather","input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]},"cache_control":{"type":"ephemeral"}},
                      {"type":"custom","name":"noop","input_schema":{"type":"object"}}]}
            """);

        Assert.Equal(2, r.Options.Tools!.Count);
        var f = Assert.IsAssignableFrom<AIFunctionDeclaration>(r.Options.Tools[0]);
        Assert.Equal(("get_weather", "Weather"), (f.Name, f.Description));
        Assert.Equal("string", f.JsonSchema.GetProperty("properties").GetProperty("city").GetProperty("type").GetString());
        var g = Assert.IsAssignableFrom<AIFunctionDeclaration>(r.Options.Tools[1]);
        Assert.Equal("noop", g.Name);
    }

    public static TheoryData<string, ChatToolMode, bool?> ToolChoices => new()
    {
        { """{"type":"auto"}""", ChatToolMode.Auto, null },
        { """{"type":"any"}""", ChatToolMode.RequireAny, null },
        { """{"type":"tool","name":"f"}""", ChatToolMode.RequireSpecific("f"), null },
        { """{"type":"none"}""", ChatToolMode.None, null },
        { """{"type":"any","disable_parallel_tool_use":true}""", ChatToolMode.RequireAny, false },
    };

    [Theory]
    [MemberData(nameof(ToolChoices))]
    public void ToolChoice_MapsToToolMode(string choice, ChatToolMode expected, bool? allowMultiple)
    {
        var r = Read(B(""" "messages":[{"role":"user","content":"x"}],"tool_choice":""" + choice + "}"));
        Assert.Equal(expected, r.Options.ToolMode);
        Assert.Equal(allowMultiple, r.Options.AllowMultipleToolCalls);
    }

    /// <summary>A body that starts with valid <c>model</c> and <c>max_tokens</c>; <paramref name="rest"/> closes it.</summary>
    private static string B(string rest) => """{"model":"m","max_tokens":1,""" + rest;

    public static TheoryData<string, string?, string> Malformed => new()
    {
        { """[1,2]""", null, "invalid_request_body" },
        { """{"max_tokens":1,"messages":[{"role":"user","content":"x"}]}""", "model", "missing_required_parameter" },
        { """{"model":7,"max_tokens":1,"messages":[{"role":"user","content":"x"}]}""", "model", "invalid_value" },
        { """{"model":"m","messages":[{"role":"user","content":"x"}]}""", "max_tokens", "missing_required_parameter" },
        { """{"model":"m","max_tokens":0,"messages":[{"role":"user","content":"x"}]}""", "max_tokens", "invalid_value" },
        { """{"model":"m","max_tokens":1.5,"messages":[{"role":"user","content":"x"}]}""", "max_tokens", "invalid_value" },
        { """{"model":"m","max_tokens":"10","messages":[{"role":"user","content":"x"}]}""", "max_tokens", "invalid_value" },
        { """{"model":"m","max_tokens":1}""", "messages", "missing_required_parameter" },
        { B(""" "messages":[]}"""), "messages", "invalid_value" },
        { B(""" "messages":{}}"""), "messages", "invalid_value" },
        { B(""" "messages":["hi"]}"""), "messages[0]", "invalid_value" },
        { B(""" "messages":[{"content":"x"}]}"""), "messages[0].role", "missing_required_parameter" },
        { B(""" "messages":[{"role":"system","content":"x"}]}"""), "messages[0].role", "invalid_value" },
        { B(""" "messages":[{"role":"tool","content":"x"}]}"""), "messages[0].role", "invalid_value" },
        { B(""" "messages":[{"role":"user"}]}"""), "messages[0].content", "missing_required_parameter" },
        { B(""" "messages":[{"role":"user","content":42}]}"""), "messages[0].content", "invalid_value" },
        { B(""" "messages":[{"role":"user","content":[]}]}"""), "messages[0].content", "invalid_value" },
        { B(""" "messages":[{"role":"user","content":"x","name":"ann"}]}"""), "messages[0].name", "unknown_parameter" },
        { B(""" "messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b"},{"role":"user","content":[{"type":"video"}]}]}"""), "messages[2].content[0].type", "invalid_value" },
        { B(""" "messages":[{"role":"user","content":[{"text":"x"}]}]}"""), "messages[0].content[0].type", "missing_required_parameter" },
        { B(""" "messages":[{"role":"user","content":[{"type":"text"}]}]}"""), "messages[0].content[0].text", "missing_required_parameter" },
        { B(""" "messages":[{"role":"user","content":[{"type":"text","text":"x","bold":true}]}]}"""), "messages[0].content[0].bold", "unknown_parameter" },
        { B(""" "messages":[{"role":"user","content":[{"type":"text","text":"x","cache_control":{"type":"forever"}}]}]}"""), "messages[0].content[0].cache_control.type", "invalid_value" },
        { B(""" "messages":[{"role":"user","content":[{"type":"tool_use","id":"t","name":"f","input":{}}]}]}"""), "messages[0].content[0].type", "invalid_value" },
        { B(""" "messages":[{"role":"assistant","content":[{"type":"tool_result","tool_use_id":"t"}]}]}"""), "messages[0].content[0].type", "invalid_value" },
        { B(""" "messages":[{"role":"assistant","content":[{"type":"tool_use","id":"t","name":"f","input":"{}"}]}]}"""), "messages[0].content[0].input", "invalid_value" },
        { B(""" "messages":[{"role":"assistant","content":[{"type":"tool_use","name":"f","input":{}}]}]}"""), "messages[0].content[0].id", "missing_required_parameter" },
        { B(""" "messages":[{"role":"assistant","content":[{"type":"thinking","thinking":"t"}]}]}"""), "messages[0].content[0].signature", "missing_required_parameter" },
        { B(""" "messages":[{"role":"user","content":[{"type":"tool_result"}]}]}"""), "messages[0].content[0].tool_use_id", "missing_required_parameter" },
        { B(""" "messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","is_error":"yes"}]}]}"""), "messages[0].content[0].is_error", "invalid_value" },
        { B(""" "messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":[{"type":"tool_use"}]}]}]}"""), "messages[0].content[0].content[0].type", "invalid_value" },
        { B(""" "messages":[{"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/bmp","data":"AA=="}}]}]}"""), "messages[0].content[0].source.media_type", "invalid_value" },
        { B(""" "messages":[{"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/png","data":"%%%"}}]}]}"""), "messages[0].content[0].source.data", "invalid_value" },
        { B(""" "messages":[{"role":"user","content":[{"type":"image","source":{"type":"url","url":"cat.png"}}]}]}"""), "messages[0].content[0].source.url", "invalid_value" },
        { B(""" "messages":[{"role":"user","content":[{"type":"image"}]}]}"""), "messages[0].content[0].source", "missing_required_parameter" },
        { B(""" "messages":[{"role":"user","content":[{"type":"document","source":{}}]}]}"""), "messages[0].content[0].type", "unsupported_parameter" },
        { B(""" "messages":[{"role":"user","content":"x"}],"system":42}"""), "system", "invalid_value" },
        { B(""" "messages":[{"role":"user","content":"x"}],"system":[{"type":"image"}]}"""), "system[0].type", "invalid_value" },
        { B(""" "messages":[{"role":"user","content":"x"}],"temperature":1.5}"""), "temperature", "invalid_value" },
        { B(""" "messages":[{"role":"user","content":"x"}],"top_p":"high"}"""), "top_p", "invalid_value" },
        { B(""" "messages":[{"role":"user","content":"x"}],"top_k":-1}"""), "top_k", "invalid_value" },
        { B(""" "messages":[{"role":"user","content":"x"}],"stop_sequences":"END"}"""), "stop_sequences", "invalid_value" },
        { B(""" "messages":[{"role":"user","content":"x"}],"stop_sequences":["END",3]}"""), "stop_sequences[1]", "invalid_value" },
        { B(""" "messages":[{"role":"user","content":"x"}],"stream":"yes"}"""), "stream", "invalid_value" },
        { B(""" "messages":[{"role":"user","content":"x"}],"metadata":{"session":"s"}}"""), "metadata.session", "unknown_parameter" },
        { B(""" "messages":[{"role":"user","content":"x"}],"metadata":{"user_id":5}}"""), "metadata.user_id", "invalid_value" },
        { B(""" "messages":[{"role":"user","content":"x"}],"tools":{}}"""), "tools", "invalid_value" },
        { B(""" "messages":[{"role":"user","content":"x"}],"tools":[{"name":"f"}]}"""), "tools[0].input_schema", "missing_required_parameter" },
        { B(""" "messages":[{"role":"user","content":"x"}],"tools":[{"name":"bad name","input_schema":{}}]}"""), "tools[0].name", "invalid_value" },
        { B(""" "messages":[{"role":"user","content":"x"}],"tools":[{"name":"f","input_schema":[]}]}"""), "tools[0].input_schema", "invalid_value" },
        { B(""" "messages":[{"role":"user","content":"x"}],"tools":[{"type":"web_search_20250305","name":"web_search"}]}"""), "tools[0].type", "unsupported_parameter" },
        { B(""" "messages":[{"role":"user","content":"x"}],"tools":[{"name":"f","input_schema":{},"parameters":{}}]}"""), "tools[0].parameters", "unknown_parameter" },
        { B(""" "messages":[{"role":"user","content":"x"}],"tool_choice":"auto"}"""), "tool_choice", "invalid_value" },
        { B(""" "messages":[{"role":"user","content":"x"}],"tool_choice":{"type":"required"}}"""), "tool_choice.type", "invalid_value" },
        { B(""" "messages":[{"role":"user","content":"x"}],"tool_choice":{"type":"tool"}}"""), "tool_choice.name", "missing_required_parameter" },
        { B(""" "messages":[{"role":"user","content":"x"}],"thinking":{"type":"enabled"}}"""), "thinking.budget_tokens", "missing_required_parameter" },
        { B(""" "messages":[{"role":"user","content":"x"}],"thinking":{"type":"always"}}"""), "thinking.type", "invalid_value" },
        { B(""" "messages":[{"role":"user","content":"x"}],"mcp_servers":[]}"""), "mcp_servers", "unsupported_parameter" },
        { B(""" "messages":[{"role":"user","content":"x"}],"frequency_penalty":0.1}"""), "frequency_penalty", "unknown_parameter" },
        { B(""" "messages":[{"role":"user","content":"x"}],"n":1}"""), "n", "unknown_parameter" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void MalformedBodies_AreRefusedWithTheParamPath(string json, string? param, string code)
    {
        using var doc = JsonDocument.Parse(json);
        var ex = Record.Exception(() => MessagesRequestReader.Read(doc.RootElement));
        var wire = Assert.IsType<WireFormatException>(ex);
        Assert.Equal(param, wire.Param);
        Assert.Equal(code, wire.Code);
        Assert.Equal(400, wire.Status);
    }
}
