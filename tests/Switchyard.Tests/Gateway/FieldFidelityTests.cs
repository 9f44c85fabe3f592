using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Switchyard.Configuration;
using Switchyard.Tests.Infrastructure;
using Switchyard.Wire;

namespace Switchyard.Tests.Gateway;

/// <summary>
/// The fidelity table (<see cref="FieldFidelity.Rules"/>) against the code, through the real gateway: every row of Chat
/// Completions, Messages and Responses has a sample here (a new row without one fails); accepted rows are accepted,
/// refused rows are a 400 naming the field; rows a provider kind drops are named under <c>dropped</c> in the ledger's
/// decision and never reach that kind's upstream, rows it passes or translates are not named; <c>extra_body</c> reaches
/// OpenAI-compatible servers only; the README's table is <see cref="FieldFidelity.Markdown"/>.
/// </summary>
public sealed class FieldFidelityTests : GatewayTestBase
{
    private const string ChatFormat = "Chat Completions";
    private const string MessagesFormat = "Messages";
    private const string ResponsesFormat = "Responses";

    private static readonly string[] Formats = [ChatFormat, MessagesFormat, ResponsesFormat];

    /// <summary>The model of each provider kind in <see cref="TestGateway.DefaultOptions"/>.</summary>
    private static readonly Dictionary<string, string> ModelOfKind = new(StringComparer.Ordinal)
    {
        [ProviderKinds.OpenAI] = "backup",
        [ProviderKinds.OpenAICompatible] = "local",
        [ProviderKinds.Anthropic] = "claude",
    };

    /// <summary>
    /// One request carrying a row's field(s).
    /// </summary>
    /// <param name="Label">Which of the row's fields (a comma- or semicolon-separated part of <see cref="FieldRule.Field"/>) it carries.</param>
    /// <param name="Fields">Top-level fields (a JSON object) set over the format's minimal request; may replace <c>messages</c> or <c>input</c>.</param>
    /// <param name="Names">
    /// The field's JSON names: when the row is dropped, no property of the upstream body may have one of them; when the
    /// row is refused, the 400 must name the first (as <c>error.param</c> or in the message).
    /// </param>
    /// <param name="Marker">A value only the field carries: a dropped field's marker must not appear in the upstream body.</param>
    /// <param name="Beta">An <c>anthropic-beta</c> header to send (dropped: no upstream request may carry it).</param>
    private sealed record Sample(string Label, string Fields, string[] Names, string? Marker = null, string? Beta = null);

    private static Sample S(string label, string fields, params string[] names) => new(label, fields, names);

    private const string Signature = "EqQBCgIYAhIM1gbcDa9GJwZA2b3hGgxYo5=";
    private const string RedactedData = "EmwKAhgBEgy3va3pzix/LafPsn4aDFIT2Xlxh0L5L8rLVyIwxtE3rAFBa8cr3qpP";
    private const string Caller = "caller-7f3a";
    private const string Schema = """{"type":"object","properties":{"answer":{"type":"string"}},"required":["answer"],"additionalProperties":false}""";

