using System.Text.Json;

namespace Switchyard.Cli.BenchBackend;

/// <summary>Reads the message out of the error bodies OpenAI-compatible servers send, as one short line.</summary>
internal static class ServerError
{
    private const int MaxLength = 300;

    /// <summary>
    /// The message of an error body: OpenAI and llama.cpp <c>{"error":{"message"}}</c>, vLLM <c>{"message"}</c>,
    /// TGI and others <c>{"error":"..."}</c>, FastAPI <c>{"detail"}</c>; else the body's start.
    /// </summary>
    public static string Message(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return "(empty body)";
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                foreach (var name in new[] { "error", "message", "detail" })
                {
                    if (root.TryGetProperty(name, out var value) && MessageOf(value) is { } message)
                    {
                        return OneLine(message);
                    }
                }
            }
        }
        catch (JsonException)
        {
            // Not JSON: fall through to the raw text.
        }

        return OneLine(body);
    }

    /// <summary>A string value, or the <c>message</c> (else <c>detail</c>) of an object; null otherwise.</summary>
    public static string? MessageOf(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => OneLine(value.GetString()!),
        JsonValueKind.Object when value.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String => OneLine(message.GetString()!),
        JsonValueKind.Object when value.TryGetProperty("detail", out var detail) && detail.ValueKind == JsonValueKind.String => OneLine(detail.GetString()!),
        JsonValueKind.Object or JsonValueKind.Array => OneLine(value.GetRawText()),
        _ => null,
    };

    public static string OneLine(string text)
    {
        var line = string.Join(' ', text.Split(['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return line.Length <= MaxLength ? line : string.Concat(line.AsSpan(0, MaxLength), "…");
    }
}
