using Microsoft.Extensions.AI;

namespace Switchyard.Gateway.OpenAI;

/// <summary>An OpenAI chat completion request, translated to Microsoft.Extensions.AI types.</summary>
/// <param name="Model">The requested model or route.</param>
/// <param name="Messages">The conversation.</param>
/// <param name="Options">Sampling, tools and format options (<see cref="ChatOptions.ModelId"/> is the requested name).</param>
/// <param name="Stream">Whether to stream server-sent events.</param>
/// <param name="IncludeUsage">Whether a streamed response ends with a usage chunk.</param>
/// <param name="User">The end-user id the caller supplied, if any.</param>
public sealed record ChatCompletionRequest(string Model, IReadOnlyList<ChatMessage> Messages, ChatOptions Options, bool Stream, bool IncludeUsage, string? User);
