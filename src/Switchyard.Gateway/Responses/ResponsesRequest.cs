using Microsoft.Extensions.AI;

namespace Switchyard.Gateway.Responses;

/// <summary>An OpenAI Responses API request (<c>POST /v1/responses</c>, stateless subset), translated to Microsoft.Extensions.AI types.</summary>
/// <param name="Model">The requested model or route.</param>
/// <param name="Messages">The conversation; <c>instructions</c> become a leading <see cref="ChatRole.System"/> message.</param>
/// <param name="Options">Sampling, tools, output format and limits (<see cref="ChatOptions.ModelId"/> is the requested name).</param>
/// <param name="Stream">Whether to stream server-sent events.</param>
/// <param name="User">The caller's <c>user</c> identifier, if any.</param>
public sealed record ResponsesRequest(string Model, IReadOnlyList<ChatMessage> Messages, ChatOptions Options, bool Stream, string? User);
