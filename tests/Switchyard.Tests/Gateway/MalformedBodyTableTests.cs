using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Switchyard.Tests.Infrastructure;

namespace Switchyard.Tests.Gateway;

/// <summary>
/// One table of malformed request bodies for every wire format the gateway speaks: each row is sent as raw bytes (so
/// invalid UTF-8 really reaches the server) and must get its documented status and error in the format's own
/// envelope — never a 500, never an empty body, never a hang — without anything reaching the upstream. The gateway
/// runs with its default limits (<c>Limits:MaxRequestBodyBytes</c> = 4 MiB) in front of a fake upstream that would
/// answer if it were ever called.
/// </summary>
public sealed class MalformedBodyTableTests : GatewayTestBase
{
    /// <summary>The wire formats (and endpoints) under test.</summary>
    public enum Wire
    {
        /// <summary><c>POST /v1/chat/completions</c>: OpenAI's envelope.</summary>
        Chat,

        /// <summary><c>POST /v1/messages</c>: Anthropic's envelope.</summary>
        Messages,

        /// <summary><c>POST /v1/messages/count_tokens</c>: Anthropic's envelope, no ledger row.</summary>
        CountTokens,

        /// <summary><c>POST /v1/responses</c>: OpenAI's envelope.</summary>
        Responses,
    }

    /// <summary>
    /// One malformed body. For OpenAI-envelope formats <paramref name="Error"/> is the error's <c>code</c> and
    /// <paramref name="Param"/> its <c>param</c> (null: JSON null); for Anthropic-envelope formats
    /// <paramref name="Error"/> is <c>error.type</c> and <paramref name="Param"/> a text the message must mention.
    /// <paramref name="ExpectContinue"/> sends <c>Expect: 100-continue</c> and holds the body back until the server asks for it.
    /// </summary>
    public sealed record Row(string Name, Wire Wire, byte[] Body, int Status, string Error, string? Param, string ContentType = "application/json", bool ExpectContinue = false);

    private const int FiveMegabytes = 5_000_000;
    private const int DeepNesting = 10_000;

    private static readonly Lazy<IReadOnlyDictionary<string, Row>> s_rows = new(() => BuildRows().ToDictionary(r => r.Name, StringComparer.Ordinal));

