using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Switchyard.Wire;

/// <summary>One tool call in OpenAI's wire shape, as both gateway responses and upstream requests carry it.</summary>
public static class OpenAIToolCall
{
    /// <summary>Writes <c>{"index"?, "id", "type":"function", "function":{"name","arguments"}}</c>.</summary>
    /// <param name="w">The writer.</param>
    /// <param name="call">The call.</param>
    /// <param name="index">The call's index within a streamed delta; null outside streams.</param>
    public static void Write(Utf8JsonWriter w, FunctionCallContent call, int? index = null)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(call);
        w.WriteStartObject();
        if (index is { } i)
        {
            w.WriteNumber("index", i);
        }

        w.WriteString("id", call.CallId);
        w.WriteString("type", "function");
        w.WriteStartObject("function");
        w.WriteString("name", call.Name);
        w.WriteString("arguments", ToolArguments.Serialize(call.Arguments));
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
