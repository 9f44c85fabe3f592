namespace Switchyard.Configuration;

/// <summary>The values of <see cref="ModelConfig.Kind"/>.</summary>
public static class ModelKinds
{
    /// <summary>A chat model: Chat Completions, Messages and Responses.</summary>
    public const string Chat = "chat";

    /// <summary>An embedding model: <c>/v1/embeddings</c>.</summary>
    public const string Embedding = "embedding";

    /// <summary>Every kind, for error messages.</summary>
    public static IReadOnlyList<string> All { get; } = [Chat, Embedding];

    /// <summary>Whether <paramref name="kind"/> names the embedding kind (case-insensitive, trimmed).</summary>
    public static bool IsEmbedding(string? kind) => string.Equals(kind?.Trim(), Embedding, StringComparison.OrdinalIgnoreCase);
}
