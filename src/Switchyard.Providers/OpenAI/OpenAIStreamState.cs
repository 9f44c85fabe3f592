using System.Text;
using System.Text.Json;
using Microsoft.Extensions.AI;
using Switchyard.Routing;
using Switchyard.Wire;

namespace Switchyard.Providers.OpenAI;

/// <summary>
/// Turns streamed <c>chat.completion.chunk</c> events into updates: text deltas pass through at once; tool-call
/// fragments are assembled per index and emitted whole when the choice finishes; usage becomes a
/// <see cref="UsageContent"/>.
/// </summary>
internal sealed class OpenAIStreamState
{
    private readonly SortedDictionary<int, (string Id, string Name, StringBuilder Arguments)> _calls = [];
    private string? _responseId;
    private string? _model;

    /// <summary>Whether the upstream said which reason the choice finished for.</summary>
    public bool Finished { get; private set; }

    /// <summary>Reads one event's JSON; returns the update to yield, or null when there is nothing to pass on yet.</summary>
    public ChatResponseUpdate? Read(JsonElement chunk)
    {
        if (ChunkError(chunk) is { } error)
        {
            throw new ProviderException(ProviderFailureKind.ServerError, "The upstream failed mid-stream: " + error);
        }

        _responseId ??= chunk.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String ? id.GetString() : null;
        _model ??= chunk.TryGetProperty("model", out var model) && model.ValueKind == JsonValueKind.String ? model.GetString() : null;
        var update = new ChatResponseUpdate { Role = ChatRole.Assistant, ResponseId = _responseId, ModelId = _model };

        if (chunk.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array && choices.GetArrayLength() > 0)
        {
            var choice = choices[0];
            if (choice.TryGetProperty("delta", out var delta) && delta.ValueKind == JsonValueKind.Object)
            {
                if (delta.TryGetProperty("content", out var content) && content.ValueKind == JsonValueKind.String && content.GetString() is { Length: > 0 } text)
                {
                    update.Contents.Add(new TextContent(text));
                }

                if (delta.TryGetProperty("tool_calls", out var calls) && calls.ValueKind == JsonValueKind.Array)
                {
                    foreach (var call in calls.EnumerateArray())
                    {
                        Accumulate(call);
                    }
                }
            }

            if (OpenAIResponseReader.FinishReason(choice) is { } finish)
            {
                update.FinishReason = finish;
                Finished = true;
                FlushCalls(update);
            }
        }

        if (chunk.TryGetProperty("usage", out var usage) && OpenAIResponseReader.ReadUsage(usage) is { } details)
        {
            update.Contents.Add(new UsageContent(details));
        }

        return update.Contents.Count > 0 || update.FinishReason is not null ? update : null;
    }

    /// <summary>Emits tool calls still being assembled when the stream ends without a finish reason.</summary>
    public ChatResponseUpdate? Complete()
    {
        if (_calls.Count == 0)
        {
            return null;
        }

        var update = new ChatResponseUpdate { Role = ChatRole.Assistant, ResponseId = _responseId, ModelId = _model };
        FlushCalls(update);
        return update;
    }

    private void Accumulate(JsonElement call)
    {
        var index = call.TryGetProperty("index", out var i) && i.TryGetInt32(out var n) ? n : _calls.Count;
        var current = _calls.TryGetValue(index, out var existing) ? existing : ("", "", new StringBuilder());
        if (call.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String)
        {
            current.Item1 = id.GetString()!;
        }

        if (call.TryGetProperty("function", out var function) && function.ValueKind == JsonValueKind.Object)
        {
            if (function.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String)
            {
                current.Item2 += name.GetString();
            }

            if (function.TryGetProperty("arguments", out var args) && args.ValueKind == JsonValueKind.String)
            {
                current.Item3.Append(args.GetString());
            }
        }

        _calls[index] = current;
    }

    private void FlushCalls(ChatResponseUpdate update)
    {
        foreach (var (_, (id, name, arguments)) in _calls)
        {
            update.Contents.Add(new FunctionCallContent(id, name, ToolArguments.Parse(arguments.ToString())));
        }

        _calls.Clear();
    }

    private static string? ChunkError(JsonElement chunk)
    {
        if (chunk.ValueKind != JsonValueKind.Object || !chunk.TryGetProperty("error", out _))
        {
            return null;
        }

        return OpenAIResponseReader.ErrorMessage(chunk) ?? "error event";
    }
}
