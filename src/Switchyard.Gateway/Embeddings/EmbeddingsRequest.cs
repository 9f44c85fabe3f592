namespace Switchyard.Gateway.Embeddings;

/// <summary>An OpenAI <c>POST /v1/embeddings</c> request.</summary>
/// <param name="Model">The requested embedding model or route.</param>
/// <param name="Inputs">The texts to embed, in order.</param>
/// <param name="Dimensions">The requested vector length, if any (models that cannot shorten refuse other lengths).</param>
/// <param name="Base64">Whether vectors are returned as base64 of little-endian float32 (<c>encoding_format: "base64"</c>).</param>
/// <param name="User">The caller's <c>user</c> identifier, if any.</param>
public sealed record EmbeddingsRequest(string Model, IReadOnlyList<string> Inputs, int? Dimensions, bool Base64, string? User);
