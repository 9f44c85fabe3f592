using Microsoft.Extensions.AI;

namespace Switchyard.Routing;

/// <summary>
/// A model that can count a conversation's prompt tokens exactly, as it would feed them (template and special tokens
/// included). Found through <see cref="IChatClient.GetService"/> on a candidate's client.
/// </summary>
public interface IPromptTokenCounter
{
    /// <summary>The prompt tokens <paramref name="messages"/> become for this model.</summary>
    int CountPromptTokens(IEnumerable<ChatMessage> messages);
}
