namespace Switchyard.Testing;

/// <summary>The wire format a request arrived in.</summary>
internal enum UpstreamApi
{
    /// <summary>A path the fake does not serve; answered with a 404 in the OpenAI error format.</summary>
    Unknown,

    /// <summary>OpenAI Chat Completions (<c>POST /v1/chat/completions</c>).</summary>
    OpenAI,

    /// <summary>Anthropic Messages (<c>POST /v1/messages</c>).</summary>
    Anthropic,

    /// <summary>OpenAI embeddings (<c>POST /v1/embeddings</c>).</summary>
    OpenAIEmbeddings,

    /// <summary>Anthropic token counting (<c>POST /v1/messages/count_tokens</c>).</summary>
    AnthropicCountTokens,
}
