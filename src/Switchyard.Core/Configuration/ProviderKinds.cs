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

    /// <summary>All known kinds.</summary>
    public static IReadOnlyList<string> All { get; } = [OpenAICompatible, OpenAI, Anthropic, Embedded];
}
