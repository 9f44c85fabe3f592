using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Switchyard.Evaluation;

/// <summary>
/// Reads and writes conversations as OpenAI-style message arrays (<c>[{"role":"user","content":"…"}]</c>), text only,
/// for task files and outcome files.
/// </summary>
internal static class EvalMessageJson
{
    /// <summary>Reads a <c>messages</c> array: roles <c>system</c>, <c>user</c>, <c>assistant</c>; content a string or an array of text parts.</summary>
    public static bool TryRead(JsonElement messages, [NotNullWhen(true)] out IReadOnlyList<ChatMessage>? result, [NotNullWhen(false)] out string? error)
    {
        result = null;
        if (messages.ValueKind != JsonValueKind.Array)
        {
            error = "'messages' must be an array of {\"role\", \"content\"} objects";
            return false;
        }

        var list = new List<ChatMessage>();
        var index = 0;
        foreach (var message in messages.EnumerateArray())
        {
            if (message.ValueKind != JsonValueKind.Object)
            {
                error = $"messages[{index}] must be an object with \"role\" and \"content\"";
                return false;
            }

            if (!message.TryGetProperty("role", out var roleElement) || roleElement.ValueKind != JsonValueKind.String)
            {
                error = $"messages[{index}] has no \"role\" string";
                return false;
            }

            ChatRole role;
            switch (roleElement.GetString())
            {
                case "system":
                    role = ChatRole.System;
                    break;
                case "user":
                    role = ChatRole.User;
                    break;
                case "assistant":
                    role = ChatRole.Assistant;
                    break;
                default:
                    error = $"messages[{index}].role is '{roleElement.GetString()}'; expected system, user or assistant";
                    return false;
            }

            if (!message.TryGetProperty("content", out var content) || !TryReadContent(content, out var text))
            {
                error = $"messages[{index}].content must be a string or an array of text parts";
                return false;
            }

            list.Add(new ChatMessage(role, text));
            index++;
        }

        if (list.Count == 0)
        {
            error = "'messages' is empty";
            return false;
        }

        result = list;
        error = null;
        return true;
    }

    /// <summary>Writes the conversation as a <c>messages</c> array of role and text content.</summary>
    public static void Write(Utf8JsonWriter writer, IReadOnlyList<ChatMessage> messages)
    {
        writer.WriteStartArray();
        foreach (var message in messages)
        {
            writer.WriteStartObject();
            writer.WriteString("role", message.Role.Value);
            writer.WriteString("content", message.Text);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    /// <summary>Whether two conversations have the same roles and texts.</summary>
    public static bool SameConversation(IReadOnlyList<ChatMessage> a, IReadOnlyList<ChatMessage> b) =>
        a.Count == b.Count && a.Zip(b).All(p => p.First.Role == p.Second.Role && string.Equals(p.First.Text, p.Second.Text, StringComparison.Ordinal));

    private static bool TryReadContent(JsonElement content, [NotNullWhen(true)] out string? text)
    {
        switch (content.ValueKind)
        {
            case JsonValueKind.String:
                text = content.GetString()!;
                return true;
            case JsonValueKind.Array:
                var builder = new StringBuilder();
                foreach (var part in content.EnumerateArray())
                {
                    if (part.ValueKind != JsonValueKind.Object
                        || !part.TryGetProperty("type", out var type) || !type.ValueEquals("text")
                        || !part.TryGetProperty("text", out var partText) || partText.ValueKind != JsonValueKind.String)
                    {
                        text = null;
                        return false;
                    }

                    builder.Append(partText.GetString());
                }

                text = builder.ToString();
                return true;
            default:
                text = null;
                return false;
        }
    }
}