    /// <summary>Samples keyed by format and the rule's <see cref="FieldRule.Field"/> text.</summary>
    private static readonly Dictionary<(string Format, string Field), Sample[]> Samples = new()
    {
        // Chat Completions
        [(ChatFormat, "model")] = [S("model", "{}", "model")],
        [(ChatFormat, "messages: system, developer, user, assistant, tool; text and image_url parts; tool_calls")] =
        [
            S("messages", """
                {"messages":[
                  {"role":"system","content":"Be brief."},
                  {"role":"developer","content":"Answer in English."},
                  {"role":"user","content":[{"type":"text","text":"Where is order 7?"},{"type":"image_url","image_url":{"url":"https://example.com/order.png"}}]},
                  {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"lookup","arguments":"{\"id\":\"7\"}"}}]},
                  {"role":"tool","tool_call_id":"call_1","content":"shipped"},
                  {"role":"user","content":"And order 8?"}]}
                """, "messages"),
        ],
        [(ChatFormat, "stream, stream_options.include_usage")] = [S("stream", """{"stream":true,"stream_options":{"include_usage":true}}""", "stream")],
        [(ChatFormat, "max_tokens, max_completion_tokens")] = [S("max_tokens", """{"max_tokens":64}""", "max_tokens"), S("max_completion_tokens", """{"max_completion_tokens":64}""", "max_completion_tokens")],
        [(ChatFormat, "temperature, top_p")] = [S("temperature, top_p", """{"temperature":0.5,"top_p":0.9}""", "temperature", "top_p")],
        [(ChatFormat, "stop")] = [S("stop", """{"stop":["END"]}""", "stop")],
        [(ChatFormat, "seed")] = [S("seed", """{"seed":42}""", "seed")],
        [(ChatFormat, "frequency_penalty, presence_penalty")] = [S("frequency_penalty", """{"frequency_penalty":0.5}""", "frequency_penalty"), S("presence_penalty", """{"presence_penalty":0.5}""", "presence_penalty")],
        [(ChatFormat, "top_k")] = [S("top_k", """{"top_k":20}""", "top_k")],
        [(ChatFormat, "min_p, repetition_penalty")] = [S("min_p", """{"min_p":0.05}""", "min_p"), S("repetition_penalty", """{"repetition_penalty":1.1}""", "repetition_penalty")],
        [(ChatFormat, "extra_body")] = [S("extra_body", """{"extra_body":{"guided_json":{"type":"object"},"chat_template_kwargs":{"enable_thinking":false}}}""", "extra_body", "guided_json", "chat_template_kwargs")],
        [(ChatFormat, "user")] = [new("user", $$"""{"user":"{{Caller}}"}""", ["user", "user_id"], Caller)],
        [(ChatFormat, "tools (function, strict), tool_choice, parallel_tool_calls")] =
        [
            S("tools", """{"tools":[{"type":"function","function":{"name":"lookup","description":"Find an order","parameters":{"type":"object","properties":{"id":{"type":"string"}},"required":["id"],"additionalProperties":false},"strict":true}}],"tool_choice":"auto","parallel_tool_calls":false}""", "tools"),
            S("tool_choice", """{"tools":[{"type":"function","function":{"name":"lookup","parameters":{"type":"object"}}}],"tool_choice":{"type":"function","function":{"name":"lookup"}}}""", "tool_choice"),
        ],
        [(ChatFormat, "response_format: json_schema (strict)")] =
            [S("response_format: json_schema (strict)", $$$"""{"response_format":{"type":"json_schema","json_schema":{"name":"answer","schema":{{{Schema}}},"strict":true} } }""", "response_format")],
        [(ChatFormat, "response_format: json_object")] = [S("response_format: json_object", """{"response_format":{"type":"json_object"}}""", "response_format")],
        [(ChatFormat, "reasoning_effort")] = [S("reasoning_effort", """{"reasoning_effort":"low"}""", "reasoning_effort")],
        [(ChatFormat, "store, metadata, service_tier, safety_identifier, prompt_cache_key, prompt_cache_retention, verbosity")] =
        [
            S("store", """{"store":false}""", "store"),
            S("metadata", """{"metadata":{"team":"support"}}""", "metadata"),
            S("service_tier", """{"service_tier":"auto"}""", "service_tier"),
            S("safety_identifier", """{"safety_identifier":"sid-1"}""", "safety_identifier"),
            S("prompt_cache_key", """{"prompt_cache_key":"pck-1"}""", "prompt_cache_key"),
            S("prompt_cache_retention", """{"prompt_cache_retention":"24h"}""", "prompt_cache_retention"),
            S("verbosity", """{"verbosity":"low"}""", "verbosity"),
        ],
        [(ChatFormat, "n (other than 1), logprobs: true, top_logprobs, logit_bias, audio, prediction, functions, function_call, web_search_options, modalities other than text")] =
        [
            S("n (other than 1)", """{"n":2}""", "n"),
            S("logprobs: true", """{"logprobs":true}""", "logprobs"),
            S("top_logprobs", """{"top_logprobs":2}""", "top_logprobs"),
            S("logit_bias", """{"logit_bias":{"50256":-100}}""", "logit_bias"),
            S("audio", """{"audio":{"voice":"alloy","format":"wav"}}""", "audio"),
            S("prediction", """{"prediction":{"type":"content","content":"x"}}""", "prediction"),
            S("functions", """{"functions":[{"name":"lookup","parameters":{"type":"object"}}]}""", "functions"),
            S("function_call", """{"function_call":"auto"}""", "function_call"),
            S("web_search_options", """{"web_search_options":{}}""", "web_search_options"),
            S("modalities other than text", """{"modalities":["text","audio"]}""", "modalities"),
        ],

        // Messages
        [(MessagesFormat, "model")] = [S("model", "{}", "model")],
        [(MessagesFormat, "max_tokens (required)")] = [S("max_tokens (required)", """{"max_tokens":100}""", "max_tokens")],
        [(MessagesFormat, "system (string or text blocks)")] =
        [
            S("system", """{"system":"Be brief."}""", "system"),
            S("system", """{"system":[{"type":"text","text":"Be brief."},{"type":"text","text":"Answer in English."}]}""", "system"),
        ],
        [(MessagesFormat, "messages: text, image (base64, url), tool_use, tool_result (is_error)")] =
        [
            S("messages", """
                {"messages":[
                  {"role":"user","content":[{"type":"text","text":"Where is order 7?"},
                    {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},
                    {"type":"image","source":{"type":"url","url":"https://example.com/order.png"}}]},
                  {"role":"assistant","content":[{"type":"text","text":"Looking."},{"type":"tool_use","id":"toolu_01","name":"lookup","input":{"id":"7"}}]},
                  {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_01","content":"not found","is_error":true},{"type":"text","text":"Try again."}]}]}
                """, "messages"),
        ],
        [(MessagesFormat, "thinking and redacted_thinking blocks in history")] =
        [
            new("thinking and redacted_thinking blocks in history", $$"""
                {"messages":[
                  {"role":"user","content":"Where is order 7?"},
                  {"role":"assistant","content":[{"type":"thinking","thinking":"I should look it up.","signature":"{{Signature}}"},{"type":"text","text":"Checking."}]},
                  {"role":"user","content":"Thanks."}]}
                """, ["signature", "thinking"], Signature),
            new("thinking and redacted_thinking blocks in history", $$"""
                {"messages":[
                  {"role":"user","content":"Where is order 7?"},
                  {"role":"assistant","content":[{"type":"redacted_thinking","data":"{{RedactedData}}"},{"type":"text","text":"Checking."}]},
                  {"role":"user","content":"Thanks."}]}
                """, ["data"], RedactedData),
        ],
        [(MessagesFormat, "cache_control (blocks, tools, top level)")] =
        [
            S("cache_control (blocks, tools, top level)", """{"messages":[{"role":"user","content":[{"type":"text","text":"hi","cache_control":{"type":"ephemeral"}}]}]}""", "cache_control"),
            S("cache_control (blocks, tools, top level)", """{"tools":[{"name":"lookup","input_schema":{"type":"object"},"cache_control":{"type":"ephemeral"}}]}""", "cache_control"),
            S("cache_control (blocks, tools, top level)", """{"cache_control":{"type":"ephemeral"}}""", "cache_control"),
        ],
        [(MessagesFormat, "thinking")] = [S("thinking", """{"max_tokens":2048,"thinking":{"type":"enabled","budget_tokens":1024}}""", "thinking", "budget_tokens")],
        [(MessagesFormat, "service_tier")] = [S("service_tier", """{"service_tier":"standard_only"}""", "service_tier")],
        [(MessagesFormat, "metadata.user_id")] = [new("metadata.user_id", $$$"""{"metadata":{"user_id":"{{{Caller}}}"}}""", ["metadata", "user_id", "user"], Caller)],
        [(MessagesFormat, "anthropic-beta header")] = [new("anthropic-beta header", "{}", [], Beta: "interleaved-thinking-2025-05-14")],
        [(MessagesFormat, "stop_sequences")] = [S("stop_sequences", """{"stop_sequences":["END"]}""", "stop_sequences")],
        [(MessagesFormat, "temperature, top_p")] = [S("temperature, top_p", """{"temperature":0.5,"top_p":0.9}""", "temperature", "top_p")],
        [(MessagesFormat, "top_k")] = [S("top_k", """{"top_k":20}""", "top_k")],
        [(MessagesFormat, "tools (custom, strict), tool_choice (auto, any, tool, none; disable_parallel_tool_use)")] =
        [
            S("tools", """{"tools":[{"type":"custom","name":"lookup","description":"Find an order","input_schema":{"type":"object","properties":{"id":{"type":"string"}}},"strict":true}],"tool_choice":{"type":"auto","disable_parallel_tool_use":true}}""", "tools"),
            S("tool_choice", """{"tools":[{"name":"lookup","input_schema":{"type":"object"}}],"tool_choice":{"type":"any"}}""", "tool_choice"),
            S("tool_choice", """{"tools":[{"name":"lookup","input_schema":{"type":"object"}}],"tool_choice":{"type":"tool","name":"lookup"}}""", "tool_choice"),
            S("tool_choice", """{"tools":[{"name":"lookup","input_schema":{"type":"object"}}],"tool_choice":{"type":"none"}}""", "tool_choice"),
        ],
        [(MessagesFormat, "stream")] = [S("stream", """{"stream":true}""", "stream")],
        [(MessagesFormat, "citations on request text blocks")] =
        [
            S("citations on request text blocks", """
                {"messages":[
                  {"role":"user","content":"Where is order 7?"},
                  {"role":"assistant","content":[{"type":"text","text":"It shipped.","citations":[{"type":"char_location","cited_text":"shipped","document_index":0,"document_title":null,"start_char_index":0,"end_char_index":7}]}]},
                  {"role":"user","content":"Thanks."}]}
                """, "citations"),
        ],
        [(MessagesFormat, "mcp_servers, container, context_management, output_config, output_format, inference_geo; server tools; document, search_result and server-tool blocks")] =
        [
            S("mcp_servers", """{"mcp_servers":[{"type":"url","url":"https://mcp.example.com/sse","name":"orders"}]}""", "mcp_servers"),
            S("container", """{"container":"container_011"}""", "container"),
            S("context_management", """{"context_management":{"edits":[]}}""", "context_management"),
            S("output_config", """{"output_config":{"effort":"low"}}""", "output_config"),
            S("output_format", """{"output_format":{"type":"json_schema","schema":{"type":"object"}}}""", "output_format"),
            S("inference_geo", """{"inference_geo":"us"}""", "inference_geo"),
            S("server tools", """{"tools":[{"type":"web_search_20250305","name":"web_search","max_uses":3}]}""", "web_search_20250305"),
            S("document", """{"messages":[{"role":"user","content":[{"type":"document","source":{"type":"text","media_type":"text/plain","data":"Order 7 shipped."}},{"type":"text","text":"Summarise."}]}]}""", "document"),
            S("search_result and server-tool blocks", """{"messages":[{"role":"user","content":[{"type":"search_result","source":"https://example.com","title":"Orders","content":[{"type":"text","text":"Order 7 shipped."}]},{"type":"text","text":"Summarise."}]}]}""", "search_result"),
            S("search_result and server-tool blocks", """{"messages":[{"role":"user","content":"Search."},{"role":"assistant","content":[{"type":"server_tool_use","id":"srvtoolu_01","name":"web_search","input":{"query":"order 7"}}]},{"role":"user","content":"Go on."}]}""", "server_tool_use"),
            S("search_result and server-tool blocks", """{"messages":[{"role":"user","content":"Search."},{"role":"assistant","content":[{"type":"web_search_tool_result","tool_use_id":"srvtoolu_01","content":[]}]},{"role":"user","content":"Go on."}]}""", "web_search_tool_result"),
        ],

        // Responses
        [(ResponsesFormat, "model")] = [S("model", "{}", "model")],
        [(ResponsesFormat, "input: string, messages (input_text, input_image, output_text), function_call, function_call_output")] =
        [
            S("input: string", """{"input":"Where is order 7?"}""", "input"),
            S("messages", """
                {"input":[
                  {"role":"developer","content":"Be brief."},
                  {"type":"message","role":"user","content":[{"type":"input_text","text":"Where is order 7?"},{"type":"input_image","image_url":"https://example.com/order.png","detail":"low"}]},
                  {"type":"message","role":"assistant","content":[{"type":"output_text","text":"Looking.","annotations":[]}]},
                  {"type":"function_call","call_id":"call_1","name":"lookup","arguments":"{\"id\":\"7\"}"},
                  {"type":"function_call_output","call_id":"call_1","output":"shipped"}]}
                """, "input"),
        ],
        [(ResponsesFormat, "instructions")] = [S("instructions", """{"instructions":"Be brief."}""", "instructions")],
        [(ResponsesFormat, "reasoning items in input")] =
        [
            S("reasoning items in input", """
                {"input":[
                  {"role":"user","content":"Where is order 7?"},
                  {"type":"reasoning","id":"rs_1","summary":[],"encrypted_content":"gAAAAABo-encrypted"},
                  {"role":"assistant","content":"It shipped."},
                  {"role":"user","content":"Thanks."}]}
                """, "encrypted_content"),
        ],
        [(ResponsesFormat, "stream")] = [S("stream", """{"stream":true}""", "stream")],
        [(ResponsesFormat, "temperature, top_p")] = [S("temperature, top_p", """{"temperature":0.5,"top_p":0.9}""", "temperature", "top_p")],
        [(ResponsesFormat, "max_output_tokens")] = [S("max_output_tokens", """{"max_output_tokens":64}""", "max_output_tokens")],
        [(ResponsesFormat, "tools (function, strict), tool_choice, parallel_tool_calls")] =
        [
            S("tools", $$"""{"tools":[{"type":"function","name":"lookup","description":"Find an order","parameters":{{Schema}},"strict":true}],"tool_choice":"auto","parallel_tool_calls":false}""", "tools"),
            S("tool_choice", """{"tools":[{"type":"function","name":"lookup","parameters":{"type":"object"},"strict":false}],"tool_choice":{"type":"function","name":"lookup"}}""", "tool_choice"),
        ],
        [(ResponsesFormat, "text.format: json_schema (strict)")] =
            [S("text.format: json_schema (strict)", $$$"""{"text":{"format":{"type":"json_schema","name":"answer","schema":{{{Schema}}},"strict":true} } }""", "text")],
        [(ResponsesFormat, "text.format: json_object")] = [S("text.format: json_object", """{"text":{"format":{"type":"json_object"}}}""", "format")],
        [(ResponsesFormat, "reasoning.effort")] = [S("reasoning.effort", """{"reasoning":{"effort":"low"}}""", "reasoning")],
        [(ResponsesFormat, "user")] = [new("user", $$"""{"user":"{{Caller}}"}""", ["user", "user_id"], Caller)],
        [(ResponsesFormat, "metadata, truncation, store: false, service_tier, safety_identifier, prompt_cache_key, prompt_cache_retention")] =
        [
            S("metadata", """{"metadata":{"team":"support"}}""", "metadata"),
            S("truncation", """{"truncation":"auto"}""", "truncation"),
            S("store: false", """{"store":false}""", "store"),
            S("service_tier", """{"service_tier":"auto"}""", "service_tier"),
            S("safety_identifier", """{"safety_identifier":"sid-1"}""", "safety_identifier"),
            S("prompt_cache_key", """{"prompt_cache_key":"pck-1"}""", "prompt_cache_key"),
            S("prompt_cache_retention", """{"prompt_cache_retention":"24h"}""", "prompt_cache_retention"),
        ],
        [(ResponsesFormat, "store: true, previous_response_id, background, conversation, prompt, include, top_logprobs, max_tool_calls; built-in tools and items")] =
        [
            S("store: true", """{"store":true}""", "store"),
            S("previous_response_id", """{"previous_response_id":"resp_123"}""", "previous_response_id"),
            S("background", """{"background":true}""", "background"),
            S("conversation", """{"conversation":"conv_123"}""", "conversation"),
            S("prompt", """{"prompt":{"id":"pmpt_123"}}""", "prompt"),
            S("include", """{"include":["reasoning.encrypted_content"]}""", "include"),
            S("top_logprobs", """{"top_logprobs":2}""", "top_logprobs"),
            S("max_tool_calls", """{"max_tool_calls":3}""", "max_tool_calls"),
            S("built-in tools and items", """{"tools":[{"type":"web_search"}]}""", "web_search"),
            S("built-in tools and items", """{"input":[{"type":"file_search_call","id":"fs_1","queries":["order 7"],"status":"completed"},{"role":"user","content":"hi"}]}""", "file_search_call"),
        ],
    };

