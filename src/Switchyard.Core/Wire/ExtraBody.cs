using System.Text.Json;
using Microsoft.Extensions.AI;

namespace Switchyard.Wire;

/// <summary>
/// Chat Completions' <c>extra_body</c>: fields for the serving engine that the OpenAI API does not define (vLLM's
/// <c>guided_json</c> or <c>chat_template_kwargs</c>, llama.cpp's <c>grammar</c>, …). Merged into the top level of the
/// request to OpenAI-compatible upstreams; dropped for OpenAI, Anthropic and the embedded engine (the decision says so).
/// </summary>
public static class ExtraBody
{
    /// <summary>Key in <see cref="ChatOptions.AdditionalProperties"/>: a <see cref="Dictionary{TKey, TValue}"/> of field name to <see cref="JsonElement"/> (scanned by the privacy guard like any field).</summary>
    public const string Key = "extra_body";

    /// <summary>
    /// Fields <c>extra_body</c> may not set: the request's own fields, which the gateway writes from the translated
    /// request (a second value would make the upstream's reading ambiguous).
    /// </summary>
    public static IReadOnlySet<string> Reserved { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "model", "messages", "stream", "stream_options", "temperature", "top_p", "top_k", "min_p", "repetition_penalty",
        "frequency_penalty", "presence_penalty", "max_tokens", "max_completion_tokens", "stop", "seed", "user", "tools",
        "tool_choice", "parallel_tool_calls", "response_format", "reasoning_effort", "n",
    };

    /// <summary>The fields, if the request has any.</summary>
    public static IReadOnlyDictionary<string, object?>? Of(ChatOptions? options) =>
        options?.AdditionalProperties?.TryGetValue(Key, out var value) == true ? value as IReadOnlyDictionary<string, object?> : null;
}
