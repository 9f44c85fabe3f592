namespace Switchyard.Configuration;

/// <summary>The provider kinds Switchyard can talk to.</summary>
public static class ProviderKinds
{
    /// <summary>Any server speaking OpenAI's Chat Completions API (llama.cpp server, vLLM, Ollama, hosted compatibles).</summary>
    public const string OpenAICompatible = "openai-compatible";

    /// <summary>OpenAI's own API.</summary>
    public const string OpenAI = "openai";

    /// <summary>Anthropic's Messages API.</summary>
    public const string Anthropic = "anthropic";

    /// <summary>A GGUF model run in process by Switchyard's own engine (no server, no key).</summary>
    public const string Embedded = "embedded";

    /// <summary>In-process sentence embeddings (all-MiniLM-L6-v2, 384 dimensions, shipped with Switchyard): embedding models only.</summary>
    public const string MiniLm = "minilm";

    /// <summary>Every kind, for error messages.</summary>
    public static IReadOnlyList<string> All { get; } = [OpenAICompatible, OpenAI, Anthropic, Embedded, MiniLm];

    /// <summary>Whether a provider of <paramref name="kind"/> serves embedding models.</summary>
    public static bool ServesEmbeddings(string? kind) => kind?.Trim().ToLowerInvariant() is OpenAI or OpenAICompatible or MiniLm;
}
