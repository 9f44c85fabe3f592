using System.Globalization;
using System.Text;
using Microsoft.Extensions.AI;

namespace Switchyard.Wire;

/// <summary>What a provider kind does with a field a client sent.</summary>
public enum FieldHandling
{
    /// <summary>Sent upstream as the client wrote it.</summary>
    Passed,

    /// <summary>Sent upstream in the provider's own form (another name, place or shape), meaning kept.</summary>
    Translated,

    /// <summary>Not sent: the provider has no such field. The decision in the ledger names it.</summary>
    Dropped,

    /// <summary>The request is refused with a 400 naming the field.</summary>
    Refused,

    /// <summary>The provider kind cannot serve this endpoint.</summary>
    NotApplicable,
}

/// <summary>One inbound field and what each provider kind does with it.</summary>
/// <param name="Format">The inbound format: Chat Completions, Messages, Responses or Embeddings.</param>
/// <param name="Field">The field (several related fields share a row).</param>
/// <param name="OpenAI">OpenAI's own API.</param>
/// <param name="Compatible">OpenAI-compatible servers (vLLM, llama.cpp server, Ollama, TEI).</param>
/// <param name="Anthropic">Anthropic's Messages API.</param>
/// <param name="Embedded">The embedded GGUF engine (for Embeddings: the in-process minilm model).</param>
/// <param name="Note">How, or why not.</param>
/// <param name="Present">For fields a provider may drop: whether the request carries it (the decision then names it as dropped).</param>
public sealed record FieldRule(string Format, string Field, FieldHandling OpenAI, FieldHandling Compatible, FieldHandling Anthropic, FieldHandling Embedded, string Note, Func<IReadOnlyList<ChatMessage>, ChatOptions, bool>? Present = null)
{
    /// <summary>What <paramref name="providerKind"/> (a <c>Configuration.ProviderKinds</c> value) does with the field.</summary>
    public FieldHandling For(string providerKind) => providerKind switch
    {
        Configuration.ProviderKinds.OpenAI => OpenAI,
        Configuration.ProviderKinds.OpenAICompatible => Compatible,
        Configuration.ProviderKinds.Anthropic => Anthropic,
        Configuration.ProviderKinds.Embedded or Configuration.ProviderKinds.MiniLm => Embedded,
        _ => FieldHandling.NotApplicable,
    };
}

/// <summary>
/// The fidelity record: every field of each inbound format × each provider kind — passed, translated, dropped or
/// refused, and why. The same table decides which dropped fields a request's decision names
/// (<see cref="FieldDropChatClient"/>) and generates the README's table (<see cref="Markdown"/>), so neither can drift
/// from it; tests check that its rows match what the readers accept and what the upstreams receive.
/// </summary>
public static class FieldFidelity
{
    /// <summary>Key in <see cref="ChatOptions.AdditionalProperties"/> of the fields a reader accepted and ignores (a <see cref="List{T}"/> of names).</summary>
    public const string IgnoredKey = "switchyard.ignored_fields";

    private const FieldHandling P = FieldHandling.Passed;
    private const FieldHandling T = FieldHandling.Translated;
    private const FieldHandling D = FieldHandling.Dropped;
    private const FieldHandling R = FieldHandling.Refused;
    private const FieldHandling NA = FieldHandling.NotApplicable;

