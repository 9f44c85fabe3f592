using Microsoft.Extensions.AI;

namespace Switchyard.Embedding;

/// <summary>How an embedding request is expressed as a chat request, and read back by the provider adapters.</summary>
public static class EmbeddingRequest
{
    /// <summary>Key in <see cref="ChatOptions.AdditionalProperties"/> of the requested output dimensions (an <see cref="int"/>).</summary>
    public const string DimensionsKey = "switchyard.embedding.dimensions";

    /// <summary>The inputs: the text of each message, in order.</summary>
    public static IReadOnlyList<string> Inputs(IEnumerable<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        return [.. messages.Select(m => m.Text)];
    }

    /// <summary>The messages that carry <paramref name="inputs"/>: one user message each.</summary>
    public static List<ChatMessage> Messages(IEnumerable<string> inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        return [.. inputs.Select(text => new ChatMessage(ChatRole.User, text))];
    }

    /// <summary>The requested dimensions, if any.</summary>
    public static int? Dimensions(ChatOptions? options) =>
        options?.AdditionalProperties?.TryGetValue(DimensionsKey, out var value) == true && value is int d ? d : null;
}
