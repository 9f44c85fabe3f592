using System.Collections;
using System.Reflection;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchyard.Privacy;

namespace Switchyard.Tests.Privacy;

/// <summary>
/// The privacy guard scans every string a provider can receive. The request model's members are enumerated by
/// reflection: each one that can hold text must be either read by <see cref="OutboundTexts"/> or listed with the reason
/// it carries none, so a field a future Microsoft.Extensions.AI adds cannot be forgotten silently.
/// </summary>
public sealed class OutboundTextsTests
{
    private static readonly Type[] RequestModel =
    [
        typeof(ChatOptions), typeof(ChatMessage), typeof(AIContent), typeof(TextContent), typeof(TextReasoningContent),
        typeof(DataContent), typeof(UriContent), typeof(FunctionCallContent), typeof(FunctionResultContent),
        typeof(AITool), typeof(AIFunctionDeclaration), typeof(ChatResponseFormatJson), typeof(RequiredChatToolMode),
    ];

    [Fact]
    public void EveryTextBearingMemberOfTheRequestModelIsCoveredOrExplained()
    {
        var missing = new List<string>();
        foreach (Type type in RequestModel)
        {
            foreach (PropertyInfo property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            {
                if (!CanHoldText(property.PropertyType))
                {
                    continue;
                }

                string key = $"{type.Name}.{property.Name}";
                if (!OutboundTexts.Covered.ContainsKey(key) && !OutboundTexts.NotText.ContainsKey(key))
                {
                    missing.Add(key + " : " + property.PropertyType.Name);
                }
            }
        }

        Assert.True(missing.Count == 0, "members that can carry text but are neither scanned nor explained:\n" + string.Join("\n", missing));
    }

    [Fact]
    public void CoveredAndExplainedListsNameRealMembers()
    {
        foreach (string key in OutboundTexts.Covered.Keys.Concat(OutboundTexts.NotText.Keys))
        {
            string[] parts = key.Split('.');
            Type type = RequestModel.Single(t => t.Name == parts[0]);
            Assert.True(type.GetProperty(parts[1], BindingFlags.Public | BindingFlags.Instance) is not null, $"{key} is not a member");
        }
    }

    [Fact]
    public void EveryFieldReachesTheScanWithItsPath()
    {
        const string S = "sentinel";
        var schema = JsonDocument.Parse("""{"type":"object","properties":{"q":{"type":"string","description":"S-desc","enum":["S-enum"],"default":"S-default","examples":["S-example"]}}}""".Replace("S-", S + "-", StringComparison.Ordinal)).RootElement;
        var messages = new List<ChatMessage>
        {
            new(ChatRole.System, $"{S}-system"),
            new(ChatRole.User, [new TextContent($"{S}-part0"), new TextContent($"{S}-part1"), new DataContent(System.Text.Encoding.UTF8.GetBytes($"{S}-data"), "text/plain"), new UriContent(new Uri($"https://img.example/a.png?u={S}-url"), "image/png")]) { AuthorName = $"{S}-name" },
            new(ChatRole.Assistant, [new TextReasoningContent($"{S}-reasoning"), new FunctionCallContent("call-1", "lookup", new Dictionary<string, object?> { ["q"] = $"{S}-argument" })]),
            new(ChatRole.Tool, [new FunctionResultContent("call-1", $"{S}-result")]),
        };
        var options = new ChatOptions
        {
            Instructions = $"{S}-instructions",
            StopSequences = [$"{S}-stop"],
            AdditionalProperties = new() { ["user"] = $"{S}-user", ["switchyard.trace"] = "internal" },
            Tools = [AIFunctionFactory.CreateDeclaration("lookup", $"{S}-tool-description", schema)],
            ToolMode = ChatToolMode.RequireSpecific("lookup"),
            ResponseFormat = ChatResponseFormat.ForJsonSchema(schema, "answer", $"{S}-format-description"),
        };

        var texts = OutboundTexts.Collect(messages, options);
        var byText = texts.Where(t => t.Text.StartsWith(S, StringComparison.Ordinal)).GroupBy(t => t.Text[(S.Length + 1)..]).ToDictionary(g => g.Key, g => g.First().Path);

        Assert.Equal("instructions", byText["instructions"]);
        Assert.Equal("messages[0].content[0]", byText["system"]);
        Assert.Equal("messages[1].name", byText["name"]);
        Assert.Equal("messages[1].content[1]", byText["part1"]);
        Assert.Equal("messages[1].content[2].data", byText["data"]);
        Assert.Equal("messages[2].content[0].reasoning", byText["reasoning"]);
        Assert.Equal("messages[2].content[1].function.arguments.q", byText["argument"]);
        Assert.Equal("messages[3].content[0].result", byText["result"]);
        Assert.Equal("stop[0]", byText["stop"]);
        Assert.Equal("user", byText["user"]);
        Assert.Equal("tools[0].function.description", byText["tool-description"]);
        Assert.Equal("tools[0].function.parameters.properties.q.description", byText["desc"]);
        Assert.Equal("tools[0].function.parameters.properties.q.enum[0]", byText["enum"]);
        Assert.Equal("tools[0].function.parameters.properties.q.default", byText["default"]);
        Assert.Equal("tools[0].function.parameters.properties.q.examples[0]", byText["example"]);
        Assert.Equal("response_format.json_schema.description", byText["format-description"]);
        Assert.Contains(texts, t => t.Path == "response_format.json_schema.schema.properties.q.description");
        Assert.Contains(texts, t => t.Path == "messages[1].content[3].url" && t.Text.Contains($"{S}-url", StringComparison.Ordinal));
        Assert.Contains(texts, t => t.Path == "messages[1].content[3].url" && !t.Inspectable);
        Assert.DoesNotContain(texts, t => t.Text == "internal");
    }

    [Fact]
    public void BinaryDataAndUnknownContentAreUninspectable()
    {
        var messages = new List<ChatMessage>
        {
            new(ChatRole.User, [new DataContent(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, "image/png"), new HostedFileContent("file-1")]),
        };
        var texts = OutboundTexts.Collect(messages, null);
        Assert.Equal(2, texts.Count(t => !t.Inspectable));
    }

    private static bool CanHoldText(Type type)
    {
        Type t = Nullable.GetUnderlyingType(type) ?? type;
        if (t.IsPrimitive || t.IsEnum || t == typeof(decimal) || t == typeof(DateTimeOffset) || t == typeof(DateTime) || t == typeof(TimeSpan) || t == typeof(Type))
        {
            return false;
        }

        return t == typeof(string) || t == typeof(object) || t == typeof(JsonElement) || typeof(IEnumerable).IsAssignableFrom(t)
            || t == typeof(ReadOnlyMemory<byte>) || t.IsClass || t.IsInterface || t.IsAbstract || (t.IsValueType && !t.IsPrimitive);
    }
}