    private static IEnumerable<FieldRule> RulesOf(string format) => FieldFidelity.Rules.Where(r => r.Format == format);

    private static FieldHandling[] Kinds(FieldRule rule) =>
        rule.Format == "Embeddings" ? [rule.OpenAI, rule.Compatible, rule.Embedded] : [rule.OpenAI, rule.Compatible, rule.Anthropic, rule.Embedded];

    private static bool RefusedByAll(FieldRule rule) => Kinds(rule).All(h => h == FieldHandling.Refused);

    private static FieldRule Rule(string format, string field) => FieldFidelity.Rules.Single(r => r.Format == format && r.Field == field);

    private static Sample[] SamplesOf(FieldRule rule)
    {
        Assert.True(
            Samples.TryGetValue((rule.Format, rule.Field), out var samples) && samples.Length > 0,
            $"The fidelity table has a row without a sample in {nameof(FieldFidelityTests)}.{nameof(Samples)}: ({rule.Format}, \"{rule.Field}\"). Add one.");
        return samples!;
    }

    /// <summary>The parts of a row's field text, split at commas and semicolons outside parentheses.</summary>
    private static List<string> Parts(string field)
    {
        var parts = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < field.Length; i++)
        {
            switch (field[i])
            {
                case '(':
                    depth++;
                    break;
                case ')':
                    depth--;
                    break;
                case ',' or ';' when depth == 0:
                    parts.Add(field[start..i].Trim());
                    start = i + 1;
                    break;
            }
        }

