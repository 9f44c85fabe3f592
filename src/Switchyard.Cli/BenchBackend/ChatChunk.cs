using System.Text.Json;

namespace Switchyard.Cli.BenchBackend;

/// <summary>What the benchmark needs from one <c>chat.completion.chunk</c> event.</summary>
/// <param name="HasOutput">A choice's delta carried content, reasoning (<c>reasoning_content</c> or <c>reasoning</c>) or tool calls.</param>
/// <param name="Finished">A choice had a <c>finish_reason</c>.</param>
/// <param name="CompletionTokens"><c>usage.completion_tokens</c>, when present.</param>
/// <param name="PromptTokens"><c>usage.prompt_tokens</c>, when present.</param>
/// <param name="Error">The message of an <c>error</c> event, when the server reported one in the stream.</param>
internal readonly record struct ChatChunk(bool HasOutput, bool Finished, int? CompletionTokens, int? PromptTokens, string? Error)
{
    /// <exception cref="JsonException">The event is not JSON.</exception>
    public static ChatChunk Parse(string data)
    {
        using var document = JsonDocument.Parse(data);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("The event is not a JSON object.");
        }

        if (root.TryGetProperty("error", out var error) && error.ValueKind is not JsonValueKind.Null)
        {
            return new ChatChunk(false, false, null, null, ServerError.MessageOf(error) ?? "error event");
        }

        var hasOutput = false;
        var finished = false;
        if (root.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array)
        {
            foreach (var choice in choices.EnumerateArray())
            {
                if (choice.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                if (choice.TryGetProperty("delta", out var delta) && delta.ValueKind == JsonValueKind.Object)
                {
                    hasOutput |= NonEmptyString(delta, "content") || NonEmptyString(delta, "reasoning_content") || NonEmptyString(delta, "reasoning")
                        || (delta.TryGetProperty("tool_calls", out var tools) && tools.ValueKind == JsonValueKind.Array && tools.GetArrayLength() > 0);
                }

                hasOutput |= NonEmptyString(choice, "text");
                finished |= choice.TryGetProperty("finish_reason", out var reason) && reason.ValueKind == JsonValueKind.String;
            }
        }

        int? completion = null;
        int? prompt = null;
        if (root.TryGetProperty("usage", out var usage) && usage.ValueKind == JsonValueKind.Object)
        {
            completion = Int(usage, "completion_tokens");
            prompt = Int(usage, "prompt_tokens");
        }

        return new ChatChunk(hasOutput, finished, completion, prompt, null);
    }

    private static bool NonEmptyString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString()!.Length > 0;

    private static int? Int(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) ? n : null;
}