    /// <summary>Every row's name; the test looks the row up, so a failure names the row without printing its body.</summary>
    public static TheoryData<string> Rows
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var name in s_rows.Value.Keys)
            {
                data.Add(name);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public async Task IsRefusedWithTheFormatsOwnError(string name)
    {
        var row = s_rows.Value[name];
        var (status, body, mediaType) = await SendAsync(row);

        void Check(bool ok, string what)
        {
            if (!ok)
            {
                Assert.Fail($"[{row.Name}] expected {row.Status} {row.Error}{(row.Param is null ? "" : $" ({row.Param})")}: {what}. Got {status} {mediaType ?? "(no content type)"}: {Shorten(body)}");
            }
        }

        Check(status != 500, "the gateway answered 500");
        Check(body.Length > 0, "the body is empty");
        Check(status == row.Status, "wrong status");
        Check(mediaType == "application/json", "the content type is not application/json");

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            Check(false, "the body is not JSON");
            throw;
        }

        using (document)
        {
            var root = document.RootElement;
            Check(root.ValueKind == JsonValueKind.Object && root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object, "no error object");
            error = root.GetProperty("error");
            if (row.Wire is Wire.Messages or Wire.CountTokens)
            {
                // Anthropic: {"type":"error","error":{"type","message"}} and nothing else.
                Check(root.TryGetProperty("type", out var envelope) && envelope.ValueKind == JsonValueKind.String && envelope.GetString() == "error", "the envelope's type is not \"error\" (not Anthropic's envelope)");
                Check(Names(root).SequenceEqual(["type", "error"]), "the envelope holds other fields than type and error");
                Check(Names(error).SequenceEqual(["type", "message"]), "the error holds other fields than type and message (not Anthropic's envelope)");
                Check(StringOf(error, "type") == row.Error, "wrong error.type");
                var message = StringOf(error, "message");
                Check(!string.IsNullOrWhiteSpace(message), "the message is empty");
                Check(row.Param is null || message!.Contains(row.Param, StringComparison.Ordinal), $"the message does not mention '{row.Param}'");
            }
            else
            {
                // OpenAI: {"error":{"message","type","param","code"}} and nothing else.
                Check(Names(root).SequenceEqual(["error"]), "the envelope holds other fields than error (not OpenAI's envelope)");
                Check(Names(error).Order(StringComparer.Ordinal).SequenceEqual(["code", "message", "param", "type"]), "the error's fields are not message, type, param, code");
                Check(StringOf(error, "type") == "invalid_request_error", "wrong error.type");
                Check(StringOf(error, "code") == row.Error, "wrong error.code");
                Check(!string.IsNullOrWhiteSpace(StringOf(error, "message")), "the message is empty");
                var param = error.GetProperty("param");
                Check(row.Param is null ? param.ValueKind == JsonValueKind.Null : param.ValueKind == JsonValueKind.String && param.GetString() == row.Param, "wrong error.param");
            }
        }

        Check(Upstream.Requests.Count == 0, $"the upstream received {Upstream.Requests.Count} request(s)");
        var ledger = await Gateway.StopAndReadLedgerAsync();
        if (row.Wire == Wire.CountTokens)
        {
            Check(ledger.Count == 0, "count_tokens wrote a ledger row");
        }
        else
        {
            Check(ledger.Count == 1 && ledger[0].Status == "error" && ledger[0].HttpStatus == row.Status, $"the ledger does not hold one error row with status {row.Status} ({ledger.Count} rows)");
        }
    }

    /// <summary>
    /// Bodies that look wrong but are served: the gateway does not check the request's content type (it parses the body
    /// as JSON whatever the header says), and <c>count_tokens</c> does not require <c>max_tokens</c>.
    /// </summary>
    public static TheoryData<string> AcceptedRows
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var name in s_accepted.Value.Keys)
            {
                data.Add(name);
            }

            return data;
        }
    }

    private static readonly Lazy<IReadOnlyDictionary<string, Row>> s_accepted = new(() => new Row[]
    {
        new("chat: content type text/plain", Wire.Chat, Utf8(ValidBody(Wire.Chat)), 200, "", null, "text/plain"),
        new("messages: content type text/plain", Wire.Messages, Utf8(ValidBody(Wire.Messages)), 200, "", null, "text/plain"),
        new("count_tokens: content type text/plain", Wire.CountTokens, Utf8(ValidBody(Wire.CountTokens)), 200, "", null, "text/plain"),
        new("responses: content type text/plain", Wire.Responses, Utf8(ValidBody(Wire.Responses)), 200, "", null, "text/plain"),
        new("count_tokens: missing max_tokens (not required here)", Wire.CountTokens, Utf8("""{"model":"local","messages":[{"role":"user","content":"hi"}]}"""), 200, "", null),
    }.ToDictionary(r => r.Name, StringComparer.Ordinal));

    [Theory]
    [MemberData(nameof(AcceptedRows))]
    public async Task IsServed(string name)
    {
        var row = s_accepted.Value[name];
        var (status, body, mediaType) = await SendAsync(row);
        Assert.True(status == row.Status && mediaType == "application/json", $"[{row.Name}] expected {row.Status} application/json; got {status} {mediaType}: {Shorten(body)}");
        using var document = JsonDocument.Parse(body);
        Assert.True(!document.RootElement.TryGetProperty("error", out var error) || error.ValueKind == JsonValueKind.Null, $"[{row.Name}] answered with an error: {Shorten(body)}");
        Assert.Equal(row.Wire == Wire.CountTokens ? 0 : 1, Upstream.Requests.Count);
    }

    /// <summary>Every table row must have a unique name and cover each endpoint; guards the table itself.</summary>
    [Fact]
    public void TheTableCoversEveryFormat()
    {
        var rows = BuildRows().ToList();
        Assert.Equal(rows.Count, rows.Select(r => r.Name).Distinct(StringComparer.Ordinal).Count());
        foreach (var wire in Enum.GetValues<Wire>())
        {
            Assert.True(rows.Count(r => r.Wire == wire) >= 15, $"{wire} has too few rows");
        }
    }

    private async Task<(int Status, string Body, string? MediaType)> SendAsync(Row row)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, PathOf(row.Wire)) { Content = new ByteArrayContent(row.Body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(row.ContentType);
        if (row.Wire is Wire.Messages or Wire.CountTokens)
        {
            request.Headers.Add("anthropic-version", "2023-06-01");
        }

        HttpResponseMessage response;
        using var continueClient = row.ExpectContinue
            ? new HttpClient(new SocketsHttpHandler { Expect100ContinueTimeout = TimeSpan.FromSeconds(60) }) { BaseAddress = Gateway.BaseUri, Timeout = TimeSpan.FromSeconds(60) }
            : null;
        request.Headers.ExpectContinue = row.ExpectContinue ? true : null;
        try
        {
            // The clients' own timeout (60 s) is the hang guard; nothing here measures time.
            response = await (continueClient ?? Gateway.Http).SendAsync(request);
        }
        catch (TaskCanceledException ex)
        {
            Assert.Fail($"[{row.Name}] the gateway did not answer (hang): {ex.Message}");
            throw;
        }
        catch (HttpRequestException ex)
        {
            Assert.Fail($"[{row.Name}] the connection failed instead of an answer: {string.Join(" <- ", Chain(ex))}");
            throw;
        }

        using (response)
        {
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.MediaType);
        }
    }

    private static IEnumerable<Row> BuildRows()
    {
        foreach (var wire in Enum.GetValues<Wire>())
        {
            foreach (var row in CommonRows(wire))
            {
                yield return row;
            }
        }

        foreach (var row in ChatRows().Concat(MessagesRows(Wire.Messages)).Concat(MessagesRows(Wire.CountTokens)).Concat(ResponsesRows()))
        {
            yield return row;
        }
    }

    /// <summary>Rows about the body as JSON text, the same for every format: refused before any field is read.</summary>
    private static IEnumerable<Row> CommonRows(Wire wire)
    {
        var anthropic = wire is Wire.Messages or Wire.CountTokens;
        var invalidJson = anthropic ? ("invalid_request_error", "not valid JSON") : ("invalid_json", (string?)null);
        var notObject = anthropic ? ("invalid_request_error", "must be a JSON object") : ("invalid_request_body", (string?)null);
        var unreadable = anthropic ? ("invalid_request_error", (string?)null) : ("invalid_json", (string?)null);
        var tooLarge = anthropic ? ("request_too_large", "larger than the gateway's limit") : ("request_too_large", (string?)null);
        var p = Prefix(wire);
        var valid = ValidBody(wire);

        yield return Make(p + "empty body", [], 400, invalidJson);
        yield return Make(p + "not JSON", Utf8("not json"), 400, invalidJson);
        yield return Make(p + "JSON array, not an object", Utf8("[]"), 400, notObject);
        yield return Make(p + "JSON array of the valid body", Utf8("[" + valid + "]"), 400, notObject);
        yield return Make(p + "JSON string, not an object", Utf8("\"hello\""), 400, notObject);
        yield return Make(p + "JSON number, not an object", Utf8("42"), 400, notObject);
        yield return Make(p + "JSON null, not an object", Utf8("null"), 400, notObject);
        yield return Make(p + "truncated JSON", Utf8(valid[..(valid.Length / 2)]), 400, invalidJson);
        yield return Make(p + "trailing garbage after the object", Utf8(valid + "}"), 400, invalidJson);
        // Both parse as JSON documents (System.Text.Json checks neither until a string is read), so the readers must refuse them.
        yield return Make(p + "invalid UTF-8 (raw 0xFF) inside a string", [.. Utf8(ReplaceText(valid, "a")), 0xFF, .. Utf8("b" + AfterText(valid))], 400, unreadable);
        yield return Make(p + "lone surrogate escape \\ud800 in a string", Utf8(ReplaceText(valid, "a\\ud800b") + AfterText(valid)), 400, unreadable);
        yield return Make(p + $"{DeepNesting:N0} nested arrays", Utf8(valid.Replace(ListValue, new string('[', DeepNesting) + new string(']', DeepNesting), StringComparison.Ordinal)), 400, invalidJson);
        // Over Limits:MaxRequestBodyBytes the gateway answers 413 from Content-Length without reading the body. A client
        // that waits for 100-continue always sees it; one that uploads at once must see it too, not a broken connection.
        var huge = Utf8(ReplaceText(valid, new string('x', FiveMegabytes)) + AfterText(valid));
        yield return Make(p + "5 MB JSON (limit 4 MiB), Expect: 100-continue", huge, 413, tooLarge) with { ExpectContinue = true };
        yield return Make(p + "5 MB JSON (limit 4 MiB), sent at once", huge, 413, tooLarge);

        Row Make(string name, byte[] body, int status, (string Error, string? Param) expected) => new(name, wire, body, status, expected.Error, expected.Param);
    }

    private static IEnumerable<Row> ChatRows()
    {
        const string Hi = """[{"role":"user","content":"hi"}]""";
        static Row R(string name, string body, int status, string code, string? param) => new("chat: " + name, Wire.Chat, Utf8(body), status, code, param);

        yield return R("empty object", "{}", 400, "missing_required_parameter", "model");
        yield return R("missing model", $$"""{"messages":{{Hi}}}""", 400, "missing_required_parameter", "model");
        yield return R("model null", $$"""{"model":null,"messages":{{Hi}}}""", 400, "invalid_value", "model");
        yield return R("model of wrong type (number)", $$"""{"model":1,"messages":{{Hi}}}""", 400, "invalid_value", "model");
        yield return R("model of wrong type (object)", $$"""{"model":{"name":"local"},"messages":{{Hi}}}""", 400, "invalid_value", "model");
        yield return R("empty model", $$"""{"model":"","messages":{{Hi}}}""", 400, "missing_required_parameter", "model");
        yield return R("unknown model", $$"""{"model":"no-such-model","messages":{{Hi}}}""", 404, "model_not_found", null);
        yield return R("missing messages", """{"model":"local"}""", 400, "missing_required_parameter", "messages");
        yield return R("messages of wrong type (string)", """{"model":"local","messages":"hi"}""", 400, "invalid_value", "messages");
        yield return R("messages of wrong type (object)", """{"model":"local","messages":{"role":"user","content":"hi"}}""", 400, "invalid_value", "messages");
        yield return R("empty messages array", """{"model":"local","messages":[]}""", 400, "invalid_value", "messages");
        yield return R("message not an object", """{"model":"local","messages":["hi"]}""", 400, "invalid_value", "messages[0]");
        yield return R("message with unknown role", """{"model":"local","messages":[{"role":"wizard","content":"hi"}]}""", 400, "invalid_value", "messages[0].role");
        yield return R("message without role", """{"model":"local","messages":[{"content":"hi"}]}""", 400, "missing_required_parameter", "messages[0].role");
        yield return R("content part with unknown type", """{"model":"local","messages":[{"role":"user","content":[{"type":"hologram","hologram":{}}]}]}""", 400, "unsupported_parameter", "messages[0].content[0].type");
        yield return R("content part without type", """{"model":"local","messages":[{"role":"user","content":[{"text":"hi"}]}]}""", 400, "invalid_value", "messages[0].content[0]");
        yield return R("unknown top-level field", $$"""{"model":"local","messages":{{Hi}},"frobnicate":true}""", 400, "unknown_parameter", "frobnicate");
        yield return R("temperature 5", $$"""{"model":"local","messages":{{Hi}},"temperature":5}""", 400, "invalid_value", "temperature");
        yield return R("temperature -1", $$"""{"model":"local","messages":{{Hi}},"temperature":-1}""", 400, "invalid_value", "temperature");
        yield return R("max_tokens 0", $$"""{"model":"local","messages":{{Hi}},"max_tokens":0}""", 400, "invalid_value", "max_tokens");
        yield return R("max_tokens negative", $$"""{"model":"local","messages":{{Hi}},"max_tokens":-5}""", 400, "invalid_value", "max_tokens");
        yield return R("max_tokens as a string", $$"""{"model":"local","messages":{{Hi}},"max_tokens":"10"}""", 400, "invalid_value", "max_tokens");
        yield return R("max_tokens beyond int32", $$"""{"model":"local","messages":{{Hi}},"max_tokens":99999999999}""", 400, "invalid_value", "max_tokens");
        yield return R("max_tokens fractional", $$"""{"model":"local","messages":{{Hi}},"max_tokens":1.5}""", 400, "invalid_value", "max_tokens");
        yield return R("max_completion_tokens 0", $$"""{"model":"local","messages":{{Hi}},"max_completion_tokens":0}""", 400, "invalid_value", "max_completion_tokens");
        yield return R("top_p 2", $$"""{"model":"local","messages":{{Hi}},"top_p":2}""", 400, "invalid_value", "top_p");
        yield return R("stream as a string", $$"""{"model":"local","messages":{{Hi}},"stream":"yes"}""", 400, "invalid_value", "stream");
    }

    /// <summary>Anthropic rows, for <c>/v1/messages</c> and (apart from <c>max_tokens</c>, not required there) <c>count_tokens</c>.</summary>
    private static IEnumerable<Row> MessagesRows(Wire wire)
    {
        const string Hi = """[{"role":"user","content":"hi"}]""";
        var count = wire == Wire.CountTokens;
        var p = Prefix(wire);
        Row R(string name, string body, int status, string? mentions) => new(p + name, wire, Utf8(body), status, AnthropicType(status), mentions);

        yield return R("empty object", "{}", 400, "model");
        yield return R("missing model", $$"""{"max_tokens":16,"messages":{{Hi}}}""", 400, "'model' is required");
        yield return R("model null", $$"""{"model":null,"max_tokens":16,"messages":{{Hi}}}""", 400, "'model' must be a string");
        yield return R("model of wrong type (number)", $$"""{"model":1,"max_tokens":16,"messages":{{Hi}}}""", 400, "'model' must be a string");
        yield return R("unknown model", $$"""{"model":"no-such-model","max_tokens":16,"messages":{{Hi}}}""", 404, "no-such-model");
        yield return R("missing messages", """{"model":"local","max_tokens":16}""", 400, "'messages' is required");
        yield return R("messages of wrong type (string)", """{"model":"local","max_tokens":16,"messages":"hi"}""", 400, "'messages' must be an array");
        yield return R("empty messages array", """{"model":"local","max_tokens":16,"messages":[]}""", 400, "at least one message");
        yield return R("message with unknown role", """{"model":"local","max_tokens":16,"messages":[{"role":"wizard","content":"hi"}]}""", 400, "messages[0].role");
        yield return R("message with role system", """{"model":"local","max_tokens":16,"messages":[{"role":"system","content":"hi"}]}""", 400, "messages[0].role");
        yield return R("message without content", """{"model":"local","max_tokens":16,"messages":[{"role":"user"}]}""", 400, "messages[0].content");
        yield return R("content block with unknown type", """{"model":"local","max_tokens":16,"messages":[{"role":"user","content":[{"type":"hologram"}]}]}""", 400, "messages[0].content[0].type");
        yield return R("content block without type", """{"model":"local","max_tokens":16,"messages":[{"role":"user","content":[{"text":"hi"}]}]}""", 400, "messages[0].content[0].type");
        yield return R("unknown top-level field (unknown_parameter)", $$"""{"model":"local","max_tokens":16,"messages":{{Hi}},"frobnicate":true}""", 400, "Unrecognized request argument supplied: frobnicate");
        yield return R("temperature 5", $$"""{"model":"local","max_tokens":16,"messages":{{Hi}},"temperature":5}""", 400, "'temperature' must be between 0 and 1");
        yield return R("temperature 1.5 (Anthropic's range is 0-1)", $$"""{"model":"local","max_tokens":16,"messages":{{Hi}},"temperature":1.5}""", 400, "'temperature'");
        yield return R("max_tokens 0", $$"""{"model":"local","max_tokens":0,"messages":{{Hi}}}""", 400, "'max_tokens' must be at least 1");
        yield return R("max_tokens negative", $$"""{"model":"local","max_tokens":-5,"messages":{{Hi}}}""", 400, "'max_tokens' must be at least 1");
        yield return R("max_tokens as a string", $$"""{"model":"local","max_tokens":"16","messages":{{Hi}}}""", 400, "'max_tokens' must be an integer");
        yield return R("max_tokens null", $$"""{"model":"local","max_tokens":null,"messages":{{Hi}}}""", 400, "'max_tokens' must be an integer");
        yield return R("top_k negative", $$"""{"model":"local","max_tokens":16,"messages":{{Hi}},"top_k":-1}""", 400, "'top_k'");
        yield return R("system of wrong type", $$"""{"model":"local","max_tokens":16,"messages":{{Hi}},"system":42}""", 400, "'system'");
        yield return R("server tool (unsupported_parameter)", $$"""{"model":"local","max_tokens":16,"messages":{{Hi}},"mcp_servers":[]}""", 400, "mcp_servers");
        if (!count)
        {
            yield return R("missing max_tokens", $$"""{"model":"local","messages":{{Hi}}}""", 400, "'max_tokens' is required");
        }
    }

    private static IEnumerable<Row> ResponsesRows()
    {
        const string Hi = """[{"role":"user","content":"hi"}]""";
        static Row R(string name, string body, int status, string code, string? param) => new("responses: " + name, Wire.Responses, Utf8(body), status, code, param);

        yield return R("empty object", "{}", 400, "missing_required_parameter", "model");
        yield return R("missing model", """{"input":"hi"}""", 400, "missing_required_parameter", "model");
        yield return R("model of wrong type (number)", """{"model":1,"input":"hi"}""", 400, "invalid_value", "model");
        yield return R("model null", """{"model":null,"input":"hi"}""", 400, "invalid_value", "model");
        yield return R("unknown model", """{"model":"no-such-model","input":"hi"}""", 404, "model_not_found", null);
        yield return R("missing input", """{"model":"local"}""", 400, "missing_required_parameter", "input");
        yield return R("input null", """{"model":"local","input":null}""", 400, "missing_required_parameter", "input");
        yield return R("input of wrong type (number)", """{"model":"local","input":42}""", 400, "invalid_value", "input");
        yield return R("input of wrong type (object)", """{"model":"local","input":{"role":"user","content":"hi"}}""", 400, "invalid_value", "input");
        yield return R("empty input array", """{"model":"local","input":[]}""", 400, "invalid_value", "input");
        yield return R("input item not an object", """{"model":"local","input":["hi"]}""", 400, "invalid_value", "input[0]");
        yield return R("input item with unknown type", """{"model":"local","input":[{"type":"hologram"}]}""", 400, "invalid_value", "input[0].type");
        yield return R("message with unknown role", """{"model":"local","input":[{"role":"wizard","content":"hi"}]}""", 400, "invalid_value", "input[0].role");
        yield return R("content part with unknown type", """{"model":"local","input":[{"role":"user","content":[{"type":"hologram","text":"hi"}]}]}""", 400, "invalid_value", "input[0].content[0].type");
        yield return R("content part without type", """{"model":"local","input":[{"role":"user","content":[{"text":"hi"}]}]}""", 400, "missing_required_parameter", "input[0].content[0].type");
        yield return R("Chat Completions 'messages' instead of 'input'", $$"""{"model":"local","messages":{{Hi}}}""", 400, "unknown_parameter", "messages");
        yield return R("unknown top-level field", """{"model":"local","input":"hi","frobnicate":true}""", 400, "unknown_parameter", "frobnicate");
        yield return R("temperature 5", """{"model":"local","input":"hi","temperature":5}""", 400, "invalid_value", "temperature");
        yield return R("max_output_tokens 0", """{"model":"local","input":"hi","max_output_tokens":0}""", 400, "invalid_value", "max_output_tokens");
        yield return R("max_output_tokens negative", """{"model":"local","input":"hi","max_output_tokens":-5}""", 400, "invalid_value", "max_output_tokens");
        yield return R("max_output_tokens as a string", """{"model":"local","input":"hi","max_output_tokens":"16"}""", 400, "invalid_value", "max_output_tokens");
        yield return R("Chat Completions 'max_tokens' (unknown_parameter)", """{"model":"local","input":"hi","max_tokens":16}""", 400, "unknown_parameter", "max_tokens");
        yield return R("store true", """{"model":"local","input":"hi","store":true}""", 400, "unsupported_parameter", "store");
        yield return R("store as a string", """{"model":"local","input":"hi","store":"no"}""", 400, "invalid_value", "store");
        yield return R("previous_response_id", """{"model":"local","input":"hi","previous_response_id":"resp_123"}""", 400, "unsupported_parameter", "previous_response_id");
        yield return R("background true", """{"model":"local","input":"hi","background":true}""", 400, "unsupported_parameter", "background");
        yield return R("conversation", """{"model":"local","input":"hi","conversation":"conv_1"}""", 400, "unsupported_parameter", "conversation");
    }

    private static string Prefix(Wire wire) => wire switch
    {
        Wire.Chat => "chat: ",
        Wire.Messages => "messages: ",
        Wire.CountTokens => "count_tokens: ",
        _ => "responses: ",
    };

    private static string PathOf(Wire wire) => wire switch
    {
        Wire.Chat => "v1/chat/completions",
        Wire.Messages => "v1/messages",
        Wire.CountTokens => "v1/messages/count_tokens",
        _ => "v1/responses",
    };

    /// <summary>A body the format accepts, whose only user text is <c>"hi"</c> (the common rows rewrite it).</summary>
    private static string ValidBody(Wire wire) => wire switch
    {
        Wire.Chat => """{"model":"local","messages":[{"role":"user","content":"hi"}]}""",
        Wire.Messages => """{"model":"local","max_tokens":16,"messages":[{"role":"user","content":"hi"}]}""",
        Wire.CountTokens => """{"model":"local","messages":[{"role":"user","content":"hi"}]}""",
        _ => """{"model":"local","input":[{"role":"user","content":"hi"}]}""",
    };

    /// <summary>The value of <see cref="ValidBody"/>'s <c>messages</c> or <c>input</c>, as text.</summary>
    private const string ListValue = """[{"role":"user","content":"hi"}]""";

    /// <summary><see cref="ValidBody"/> up to its user text, which is replaced by <paramref name="text"/> (no closing quote).</summary>
    private static string ReplaceText(string valid, string text) => valid[..valid.IndexOf("\"hi\"", StringComparison.Ordinal)] + "\"" + text;

    /// <summary>The rest of <see cref="ValidBody"/> after its user text, from the closing quote on.</summary>
    private static string AfterText(string valid) => valid[(valid.IndexOf("\"hi\"", StringComparison.Ordinal) + 3)..];

    private static string AnthropicType(int status) => status switch
    {
        404 => "not_found_error",
        413 => "request_too_large",
        _ => "invalid_request_error",
    };

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);

    private static IEnumerable<string> Names(JsonElement obj) => obj.ValueKind == JsonValueKind.Object ? obj.EnumerateObject().Select(p => p.Name) : [];

    private static string? StringOf(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static IEnumerable<string> Chain(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            yield return ex.Message;
        }
    }

    private static string Shorten(string body) => body.Length == 0 ? "(empty body)" : body.Length <= 400 ? body : body[..400] + "…";
}
