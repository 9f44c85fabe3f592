using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchyard.Wire;

namespace Switchyard.Gateway.OpenAI;

/// <summary>Writes Microsoft.Extensions.AI responses as OpenAI <c>chat.completion</c> objects.</summary>
public static class ChatCompletionWriter
{
    /// <summary>Writes a whole non-streamed response.</summary>
    public static void WriteCompletion(Utf8JsonWriter w, string id, long created, string model, ChatResponse response)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(response);
        w.WriteStartObject();
        w.WriteString("id", id);
        w.WriteString("object", "chat.completion");
        w.WriteNumber("created", created);
        w.WriteString("model", model);
        w.WriteStartArray("choices");
        w.WriteStartObject();
        w.WriteNumber("index", 0);
        w.WriteStartObject("message");
        w.WriteString("role", "assistant");

        string? text = null;
        var calls = new List<FunctionCallContent>();
        foreach (var message in response.Messages)
        {
            foreach (var content in message.Contents)
            {
                switch (content)
                {
                    case TextContent t:
                        text = text is null ? t.Text : text + t.Text;
                        break;
                    case FunctionCallContent f:
                        calls.Add(f);
                        break;
                }
            }
        }

        if (text is null)
        {
            w.WriteNull("content");
        }
        else
        {
            w.WriteString("content", text);
        }

        w.WriteNull("refusal");
        if (calls.Count > 0)
        {
            w.WriteStartArray("tool_calls");
            foreach (var call in calls)
            {
                OpenAIToolCall.Write(w, call);
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
        w.WriteString("finish_reason", FinishReason(response.FinishReason, calls.Count > 0));
        w.WriteNull("logprobs");
        w.WriteEndObject();
        w.WriteEndArray();
        WriteUsage(w, response.Usage);
        w.WriteEndObject();
    }

    /// <summary>Writes the <c>usage</c> property (null when unknown).</summary>
    public static void WriteUsage(Utf8JsonWriter w, UsageDetails? usage)
    {
        ArgumentNullException.ThrowIfNull(w);
        if (usage is null)
        {
            w.WriteNull("usage");
            return;
        }

        var input = usage.InputTokenCount ?? 0;
        var output = usage.OutputTokenCount ?? 0;
        w.WriteStartObject("usage");
        w.WriteNumber("prompt_tokens", input);
        w.WriteNumber("completion_tokens", output);
        w.WriteNumber("total_tokens", usage.TotalTokenCount ?? (input + output));
        w.WriteStartObject("prompt_tokens_details");
        w.WriteNumber("cached_tokens", usage.CachedInputTokenCount ?? 0);
        w.WriteEndObject();
        w.WriteStartObject("completion_tokens_details");
        w.WriteNumber("reasoning_tokens", usage.ReasoningTokenCount ?? 0);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>OpenAI's finish_reason for an MEAI finish reason.</summary>
    public static string FinishReason(ChatFinishReason? reason, bool hadToolCalls)
    {
        if (reason == ChatFinishReason.Length)
        {
            return "length";
        }

        if (reason == ChatFinishReason.ContentFilter)
        {
            return "content_filter";
        }

        return reason == ChatFinishReason.ToolCalls || hadToolCalls ? "tool_calls" : "stop";
    }
}
