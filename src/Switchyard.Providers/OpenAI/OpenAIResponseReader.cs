using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchyard.Wire;

namespace Switchyard.Providers.OpenAI;

/// <summary>Reads Chat Completions responses (whole, or one streamed chunk) into Microsoft.Extensions.AI types.</summary>
internal static class OpenAIResponseReader
{
    /// <summary>Reads a whole <c>chat.completion</c>.</summary>
    /// <exception cref="JsonException">The body is not a chat completion.</exception>
    public static ChatResponse ReadCompletion(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("choices", out var choices) || choices.ValueKind != JsonValueKind.Array)
        {
            throw new JsonException("The upstream's response has no 'choices'.");
        }

        var message = new ChatMessage { Role = ChatRole.Assistant };
        ChatFinishReason? finish = null;
        if (choices.GetArrayLength() > 0)
        {
            var choice = choices[0];
            if (choice.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.Object)
            {
                if (m.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String)
                {
                    message.Contents.Add(new TextContent(content.GetString()));
                }

                if (m.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
                {
                    foreach (var call in calls.EnumerateArray())
                    {
                        var function = call.GetProperty("function");
                        message.Contents.Add(new FunctionCallContent(
                            StringOrEmpty(call, "id"),
                            StringOrEmpty(function, "name"),
                            ToolArguments.Parse(StringOrEmpty(function, "arguments"))));
                    }
                }
            }

            finish = FinishReason(choice);
        }

        return new ChatResponse(message)
        {
            ResponseId = root.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null,
            ModelId = root.TryGetProperty("model", out var model) && model.ValueKind == JsonValueKind.String ? model.GetString() : null,
            FinishReason = finish,
            Usage = root.TryGetProperty("usage", out var usage) ? ReadUsage(usage) : null,
        };
    }

    /// <summary>Reads the usage object (null when absent).</summary>
    public static UsageDetails? ReadUsage(JsonElement usage)
    {
        if (usage.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var details = new UsageDetails
        {
            InputTokenCount = Long(usage, "prompt_tokens"),
            OutputTokenCount = Long(usage, "completion_tokens"),
            TotalTokenCount = Long(usage, "total_tokens"),
        };
        if (usage.TryGetProperty("prompt_tokens_details", out var input) && input.ValueKind == JsonValueKind.Object)
        {
            details.CachedInputTokenCount = Long(input, "cached_tokens");
        }

        if (usage.TryGetProperty("completion_tokens_details", out var output) && output.ValueKind == JsonValueKind.Object)
        {
            details.ReasoningTokenCount = Long(output, "reasoning_tokens");
        }

        return details;
    }

    /// <summary>The choice's finish reason, if it has one.</summary>
    public static ChatFinishReason? FinishReason(JsonElement choice) =>
        choice.TryGetProperty("finish_reason", out var f) && f.ValueKind == JsonValueKind.String
            ? f.GetString() switch
            {
                "stop" => ChatFinishReason.Stop,
                "length" => ChatFinishReason.Length,
                "tool_calls" or "function_call" => ChatFinishReason.ToolCalls,
                "content_filter" => ChatFinishReason.ContentFilter,
                var other => new ChatFinishReason(other!),
            }
            : null;

    /// <summary>The upstream's error message from an OpenAI error body, if it is one.</summary>
    public static string? ErrorMessage(JsonElement root)
    {
        if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var error))
        {
            if (error.ValueKind == JsonValueKind.Object && error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String)
            {
                return m.GetString();
            }

            if (error.ValueKind == JsonValueKind.String)
            {
                return error.GetString();
            }
        }

        return null;
    }

    public static string StringOrEmpty(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() ?? "" : "";

    private static long? Long(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) ? n : null;
}