        parts.Add(field[start..].Trim());
        return parts;
    }

    public static TheoryData<string, string> AcceptedRules()
    {
        var data = new TheoryData<string, string>();
        foreach (var rule in Formats.SelectMany(RulesOf).Where(r => !RefusedByAll(r)))
        {
            data.Add(rule.Format, rule.Field);
        }

        return data;
    }

    public static TheoryData<string, string> RefusedRules()
    {
        var data = new TheoryData<string, string>();
        foreach (var rule in Formats.SelectMany(RulesOf).Where(RefusedByAll))
        {
            data.Add(rule.Format, rule.Field);
        }

        return data;
    }

    /// <summary>Rules a provider kind may drop (they have a <see cref="FieldRule.Present"/>) × the kinds that serve them.</summary>
    public static TheoryData<string, string, string> DropRulesByKind()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var rule in Formats.SelectMany(RulesOf).Where(r => r.Present is not null))
        {
            foreach (var kind in ModelOfKind.Keys)
            {
                if (rule.For(kind) is FieldHandling.Passed or FieldHandling.Translated or FieldHandling.Dropped)
                {
                    data.Add(rule.Format, rule.Field, kind);
                }
            }
        }

        return data;
    }

    [Fact]
    public void EveryRow_HasASample_AndEveryFieldOfARefusedOrDroppableRowHasOne()
    {
        var missing = new List<string>();
        foreach (var rule in Formats.SelectMany(RulesOf))
        {
            if (!Samples.TryGetValue((rule.Format, rule.Field), out var samples) || samples.Length == 0)
            {
                missing.Add($"({rule.Format}, \"{rule.Field}\"): no sample");
                continue;
            }

            if (RefusedByAll(rule) || rule.Present is not null)
            {
                var labels = samples.Select(s => s.Label).ToHashSet(StringComparer.Ordinal);
                missing.AddRange(Parts(rule.Field).Where(p => !labels.Contains(p)).Select(p => $"({rule.Format}, \"{rule.Field}\"): no sample labelled \"{p}\""));
            }
        }

        var stale = Samples.Keys.Where(k => !FieldFidelity.Rules.Any(r => r.Format == k.Format && r.Field == k.Field)).Select(k => $"({k.Format}, \"{k.Field}\"): a sample for no row");
        Assert.True(missing.Count == 0 && !stale.Any(), string.Join("\n", missing.Concat(stale)));
    }

    [Theory]
    [MemberData(nameof(AcceptedRules))]
    public async Task AcceptedRow_SampleIsServed(string format, string field)
    {
        var rule = Rule(format, field);
        Assert.NotEqual(FieldHandling.Refused, rule.Compatible);
        var failures = new List<string>();
        foreach (var sample in SamplesOf(rule))
        {
            var sent = await SendAsync(format, "local", sample);
            if (sent.Status != HttpStatusCode.OK)
            {
                failures.Add($"{sample.Fields.Trim()}: {(int)sent.Status} {sent.Body}");
            }
        }

        Assert.True(failures.Count == 0, $"({format}, \"{field}\") is not refused by the table, but the gateway refused:\n" + string.Join("\n", failures));
    }

    [Theory]
    [MemberData(nameof(RefusedRules))]
    public async Task RefusedRow_EachField_Is400NamingIt(string format, string field)
    {
        var failures = new List<string>();
        foreach (var sample in SamplesOf(Rule(format, field)))
        {
            var sent = await SendAsync(format, "local", sample);
            var name = sample.Names[0];
            if (sent.Status != HttpStatusCode.BadRequest)
            {
                failures.Add($"{sample.Label}: {(int)sent.Status} {sent.Body}");
                continue;
            }

            using var doc = JsonDocument.Parse(sent.Body);
            var error = doc.RootElement.GetProperty("error");
            var param = error.TryGetProperty("param", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
            var message = error.GetProperty("message").GetString() ?? "";
            if (param != name && !message.Contains(name, StringComparison.Ordinal))
            {
                failures.Add($"{sample.Label}: 400 does not name '{name}': {sent.Body}");
            }
        }

        Assert.Empty(Upstream.Requests);
        Assert.True(failures.Count == 0, $"({format}, \"{field}\") is refused by the table:\n" + string.Join("\n", failures));
    }

    [Theory]
    [MemberData(nameof(DropRulesByKind))]
    public async Task DroppableRow_TheDecisionNamesItExactlyWhenTheKindDropsIt(string format, string field, string kind)
    {
        var rule = Rule(format, field);
        var model = ModelOfKind[kind];
        var handling = rule.For(kind);
        var samples = SamplesOf(rule);
        var sent = new List<(Sample Sample, Sent Sent)>();
        foreach (var sample in samples)
        {
            sent.Add((sample, await SendAsync(format, model, sample)));
        }

        var rows = await Gateway.StopAndReadLedgerAsync();
        var failures = new List<string>();
        foreach (var (sample, result) in sent)
        {
            var what = $"{sample.Label} {sample.Fields.ReplaceLineEndings(" ").Trim()}";
            if (result.Status != HttpStatusCode.OK || result.Upstream is null)
            {
                failures.Add($"{what}: {(int)result.Status} {result.Body} (upstream called: {result.Upstream is not null})");
                continue;
            }

            var row = rows.Single(r => r.RequestId == result.RequestId);
            using var decision = JsonDocument.Parse(row.DecisionJson);
            var dropped = decision.RootElement.TryGetProperty("dropped", out var d) && d.ValueKind == JsonValueKind.Array
                ? d.EnumerateArray().Where(x => x.GetProperty("field").GetString() == rule.Field).ToList()
                : [];
            if (handling == FieldHandling.Dropped)
            {
                if (!dropped.Any(x => x.GetProperty("model").GetString() == model && x.GetProperty("why").GetString() == rule.Note))
                {
                    failures.Add($"{what}: the decision does not name it as dropped for {model}: {row.DecisionJson}");
                }

                var names = PropertyNames(result.Upstream.Body);
                foreach (var name in sample.Names.Where(names.Contains))
                {
                    failures.Add($"{what}: '{name}' reached the {kind} upstream: {result.Upstream.Body}");
                }

                if (sample.Marker is { } marker && result.Upstream.Body.Contains(marker, StringComparison.Ordinal))
                {
                    failures.Add($"{what}: its value reached the {kind} upstream: {result.Upstream.Body}");
                }

                if (sample.Beta is not null && result.Upstream.Headers.ContainsKey("anthropic-beta"))
                {
                    failures.Add($"{what}: the anthropic-beta header reached the {kind} upstream");
                }
            }
            else if (dropped.Count > 0)
            {
                failures.Add($"{what}: {handling} for {kind}, yet the decision names it as dropped: {row.DecisionJson}");
            }
        }

        Assert.True(failures.Count == 0, $"({format}, \"{field}\") is {handling} for {kind} in the table:\n" + string.Join("\n", failures));
    }

    [Fact]
    public async Task ExtraBody_MergedForACompatibleServer_DroppedForOpenAI_ItsOwnFieldsRefused()
    {
        const string ExtraBody = """{"extra_body":{"guided_json":{"type":"object"},"chat_template_kwargs":{"enable_thinking":false}}}""";
        var sample = S("extra_body", ExtraBody);

        var compatible = await SendAsync(ChatFormat, "local", sample);
        Assert.True(compatible.Status == HttpStatusCode.OK, compatible.Body);
        using (var body = JsonDocument.Parse(compatible.Upstream!.Body))
        {
            Assert.Equal("""{"type":"object"}""", body.RootElement.GetProperty("guided_json").GetRawText());
            Assert.False(body.RootElement.GetProperty("chat_template_kwargs").GetProperty("enable_thinking").GetBoolean());
            Assert.False(body.RootElement.TryGetProperty("extra_body", out _), compatible.Upstream.Body);
        }

        var openai = await SendAsync(ChatFormat, "backup", sample);
        Assert.True(openai.Status == HttpStatusCode.OK, openai.Body);
        var sentToOpenAI = PropertyNames(openai.Upstream!.Body);
        Assert.DoesNotContain("guided_json", sentToOpenAI);
        Assert.DoesNotContain("chat_template_kwargs", sentToOpenAI);
        Assert.DoesNotContain("extra_body", sentToOpenAI);

        var before = Upstream.Requests.Count;
        var reserved = await SendAsync(ChatFormat, "local", S("extra_body.model", """{"extra_body":{"model":"x"}}"""));
        Assert.True(reserved.Status == HttpStatusCode.BadRequest, reserved.Body);
        using (var error = JsonDocument.Parse(reserved.Body))
        {
            Assert.Equal("extra_body.model", error.RootElement.GetProperty("error").GetProperty("param").GetString());
        }

        Assert.Equal(before, Upstream.Requests.Count);

        var rows = await Gateway.StopAndReadLedgerAsync();
        string[] Dropped(Sent sent)
        {
            using var decision = JsonDocument.Parse(rows.Single(r => r.RequestId == sent.RequestId).DecisionJson);
            return decision.RootElement.TryGetProperty("dropped", out var d) && d.ValueKind == JsonValueKind.Array
                ? [.. d.EnumerateArray().Select(x => $"{x.GetProperty("model").GetString()}:{x.GetProperty("field").GetString()}")]
                : [];
        }

        Assert.Equal(["backup:extra_body"], Dropped(openai));
        Assert.Empty(Dropped(compatible));
    }

    [Fact]
    public void Readme_HoldsTheGeneratedTable()
    {
        const string Start = "<!-- fidelity-table:start -->";
        const string End = "<!-- fidelity-table:end -->";
        var expected = FieldFidelity.Markdown().Trim('\r', '\n');
        var readme = File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md")).ReplaceLineEndings("\n");
        var start = readme.IndexOf(Start, StringComparison.Ordinal);
        var end = start < 0 ? -1 : readme.IndexOf(End, start, StringComparison.Ordinal);
        var paste = $"README.md must hold, between the lines {Start} and {End}, the output of `switchyard fidelity`:\n\n{Start}\n{expected}\n{End}\n";
        Assert.True(start >= 0 && end > start, "README.md has no fidelity table section. " + paste);
        var actual = readme[(start + Start.Length)..end].Trim('\r', '\n');
        Assert.True(actual == expected, "README.md's fidelity table is out of date. " + paste);
    }

    private sealed record Sent(HttpStatusCode Status, string Body, string? RequestId, Switchyard.Testing.RecordedRequest? Upstream);

    private static string BaseBody(string format) => format switch
    {
        ChatFormat => """{"model":"MODEL","messages":[{"role":"user","content":"Where is order 7?"}]}""",
        MessagesFormat => """{"model":"MODEL","max_tokens":256,"messages":[{"role":"user","content":"Where is order 7?"}]}""",
        ResponsesFormat => """{"model":"MODEL","input":"Where is order 7?"}""",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    private static string PathOf(string format) => format switch
    {
        ChatFormat => "v1/chat/completions",
        MessagesFormat => "v1/messages",
        ResponsesFormat => "v1/responses",
        _ => throw new ArgumentOutOfRangeException(nameof(format), format, null),
    };

    /// <summary>Sends the format's minimal request with the sample's fields set over it; returns the reply and the one upstream request it caused, if any.</summary>
    private async Task<Sent> SendAsync(string format, string model, Sample sample)
    {
        var body = JsonNode.Parse(BaseBody(format))!.AsObject();
        body["model"] = model;
        foreach (var (name, value) in JsonNode.Parse(sample.Fields)!.AsObject())
        {
            body[name] = value?.DeepClone();
        }

        var before = Upstream.Requests.Count;
        using var request = new HttpRequestMessage(HttpMethod.Post, PathOf(format)) { Content = new StringContent(body.ToJsonString()) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (format == MessagesFormat)
        {
            request.Headers.Add("anthropic-version", "2023-06-01");
        }

        if (sample.Beta is not null)
        {
            request.Headers.Add("anthropic-beta", sample.Beta);
        }

        using var response = await Gateway.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        var requestId = response.Headers.TryGetValues("x-request-id", out var ids) ? ids.FirstOrDefault() : null;
        var upstream = Upstream.Requests.Skip(before).ToList();
        Assert.True(upstream.Count <= 1, $"one request caused {upstream.Count} upstream requests");
        return new Sent(response.StatusCode, text, requestId, upstream.SingleOrDefault());
    }

    /// <summary>Every property name anywhere in a JSON document.</summary>
    private static HashSet<string> PropertyNames(string json)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        using var doc = JsonDocument.Parse(json);
        Collect(doc.RootElement);
        return names;

        void Collect(JsonElement e)
        {
            switch (e.ValueKind)
            {
                case JsonValueKind.Object:
                    foreach (var p in e.EnumerateObject())
                    {
                        names.Add(p.Name);
                        Collect(p.Value);
                    }

                    break;
                case JsonValueKind.Array:
                    foreach (var item in e.EnumerateArray())
                    {
                        Collect(item);
                    }

                    break;
            }
        }
    }
}