    /// <summary>The rows, in README order.</summary>
    public static IReadOnlyList<FieldRule> Rules { get; } =
    [
        new("Chat Completions", "model", T, T, T, T, "names a configured model or route; the serving model's upstream name is sent"),
        new("Chat Completions", "messages: system, developer, user, assistant, tool; text and image_url parts; tool_calls", P, P, T, T, "Anthropic: system blocks, tool_use/tool_result blocks; embedded: rendered with the model's own chat template"),
        new("Chat Completions", "stream, stream_options.include_usage", P, P, T, T, "every provider's stream is re-emitted as Chat Completions chunks, usage last"),
        new("Chat Completions", "max_tokens, max_completion_tokens", T, P, T, T, "OpenAI: max_completion_tokens; Anthropic: max_tokens (4096 when unset)"),
        new("Chat Completions", "temperature, top_p", P, P, P, P, ""),
        new("Chat Completions", "stop", P, P, T, P, "Anthropic: stop_sequences"),
        new("Chat Completions", "seed", P, P, D, P, "Anthropic has no seed", (_, o) => o.Seed is not null),
        new("Chat Completions", "frequency_penalty, presence_penalty", P, P, D, P, "Anthropic has no penalties", (_, o) => o.FrequencyPenalty is not null || o.PresencePenalty is not null),
        new("Chat Completions", "top_k", D, P, P, P, "OpenAI refuses it", (_, o) => o.TopK is not null),
        new("Chat Completions", "min_p, repetition_penalty", D, P, D, P, "llama.cpp/vLLM sampling fields", (_, o) => Has(o, "min_p") || Has(o, "repetition_penalty")),
        new("Chat Completions", "extra_body", D, P, D, D, "merged into the top level for OpenAI-compatible servers (e.g. vLLM guided_json); the request's own fields are refused inside it", (_, o) => ExtraBody.Of(o) is not null),
        new("Chat Completions", "user", P, P, D, D, "also the ledger's caller", (_, o) => Has(o, "user")),
        new("Chat Completions", "tools (function, strict), tool_choice, parallel_tool_calls", P, P, T, R, "Anthropic: tools with input_schema, tool_choice auto/any/tool/none, disable_parallel_tool_use; the embedded engine answers 400 (no tool calling)"),
        new("Chat Completions", "response_format: json_schema (strict)", P, P, T, D, "Anthropic: output_config (structured outputs) when the schema has properties; embedded: not constrained", (_, o) => o.ResponseFormat is ChatResponseFormatJson { Schema: not null }),
        new("Chat Completions", "response_format: json_object", P, P, D, D, "Anthropic has no JSON mode without a schema", (_, o) => o.ResponseFormat is ChatResponseFormatJson { Schema: null }),
        new("Chat Completions", "reasoning_effort", P, P, T, D, "Anthropic: output_config.effort with adaptive thinking (the SDK adapter's mapping)", (_, o) => o.Reasoning is not null),
        new("Chat Completions", "store, metadata, service_tier, safety_identifier, prompt_cache_key, prompt_cache_retention, verbosity", D, D, D, D, "accepted for compatibility, never forwarded", (_, o) => Has(o, IgnoredKey)),
        new("Chat Completions", "n (other than 1), logprobs: true, top_logprobs, logit_bias, audio, prediction, functions, function_call, web_search_options, modalities other than text", R, R, R, R, "400 unsupported_parameter naming the field"),

        new("Messages", "model", T, T, T, T, "names a configured model or route; the serving model's upstream name is sent"),
        new("Messages", "max_tokens (required)", T, T, P, T, "OpenAI: max_completion_tokens"),
        new("Messages", "system (string or text blocks)", T, T, P, T, "a system message"),
        new("Messages", "messages: text, image (base64, url), tool_use, tool_result (is_error)", T, T, P, T, "OpenAI-style: content parts, tool_calls and tool messages"),
        new("Messages", "thinking and redacted_thinking blocks in history", D, D, P, D, "sent back to Anthropic with their signatures untouched; no other provider accepts them", (m, _) => m.Any(x => x.Contents.Any(c => c is TextReasoningContent { ProtectedData: { Length: > 0 } }))),
        new("Messages", "cache_control (blocks, tools, top level)", D, D, P, D, "prompt caching is Anthropic's", (m, o) => AnthropicNative.AnyCacheControl(m) || AnthropicNative.Body(o)?.ContainsKey("cache_control") == true || AnthropicNative.Body(o)?.ContainsKey("tools") == true && o.Tools?.Count > 0 && ToolsCached(o)),
        new("Messages", "thinking", D, D, P, D, "extended thinking configuration", (_, o) => AnthropicNative.Body(o)?.ContainsKey("thinking") == true),
        new("Messages", "service_tier", D, D, P, D, "", (_, o) => AnthropicNative.Body(o)?.ContainsKey("service_tier") == true),
        new("Messages", "metadata.user_id", T, T, P, D, "OpenAI-style: user; also the ledger's caller", (_, o) => Has(o, "user")),
        new("Messages", "anthropic-beta header", D, D, P, D, "", (_, o) => AnthropicNative.Beta(o) is not null),
        new("Messages", "stop_sequences", T, T, P, P, "OpenAI-style: stop"),
        new("Messages", "temperature, top_p", P, P, P, P, ""),
        new("Messages", "top_k", D, P, P, P, "OpenAI refuses it", (_, o) => o.TopK is not null),
        new("Messages", "tools (custom, strict), tool_choice (auto, any, tool, none; disable_parallel_tool_use)", T, T, P, R, "OpenAI-style: function tools, tool_choice, parallel_tool_calls; the embedded engine answers 400"),
        new("Messages", "stream", T, T, P, T, "Anthropic's exact event sequence, whoever serves"),
        new("Messages", "citations on request text blocks", D, D, D, D, "accepted in history, not forwarded (not named in the decision)"),
        new("Messages", "mcp_servers, container, context_management, output_config, output_format, inference_geo; server tools; document, search_result and server-tool blocks", R, R, R, R, "400 naming the field: Switchyard cannot route them"),

        new("Responses", "model", T, T, T, T, "names a configured model or route"),
        new("Responses", "input: string, messages (input_text, input_image, output_text), function_call, function_call_output", T, T, T, T, "Chat Completions messages or Anthropic blocks"),
        new("Responses", "instructions", T, T, T, T, "a system message"),
        new("Responses", "reasoning items in input", D, D, D, D, "accepted, not forwarded: stateless, no encrypted reasoning is replayed (not named in the decision)"),
        new("Responses", "stream", T, T, T, T, "the typed event sequence, written by Switchyard"),
        new("Responses", "temperature, top_p", P, P, P, P, ""),
        new("Responses", "max_output_tokens", T, T, T, T, "max_completion_tokens / max_tokens"),
        new("Responses", "tools (function, strict), tool_choice, parallel_tool_calls", T, T, T, R, "the embedded engine answers 400"),
        new("Responses", "text.format: json_schema (strict)", T, T, T, D, "response_format / output_config when the schema has properties", (_, o) => o.ResponseFormat is ChatResponseFormatJson { Schema: not null }),
        new("Responses", "text.format: json_object", T, T, D, D, "response_format json_object; Anthropic has no JSON mode without a schema", (_, o) => o.ResponseFormat is ChatResponseFormatJson { Schema: null }),
        new("Responses", "reasoning.effort", T, T, T, D, "reasoning_effort / output_config.effort with adaptive thinking", (_, o) => o.Reasoning is not null),
        new("Responses", "user", T, T, D, D, "also the ledger's caller", (_, o) => Has(o, "user")),
        new("Responses", "metadata, truncation, store: false, service_tier, safety_identifier, prompt_cache_key, prompt_cache_retention", D, D, D, D, "accepted, never forwarded", (_, o) => Has(o, IgnoredKey)),
        new("Responses", "store: true, previous_response_id, background, conversation, prompt, include, top_logprobs, max_tool_calls; built-in tools and items", R, R, R, R, "400 naming the field: Switchyard's Responses API is stateless"),

        new("Embeddings", "model", T, T, NA, T, "an embedding model or route (Kind embedding); embedded column: the in-process minilm model"),
        new("Embeddings", "input: a string or an array of strings", P, P, NA, P, "token-id arrays are refused (the serving model's tokenizer is unknown before routing)"),
        new("Embeddings", "dimensions", P, P, NA, R, "minilm: 400 unless 384"),
        new("Embeddings", "encoding_format: float, base64", T, T, NA, T, "the gateway asks for floats and encodes as the client asked"),
        new("Embeddings", "user", D, D, NA, D, "the ledger's caller only (not named in the decision)"),
    ];

