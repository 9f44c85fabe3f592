using Microsoft.Extensions.AI;

namespace Switchyard.Gateway.Anthropic;

/// <summary>An Anthropic Messages API request (<c>POST /v1/messages</c>), translated to Microsoft.Extensions.AI types.</summary>
/// <param name="Model">The requested model or route.</param>
/// <param name="Messages">The conversation; a <c>system</c> prompt becomes a leading <see cref="ChatRole.System"/> message.</param>
/// <param name="Options">Sampling, tools and limits (<see cref="ChatOptions.ModelId"/> is the requested name).</param>
/// <param name="Stream">Whether to stream server-sent events.</param>
/// <param name="UserId">The caller's <c>metadata.user_id</c>, if any.</param>
public sealed record MessagesRequest(string Model, IReadOnlyList<ChatMessage> Messages, ChatOptions Options, bool Stream, string? UserId);
