using System.Text.Json;

namespace Switchyard.Wire;

/// <summary>
/// An Anthropic upstream's own <c>POST /v1/messages/count_tokens</c>, for forwarding a client's count request as it
/// wrote it. Found through <c>IChatClient.GetService</c> on an Anthropic candidate's client.
/// </summary>
public interface IAnthropicTokenCounter
{
    /// <summary>
    /// The upstream's count for <paramref name="body"/> (a Messages count_tokens body; its <c>model</c> is replaced by
    /// the upstream model's name). Throws <c>Routing.ProviderException</c> when the upstream fails and
    /// <c>Privacy.Egress.PrivacyEgressException</c> when the privacy policy keeps the body from the upstream's zone.
    /// </summary>
    Task<long> CountTokensAsync(JsonElement body, string? beta, CancellationToken cancellationToken);
}