    /// <summary>The rules of the request's inbound format whose field <paramref name="providerKind"/> drops and the request carries.</summary>
    public static IEnumerable<FieldRule> DroppedBy(string providerKind, IReadOnlyList<ChatMessage> messages, ChatOptions options)
    {
        ArgumentNullException.ThrowIfNull(messages);
        ArgumentNullException.ThrowIfNull(options);
        var format = options.AdditionalProperties?.TryGetValue(FormatKey, out var f) == true ? f as string : null;
        foreach (var rule in Rules)
        {
            if (rule.Format == format && rule.Present is { } present && rule.For(providerKind) == FieldHandling.Dropped && present(messages, options))
            {
                yield return rule;
            }
        }
    }

    /// <summary>Key in <see cref="ChatOptions.AdditionalProperties"/> naming the inbound format of the request (a <see cref="FieldRule.Format"/> value).</summary>
    public const string FormatKey = "switchyard.format";

    /// <summary>Notes that the request carried <paramref name="field"/>, which the reader accepted and ignores (the decision names it as dropped).</summary>
    public static void NoteIgnored(ChatOptions options, string field)
    {
        ArgumentNullException.ThrowIfNull(options);
        var properties = options.AdditionalProperties ??= [];
        if (properties.TryGetValue(IgnoredKey, out var list) && list is List<string> names)
        {
            names.Add(field);
        }
        else
        {
            properties[IgnoredKey] = new List<string> { field };
        }
    }

    /// <summary>The table as Markdown, one section per format, for the README.</summary>
    public static string Markdown()
    {
        var md = new StringBuilder();
        foreach (var group in Rules.GroupBy(r => r.Format))
        {
            md.Append(CultureInfo.InvariantCulture, $"**{group.Key}**\n\n");
            md.Append(group.Key == "Embeddings"
                ? "| field | openai | openai-compatible | anthropic | minilm | how / why |\n"
                : "| field | openai | openai-compatible | anthropic | embedded | how / why |\n");
            md.Append("| --- | --- | --- | --- | --- | --- |\n");
            foreach (var r in group)
            {
                md.Append(CultureInfo.InvariantCulture, $"| {r.Field} | {Word(r.OpenAI)} | {Word(r.Compatible)} | {Word(r.Anthropic)} | {Word(r.Embedded)} | {r.Note} |\n");
            }

            md.Append('\n');
        }

        return md.ToString().TrimEnd() + "\n";
    }

    private static string Word(FieldHandling handling) => handling switch
    {
        FieldHandling.Passed => "passed",
        FieldHandling.Translated => "translated",
        FieldHandling.Dropped => "**dropped**",
        FieldHandling.Refused => "refused",
        _ => "—",
    };

    private static bool Has(ChatOptions options, string key) => options.AdditionalProperties?.ContainsKey(key) == true;

    private static bool ToolsCached(ChatOptions options) =>
        AnthropicNative.Body(options)?["tools"] is System.Text.Json.JsonElement { ValueKind: System.Text.Json.JsonValueKind.Array } tools
        && tools.EnumerateArray().Any(t => t.ValueKind == System.Text.Json.JsonValueKind.Object && t.TryGetProperty("cache_control", out var c) && c.ValueKind != System.Text.Json.JsonValueKind.Null);
}
